package io.netanomaly.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netanomaly.core.schema.Field;
import io.netanomaly.core.schema.FieldType;
import io.netanomaly.core.schema.FlowSchema;
import io.netanomaly.core.schema.Row;
import io.netanomaly.core.schema.Schema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordParserTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final JsonFactory FACTORY = new JsonFactory();
  private static final String FLOW = "{\"timestamp\":\"2026-01-05T08:00:00Z\",\"src_ip\":\"10.0.0.1\","
      + "\"dst_ip\":\"10.0.0.2\",\"dst_port\":443,\"protocol\":\"TCP\"";

  @TempDir Path dir;

  private static JsonNode json(String s) throws Exception {
    return JSON.readTree(s);
  }

  /** Parses one record token by token and checks the tree path gives the same row. */
  private static Row stream(RecordParser p, String s) throws Exception {
    Row viaTree = p.parse(json(s), "request", 1);
    try (JsonParser jp = FACTORY.createParser(s)) {
      jp.nextToken();
      Row r = p.parse(jp, "request", 1);
      assertThat(jp.currentToken()).isEqualTo(JsonToken.END_OBJECT);
      assertThat(jp.nextToken()).isNull();
      // A tree renders numbers its own way (1e3 as "1000.0"), so only the values must agree.
      for (int c = 0; c < r.size(); c++) {
        assertThat(Double.valueOf(r.number(c))).isEqualTo(Double.valueOf(viaTree.number(c)));
      }
      assertThat(r.label()).isEqualTo(viaTree.label());
      assertThat(r.anomalyType()).isEqualTo(viaTree.anomalyType());
      return r;
    }
  }

  private static InputException streamError(RecordParser p, String s, long line) throws Exception {
    try (JsonParser jp = FACTORY.createParser(s)) {
      jp.nextToken();
      return catchThrowableOfType(InputException.class, () -> p.parse(jp, "request", line));
    }
  }

  @Test
  void everyFlowFieldIsReadFromTokens() throws Exception {
    RecordParser p = new RecordParser(FlowSchema.SCHEMA);
    Row r = stream(p, "{\"timestamp\":1767600000.25,\"src_ip\":\"2001:db8::1\",\"dst_ip\":\"10.0.0.2\","
        + "\"src_port\":\"40000\",\"dst_port\":53,\"protocol\":\"UDP\",\"packet_size\":\"512.5\","
        + "\"duration\":1.5e-3,\"flags\":\"\",\"bytes_sent\":100,\"bytes_received\":2e3,\"packets_sent\":1,"
        + "\"packets_received\":2,\"is_anomaly\":true,\"anomaly_type\":\"dns_tunneling\"}");
    assertThat(r.number(FlowSchema.I_TIMESTAMP)).isEqualTo(1_767_600_000_250d);
    assertThat(r.text(FlowSchema.I_TIMESTAMP)).isEqualTo("1767600000.25");
    assertThat(r.text(FlowSchema.I_SRC_IP)).isEqualTo("2001:db8::1");
    assertThat(r.number(FlowSchema.I_SRC_PORT)).isEqualTo(40000);
    assertThat(r.text(FlowSchema.I_SRC_PORT)).isEqualTo("40000");
    assertThat(r.number(FlowSchema.I_DST_PORT)).isEqualTo(53);
    assertThat(r.text(FlowSchema.I_PROTOCOL)).isEqualTo("UDP");
    assertThat(r.number(FlowSchema.I_PACKET_SIZE)).isEqualTo(512.5);
    assertThat(r.number(FlowSchema.I_DURATION)).isEqualTo(0.0015);
    assertThat(r.text(FlowSchema.I_FLAGS)).isEmpty();
    assertThat(r.number(FlowSchema.I_BYTES_SENT)).isEqualTo(100);
    assertThat(r.number(FlowSchema.I_BYTES_RECEIVED)).isEqualTo(2000);
    assertThat(r.number(FlowSchema.I_PACKETS_SENT)).isEqualTo(1);
    assertThat(r.number(FlowSchema.I_PACKETS_RECEIVED)).isEqualTo(2);
    assertThat(r.label()).isEqualTo(1);
    assertThat(r.anomalyType()).isEqualTo("dns_tunneling");
  }

  @Test
  void nullsAndMissingFieldsAreMissingValues() throws Exception {
    RecordParser p = new RecordParser(FlowSchema.SCHEMA);
    Row r = stream(p, FLOW + ",\"src_port\":null,\"flags\":null,\"bytes_sent\":null,\"anomaly_type\":null}");
    assertThat(r.number(FlowSchema.I_SRC_PORT)).isNaN();
    assertThat(r.text(FlowSchema.I_SRC_PORT)).isNull();
    assertThat(r.text(FlowSchema.I_FLAGS)).isNull();
    assertThat(r.number(FlowSchema.I_BYTES_SENT)).isNaN();
    assertThat(r.number(FlowSchema.I_PACKETS_RECEIVED)).isNaN();
    assertThat(r.isLabelled()).isFalse();
    InputException e = streamError(p, "{\"timestamp\":\"2026-01-05T08:00:00Z\",\"src_ip\":null,"
        + "\"dst_ip\":\"10.0.0.2\",\"dst_port\":1,\"protocol\":\"TCP\"}", 7);
    assertThat(e).hasMessage("request:7: column 'src_ip': missing value, expected an IPv4 or IPv6 address");
  }

  @Test
  void escapesAndUnicodeArriveDecoded() throws Exception {
    RecordParser p = new RecordParser(FlowSchema.SCHEMA);
    Row r = stream(p, FLOW.replace("\"TCP\"", "\"T\\u0043P\"") + ",\"flags\":\"S\\\"A\\\\\\/\\t\","
        + "\"anomaly_type\":\"caf\u00e9 \u6f22 \\ud83d\\ude80\"}");
    assertThat(r.text(FlowSchema.I_PROTOCOL)).isEqualTo("TCP");
    assertThat(r.text(FlowSchema.I_FLAGS)).isEqualTo("S\"A\\/\t");
    assertThat(r.anomalyType()).isEqualTo("caf\u00e9 \u6f22 \ud83d\ude80");
    assertThat(r.label()).isEqualTo(1);
  }

  @Test
  void keysMayBeAliasesInAnyCaseAndRepeatedKeysKeepTheLastValue() throws Exception {
    RecordParser p = new RecordParser(FlowSchema.SCHEMA);
    Row r = stream(p, "{\"Timestamp\":\"2026-01-05T08:00:00Z\",\"source_ip\":\"10.0.0.1\","
        + "\"destination_ip\":\"10.0.0.2\",\"dst_port\":{\"x\":1},\"dst_port\":22,\"protocol\":\"TCP\","
        + "\"unique_dest_ips\":[1,2],\"packets\":9}");
    assertThat(r.text(FlowSchema.I_SRC_IP)).isEqualTo("10.0.0.1");
    assertThat(r.number(FlowSchema.I_DST_PORT)).isEqualTo(22);
    assertThat(r.number(FlowSchema.I_PACKETS_SENT)).isEqualTo(9);
    assertThat(streamError(p, FLOW + ",\"source_ip\":\"10.0.0.3\"}", 1)).hasMessage(
        "request:1: column 'source_ip': got 'source_ip', expected each flow key once, but 'src_ip' means the same");
  }

  @Test
  void extraFieldsAreNamedAllTogether() throws Exception {
    RecordParser p = new RecordParser(FlowSchema.SCHEMA);
    InputException e = streamError(p, FLOW + ",\"colour\":\"red\",\"size\":[1]}", 4);
    assertThat(e.columnName()).isEqualTo("colour");
    assertThat(e.value()).isEqualTo("colour, size");
    assertThat(e.line()).isEqualTo(4);
    assertThat(e.column()).isZero();
    assertThat(e.getMessage()).startsWith("request:4: column 'colour': got 'colour, size', expected only canonical");
  }

  @Test
  void valueErrorsQuoteTheValueAndNameTheField() throws Exception {
    RecordParser p = new RecordParser(FlowSchema.SCHEMA);
    assertThat(streamError(p, FLOW.replace("443", "\"https\"") + "}", 3)).hasMessage(
        "request:3: column 'dst_port': got 'https', expected an integer port 0..65535");
    assertThat(streamError(p, FLOW + ",\"bytes_sent\":-5}", 2)).hasMessage(
        "request:2: column 'bytes_sent': got '-5', expected a non-negative number");
    assertThat(streamError(p, FLOW + ",\"bytes_sent\":1e999}", 2)).hasMessage(
        "request:2: column 'bytes_sent': got '1e999', expected a non-negative number");
    assertThat(streamError(p, FLOW + ",\"duration\":{\"a\":[1,\"b\"]}}", 2)).hasMessage(
        "request:2: column 'duration': got '{\"a\":[1,\"b\"]}', expected a string, number, boolean or null");
    assertThat(streamError(p, FLOW + ",\"is_anomaly\":\"maybe\"}", 2)).hasMessage(
        "request:2: column 'is_anomaly': got 'maybe', expected 0/1 or true/false");
    assertThat(streamError(p, "[1,2]", 5)).hasMessage(
        "request:5: got '[1,2]', expected a JSON object with the model's fields");
    assertThat(streamError(p, "\"text\"", 5)).hasMessage(
        "request:5: got '\"text\"', expected a JSON object with the model's fields");
  }

  @Test
  void malformedJsonAfterABadValueIsTheErrorWithItsLocation() throws Exception {
    RecordParser p = new RecordParser(FlowSchema.SCHEMA);
    try (JsonParser jp = FACTORY.createParser(FLOW.replace("443", "\"https\"") + ",\n  \"flags\": S}")) {
      jp.nextToken();
      JsonParseException e = catchThrowableOfType(JsonParseException.class, () -> p.parse(jp, "request", 1));
      assertThat(e.getLocation().getLineNr()).isEqualTo(2);
      assertThat(e.getLocation().getColumnNr()).isEqualTo(12);
    }
  }

  @Test
  void recordsOfAnArrayAreReadOneAfterAnother() throws Exception {
    RecordParser p = new RecordParser(FlowSchema.SCHEMA);
    List<Row> rows = new ArrayList<>();
    try (JsonParser jp = FACTORY.createParser("[" + FLOW + "}, " + FLOW.replace("443", "80") + "}]")) {
      assertThat(jp.nextToken()).isEqualTo(JsonToken.START_ARRAY);
      while (jp.nextToken() == JsonToken.START_OBJECT) {
        rows.add(p.parse(jp, "request", rows.size() + 1));
      }
      assertThat(jp.currentToken()).isEqualTo(JsonToken.END_ARRAY);
    }
    assertThat(rows).extracting(r -> r.number(FlowSchema.I_DST_PORT)).containsExactly(443d, 80d);
    assertThat(rows).extracting(Row::line).containsExactly(1L, 2L);
  }

  @Test
  void jsonLinesFilesReportTheLineOfEachBadRecord() throws Exception {
    Path f = ReaderTesting.write(dir, "flows.jsonl", FLOW + "}\n\n  \n" + FLOW + ",\"src_port\":\"x\"}\r\n"
        + "{\"timestamp\": \n" + FLOW + "} trailing text\n[1]\n" + FLOW.replace("10.0.0.1", "10.0.0.\u00e9") + "}");
    try (RowSource src = Readers.open(f, ReadOptions.defaults())) {
      assertThat(src.next().line()).isEqualTo(1);
      assertThatThrownBy(src::next).hasMessage(f + ":4: column 'src_port': got 'x', expected an integer port 0..65535");
      assertThatThrownBy(src::next).hasMessage(
          f + ":5: got '{\"timestamp\": ', expected a JSON object on each line (JSON Lines)");
      assertThat(src.next().line()).isEqualTo(6);
      assertThatThrownBy(src::next).hasMessage(f + ":7: got '[1]', expected a JSON object on each line (JSON Lines)");
      assertThatThrownBy(src::next).hasMessage(
          f + ":8: column 'src_ip': got '10.0.0.\u00e9', expected an IPv4 or IPv6 address");
      assertThat(src.hasNext()).isFalse();
    }
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
  void otherTablesReadEveryFieldTypeFromTokens() throws Exception {
    Schema t = new Schema("t", List.of(new Field("ts", FieldType.TIMESTAMP), new Field("status", FieldType.CATEGORICAL),
        new Field("bytes", FieldType.NUMERIC), new Field("client", FieldType.ADDRESS), new Field("port", FieldType.PORT),
        new Field("note", FieldType.IGNORED)), "is_attack", "kind");
    RecordParser p = new RecordParser(t);
    Row r = stream(p, "{\"ts\":\"2026-01-05T08:00:00Z\",\"status\":true,\"bytes\":\"1.5e2\",\"client\":\"::1\","
        + "\"port\":8080,\"note\":\"a\\nb\",\"is_attack\":1,\"kind\":\"x\"}");
    assertThat(r.number(0)).isEqualTo(1_767_600_000_000d);
    assertThat(r.text(1)).isEqualTo("true");
    assertThat(r.number(2)).isEqualTo(150);
    assertThat(r.text(3)).isEqualTo("::1");
    assertThat(r.number(4)).isEqualTo(8080);
    assertThat(r.text(5)).isEqualTo("a\nb");
    Row empty = stream(p, "{\"ts\":null,\"bytes\":\"\",\"status\":\"\"}");
    assertThat(empty.number(0)).isNaN();
    assertThat(empty.number(2)).isNaN();
    assertThat(empty.text(1)).isNull();
    assertThat(streamError(p, "{\"port\":70000}", 2)).hasMessage(
        "request:2: column 'port': got '70000', expected an integer port 0..65535");
    assertThat(streamError(p, "{\"client\":\"host.example\"}", 2)).hasMessage(
        "request:2: column 'client': got 'host.example', expected an IPv4 or IPv6 address");
    assertThat(streamError(p, "{\"bytes\":[1]}", 2)).hasMessage(
        "request:2: column 'bytes': got '[1]', expected a string, number, boolean or null");
    assertThat(streamError(p, "{\"status\":1,\"method\":\"GET\"}", 2)).hasMessageStartingWith(
        "request:2: column 'method': got 'method', expected one of the model's fields: ts, status, bytes");
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
