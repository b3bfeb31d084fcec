package io.netanomaly.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netanomaly.core.schema.FlowSchema;
import io.netanomaly.core.schema.Row;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlowFieldParserTest {
  @Test
  void parsesLikeTheJsonReader() throws Exception {
    String json = "{\"timestamp\":\"1300475167.5\",\"source_ip\":\"10.0.0.1\",\"dst_ip\":\"fe80::1\","
        + "\"src_port\":\"40000\",\"dst_port\":\"443\",\"protocol\":\"TCP\",\"duration\":\"0.25\",\"flags\":\"SAPF\","
        + "\"bytes_sent\":\"100\",\"packets\":\"3\"}";
    Row expected;
    try (RowSource src = Readers.open(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "x",
        DataFormat.FLOW, ReadOptions.defaults())) {
      expected = src.next();
    }
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("timestamp", "1300475167.5");
    fields.put("source_ip", "10.0.0.1");
    fields.put("dst_ip", "fe80::1");
    fields.put("src_port", "40000");
    fields.put("dst_port", "443");
    fields.put("protocol", "TCP");
    fields.put("duration", "0.25");
    fields.put("flags", "SAPF");
    fields.put("bytes_sent", "100");
    fields.put("packets", "3");
    fields.put("packet_size", null);
    Row r = new FlowFieldParser("x").parse(fields, 1);
    for (int c = 0; c < FlowSchema.SCHEMA.size(); c++) {
      assertThat(Double.valueOf(r.number(c))).as("number %d", c).isEqualTo(Double.valueOf(expected.number(c)));
      assertThat(r.text(c)).as("text %d", c).isEqualTo(expected.text(c));
    }
    assertThat(r.number(FlowSchema.I_PACKET_SIZE)).isNaN();
  }

  @Test
  void refusesUnknownDuplicateAndBadFields() {
    FlowFieldParser p = new FlowFieldParser("zeek:conn.log");
    Map<String, String> base = new LinkedHashMap<>();
    base.put("timestamp", "1.0");
    base.put("src_ip", "10.0.0.1");
    base.put("dst_ip", "10.0.0.2");
    base.put("dst_port", "80");
    base.put("protocol", "TCP");
    assertThat(p.parse(base, 3).number(FlowSchema.I_DST_PORT)).isEqualTo(80);
    Map<String, String> unknown = new LinkedHashMap<>(base);
    unknown.put("uid", "C1");
    assertThatThrownBy(() -> p.parse(unknown, 4)).isInstanceOf(InputException.class).hasMessageContaining("'uid'");
    Map<String, String> twice = new LinkedHashMap<>(base);
    twice.put("source_ip", "10.0.0.9");
    assertThatThrownBy(() -> p.parse(twice, 5)).isInstanceOf(InputException.class).hasMessageContaining("once");
    Map<String, String> bad = new LinkedHashMap<>(base);
    bad.put("dst_port", "http");
    assertThatThrownBy(() -> p.parse(bad, 6)).isInstanceOf(InputException.class)
        .hasMessageStartingWith("zeek:conn.log:6: column 'dst_port'");
  }
}
