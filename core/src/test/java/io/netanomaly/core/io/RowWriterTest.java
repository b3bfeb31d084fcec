package io.netanomaly.core.io;

import static io.netanomaly.core.io.ReaderTesting.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netanomaly.core.schema.Field;
import io.netanomaly.core.schema.FieldType;
import io.netanomaly.core.schema.FlowRecord;
import io.netanomaly.core.schema.FlowSchema;
import io.netanomaly.core.schema.Row;
import io.netanomaly.core.schema.Schema;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RowWriterTest {
  @TempDir Path dir;

  private static List<Row> flows(int n) {
    Random random = new Random(7);
    List<Row> rows = new ArrayList<>();
    String[] types = {"port_scan", "exfil, \"quoted\"", "ddos\nline"};
    for (int i = 0; i < n; i++) {
      boolean anomaly = i % 5 == 0;
      rows.add(new FlowRecord(1_767_600_000_000L + i * 1234L, "10.0.0." + (i % 250),
          i % 2 == 0 ? "2001:db8::" + i : "192.168.1.1", random.nextInt(65536),
          random.nextInt(1024), i % 3 == 0 ? "udp" : "tcp", random.nextDouble() * 1500,
          random.nextInt(100) / 8.0, i % 3 == 0 ? "" : "SA", random.nextInt(1_000_000),
          random.nextInt(10), random.nextInt(100), 0, anomaly ? 1 : 0,
          anomaly ? types[i % 3] : "normal").toRow());
    }
    return rows;
  }

  @Test
  void flowsRoundTripThroughCsvAndJsonLines() throws Exception {
    List<Row> rows = flows(500);
    for (String name : new String[] {"out.csv", "out.jsonl"}) {
      Path out = dir.resolve(name);
      try (RowWriter w = RowWriter.open(out, FlowSchema.SCHEMA, true, List.of())) {
        for (Row r : rows) {
          w.write(r);
        }
      }
      List<Row> back = readAll(out, ReadOptions.defaults());
      assertThat(back).as(name).hasSize(rows.size());
      for (int i = 0; i < rows.size(); i++) {
        Row a = back.get(i);
        Row e = rows.get(i);
        for (int c = 0; c < FlowSchema.SCHEMA.size(); c++) {
          String what = name + " row " + i + " " + FlowSchema.SCHEMA.field(c).name();
          assertThat(Double.valueOf(a.number(c))).as(what).isEqualTo(Double.valueOf(e.number(c)));
          if (c != FlowSchema.I_TIMESTAMP) {
            assertThat(a.text(c)).as(what).isEqualTo(e.text(c));
          }
        }
        assertThat(a.label()).isEqualTo(e.label());
        assertThat(a.anomalyType()).isEqualTo(e.anomalyType());
      }
    }
  }

  @Test
  void csvFormatsNumbersTimesAndMissingValues() throws Exception {
    Schema schema = new Schema("t", List.of(new Field("n", FieldType.NUMERIC),
        new Field("t", FieldType.TIMESTAMP), new Field("p", FieldType.PORT),
        new Field("c", FieldType.CATEGORICAL)), "is_attack", null);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (RowWriter w = RowWriter.open(bytes, false, schema, true, List.of("score"))) {
      w.write(new Row(new double[] {80, 1_767_600_000_123d, 443, Double.NaN},
          new String[] {null, null, "443", "a,b"}, 1, "x", 0), "0.75");
      w.write(new Row(new double[] {0.1, Double.NaN, Double.NaN, Double.NaN},
          new String[] {null, "2026-01-05 08:00:00", null, null}, Row.UNLABELLED, null, 0),
          (String) null);
      w.write(new Row(new double[] {-2.5e20, Double.NaN, Double.NaN, Double.NaN},
          new String[4], 0, "normal", 0), "x");
    }
    assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(
        "n,t,p,c,is_attack,score\n"
            + "80,2026-01-05T08:00:00.123Z,443,\"a,b\",1,0.75\n"
            + "0.1,2026-01-05 08:00:00,,,,\n"
            + "-2.5E20,,,,0,x\n");
  }

  @Test
  void jsonLinesUsesJsonTypesAndNull() throws Exception {
    Schema schema = new Schema("t", List.of(new Field("n", FieldType.NUMERIC),
        new Field("c", FieldType.CATEGORICAL)), "label", "type");
    Path out = dir.resolve("out.json");
    try (RowWriter w = RowWriter.open(out, schema, true, List.of("score", "note"))) {
      w.write(new Row(new double[] {3, Double.NaN}, new String[] {null, "x\"y"}, 1, "scan", 0),
          "0.5", "hello");
      w.write(new Row(new double[] {Double.NaN, Double.NaN}, new String[2], -1, null, 0),
          null, "12abc");
    }
    List<String> lines = Files.readAllLines(out);
    assertThat(lines).hasSize(2);
    ObjectMapper m = new ObjectMapper();
    JsonNode a = m.readTree(lines.get(0));
    assertThat(a.get("n").isIntegralNumber()).isTrue();
    assertThat(a.get("n").asLong()).isEqualTo(3);
    assertThat(a.get("c").asText()).isEqualTo("x\"y");
    assertThat(a.get("label").asInt()).isEqualTo(1);
    assertThat(a.get("type").asText()).isEqualTo("scan");
    assertThat(a.get("score").isNumber()).isTrue();
    assertThat(a.get("note").isTextual()).isTrue();
    JsonNode b = m.readTree(lines.get(1));
    assertThat(b.get("n").isNull()).isTrue();
    assertThat(b.get("label").isNull()).isTrue();
    assertThat(b.get("score").isNull()).isTrue();
    assertThat(b.get("note").asText()).isEqualTo("12abc");
  }

  @Test
  void withoutLabelsOnlyFeaturesAndExtrasAreWritten() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (RowWriter w = RowWriter.open(bytes, false, FlowSchema.SCHEMA, false, List.of("score"))) {
      assertThat(w.columns()).hasSize(14).endsWith("score").doesNotContain("is_anomaly");
      assertThatThrownBy(() -> w.write(flows(1).get(0))).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
