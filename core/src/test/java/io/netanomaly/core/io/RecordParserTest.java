package io.netanomaly.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netanomaly.core.schema.Field;
import io.netanomaly.core.schema.FieldType;
import io.netanomaly.core.schema.FlowSchema;
import io.netanomaly.core.schema.Row;
import io.netanomaly.core.schema.Schema;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordParserTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String s) throws Exception {
    return JSON.readTree(s);
  }

  @Test
  void flowRecordsUseCanonicalNamesAndAliases() throws Exception {
    RecordParser p = new RecordParser(FlowSchema.SCHEMA);
    Row r = p.parse(json("{\"timestamp\":\"2026-01-05T08:00:00Z\",\"source_ip\":\"10.0.0.1\",\"dst_ip\":\"10.0.0.2\","
        + "\"src_port\":40000,\"dst_port\":443,\"protocol\":\"TCP\",\"bytes\":1200,\"duration_ms\":250}"), "request", 1);
    assertThat(r.text(FlowSchema.I_SRC_IP)).isEqualTo("10.0.0.1");
    assertThat(r.number(FlowSchema.I_DST_PORT)).isEqualTo(443);
    assertThat(r.number(FlowSchema.I_BYTES_SENT)).isEqualTo(1200);
    assertThat(r.number(FlowSchema.I_DURATION)).isEqualTo(0.25);
    assertThat(r.number(FlowSchema.I_PACKETS_SENT)).isNaN();
  }

  @Test
  void aBadFlowFieldIsNamedWithItsValueAndWhatWasExpected() throws Exception {
    RecordParser p = new RecordParser(FlowSchema.SCHEMA);
    InputException e = catchThrowableOfType(InputException.class, () -> p.parse(json(
        "{\"timestamp\":\"2026-01-05T08:00:00Z\",\"src_ip\":\"10.0.0.1\",\"dst_ip\":\"10.0.0.2\",\"dst_port\":\"https\","
            + "\"protocol\":\"TCP\"}"), "request", 3));
    assertThat(e.columnName()).isEqualTo("dst_port");
    assertThat(e.value()).isEqualTo("https");
    assertThat(e.expected()).contains("port");
    assertThat(e.line()).isEqualTo(3);
    assertThatThrownBy(() -> p.parse(json("{\"timestamp\":1,\"src_ip\":\"10.0.0.1\",\"dst_ip\":\"10.0.0.2\","
        + "\"dst_port\":1,\"protocol\":\"TCP\",\"colour\":\"red\"}"), "request", 1))
        .isInstanceOf(InputException.class).hasMessageContaining("colour");
    assertThatThrownBy(() -> p.parse(json("[1,2]"), "request", 1)).isInstanceOf(InputException.class)
        .hasMessageContaining("JSON object");
    assertThatThrownBy(() -> p.parse(json("{\"timestamp\":{\"a\":1}}"), "request", 1))
        .isInstanceOf(InputException.class).hasMessageContaining("timestamp");
  }

  @Test
  void otherTablesParseEachFieldByItsType() throws Exception {
    Schema web = new Schema("web", List.of(new Field("ts", FieldType.TIMESTAMP), new Field("status", FieldType.CATEGORICAL),
        new Field("bytes", FieldType.NUMERIC), new Field("client", FieldType.ADDRESS)), "is_attack", null);
    RecordParser p = new RecordParser(web);
    Row r = p.parse(json("{\"ts\":\"2026-01-05T08:00:00Z\",\"status\":404,\"bytes\":512,\"client\":\"192.0.2.1\","
        + "\"is_attack\":1}"), "form", 1);
    assertThat(r.text(1)).isEqualTo("404");
    assertThat(r.number(2)).isEqualTo(512);
    assertThat(r.isLabelled()).isFalse();
    assertThat(p.parse(json("{\"status\":\"200\"}"), "form", 1).number(2)).isNaN();
    InputException e = catchThrowableOfType(InputException.class,
        () -> p.parse(json("{\"bytes\":\"lots\"}"), "form", 1));
    assertThat(e.getMessage()).contains("bytes").contains("lots").contains("a number");
    assertThatThrownBy(() -> p.parse(json("{\"method\":\"GET\"}"), "form", 1))
        .isInstanceOf(InputException.class).hasMessageContaining("method").hasMessageContaining("ts, status");
  }
}
