package io.netanomaly.core.io;

import static io.netanomaly.core.io.ReaderTesting.firstError;
import static io.netanomaly.core.io.ReaderTesting.format;
import static io.netanomaly.core.io.ReaderTesting.readAll;
import static io.netanomaly.core.io.ReaderTesting.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netanomaly.core.schema.FlowSchema;
import io.netanomaly.core.schema.Row;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlowReaderTest {
  static final String HEADER = "timestamp,src_ip,dst_ip,src_port,dst_port,protocol,packet_size,"
      + "duration,flags,bytes_sent,bytes_received,packets_sent,packets_received,is_anomaly,"
      + "anomaly_type";

  @TempDir Path dir;

  @Test
  void readsCanonicalCsv() throws Exception {
    Path f = write(dir, "flows.csv", HEADER + "\n"
        + "2026-01-05T08:00:00Z,10.0.0.1,10.0.0.2,51000,443,tcp,512.5,1.25,SAPF,2048,4096,4,8,0,normal\n"
        + "1736064000.5,10.0.0.3,fe80::1,,53,udp,,,,100,0,1,0,1,port_scan\n");
    try (RowSource src = Readers.open(f, ReadOptions.defaults())) {
      assertThat(src.schema()).isEqualTo(FlowSchema.SCHEMA);
      assertThat(src.totalBytes()).isPositive();
      Row a = src.next();
      assertThat(a.number(FlowSchema.I_TIMESTAMP))
          .isEqualTo(Instant.parse("2026-01-05T08:00:00Z").toEpochMilli());
      assertThat(a.text(FlowSchema.I_TIMESTAMP)).isEqualTo("2026-01-05T08:00:00Z");
      assertThat(a.text(FlowSchema.I_SRC_IP)).isEqualTo("10.0.0.1");
      assertThat(a.number(FlowSchema.I_SRC_PORT)).isEqualTo(51000);
      assertThat(a.text(FlowSchema.I_DST_PORT)).isEqualTo("443");
      assertThat(a.text(FlowSchema.I_PROTOCOL)).isEqualTo("tcp");
      assertThat(a.number(FlowSchema.I_PACKET_SIZE)).isEqualTo(512.5);
      assertThat(a.number(FlowSchema.I_DURATION)).isEqualTo(1.25);
      assertThat(a.text(FlowSchema.I_FLAGS)).isEqualTo("SAPF");
      assertThat(a.number(FlowSchema.I_BYTES_RECEIVED)).isEqualTo(4096);
      assertThat(a.number(FlowSchema.I_PACKETS_RECEIVED)).isEqualTo(8);
      assertThat(a.label()).isZero();
      assertThat(a.anomalyType()).isEqualTo("normal");
      assertThat(a.line()).isEqualTo(2);
      Row b = src.next();
      assertThat(b.number(FlowSchema.I_TIMESTAMP)).isEqualTo(1_736_064_000_500d);
      assertThat(b.number(FlowSchema.I_SRC_PORT)).isNaN();
      assertThat(b.text(FlowSchema.I_SRC_PORT)).isNull();
      assertThat(b.number(FlowSchema.I_PACKET_SIZE)).isNaN();
      assertThat(b.text(FlowSchema.I_FLAGS)).isEmpty();
      assertThat(b.label()).isEqualTo(1);
      assertThat(b.anomalyType()).isEqualTo("port_scan");
      assertThat(src.hasNext()).isFalse();
      assertThat(src.rowsRead()).isEqualTo(2);
      assertThat(src.bytesRead()).isEqualTo(src.totalBytes());
    }
  }

  @Test
  void mapsLegacyAliases() throws Exception {
    Path f = write(dir, "old.csv",
        "timestamp,source_ip,destination_ip,destination_port,protocol,bytes,packets,duration_ms,"
            + "unique_dest_ips,total_bytes,packet_rate,label\n"
            + "2026-01-05 08:00:00,10.0.0.1,10.0.0.2,22,tcp,1500,3,2500,7,99,1.5,true\n");
    Row r = readAll(f, ReadOptions.defaults()).get(0);
    assertThat(r.text(FlowSchema.I_SRC_IP)).isEqualTo("10.0.0.1");
    assertThat(r.text(FlowSchema.I_DST_IP)).isEqualTo("10.0.0.2");
    assertThat(r.number(FlowSchema.I_DST_PORT)).isEqualTo(22);
    assertThat(r.number(FlowSchema.I_BYTES_SENT)).isEqualTo(1500);
    assertThat(r.number(FlowSchema.I_BYTES_RECEIVED)).isNaN();
    assertThat(r.number(FlowSchema.I_PACKETS_SENT)).isEqualTo(3);
    assertThat(r.number(FlowSchema.I_PACKETS_RECEIVED)).isNaN();
    assertThat(r.number(FlowSchema.I_DURATION)).isEqualTo(2.5);
    assertThat(r.label()).isEqualTo(1);
    assertThat(r.anomalyType()).isNull();
  }

  @Test
  void readsJsonLinesByExtensionAndBySniffing() throws Exception {
    String content = "{\"timestamp\":\"2026-01-05T08:00:00Z\",\"source_ip\":\"10.0.0.1\","
        + "\"dst_ip\":\"10.0.0.2\",\"dst_port\":80,\"protocol\":\"tcp\",\"bytes\":10,"
        + "\"duration_ms\":1500,\"flags\":null,\"is_anomaly\":false}\n\n"
        + "{\"timestamp\":1736064000,\"src_ip\":\"::1\",\"dst_ip\":\"10.0.0.2\",\"dst_port\":\"53\","
        + "\"protocol\":\"udp\",\"bytes_sent\":1.5e3,\"anomaly_type\":\"dns_tunnel\"}\n";
    for (String name : new String[] {"flows.jsonl", "flows.txt"}) {
      List<Row> rows = readAll(write(dir, name, content), ReadOptions.defaults());
      assertThat(rows).hasSize(2);
      assertThat(rows.get(0).number(FlowSchema.I_BYTES_SENT)).isEqualTo(10);
      assertThat(rows.get(0).number(FlowSchema.I_DURATION)).isEqualTo(1.5);
      assertThat(rows.get(0).text(FlowSchema.I_FLAGS)).isNull();
      assertThat(rows.get(0).label()).isZero();
      assertThat(rows.get(1).line()).isEqualTo(3);
      assertThat(rows.get(1).number(FlowSchema.I_TIMESTAMP)).isEqualTo(1_736_064_000_000d);
      assertThat(rows.get(1).number(FlowSchema.I_DST_PORT)).isEqualTo(53);
      assertThat(rows.get(1).number(FlowSchema.I_BYTES_SENT)).isEqualTo(1500);
      assertThat(rows.get(1).label()).isEqualTo(1);
      assertThat(rows.get(1).anomalyType()).isEqualTo("dns_tunnel");
    }
  }

  @Test
  void readsStdinStyleStreams() throws Exception {
    String csv = "\uFEFF" + HEADER + "\n2026-01-05T08:00:00Z,10.0.0.1,10.0.0.2,1,2,tcp,1,1,S,1,1,1,1,0,normal\n";
    try (RowSource src = Readers.open(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)),
        "stdin", DataFormat.AUTO, ReadOptions.defaults())) {
      assertThat(src.totalBytes()).isEqualTo(-1);
      assertThat(src.next().number(FlowSchema.I_DST_PORT)).isEqualTo(2);
      assertThat(src.hasNext()).isFalse();
    }
  }

  @Test
  void locatesBadValues() throws Exception {
    String good = "2026-01-05T08:00:00Z,10.0.0.1,10.0.0.2,1000,80,tcp,1,1,S,1,1,1,1,0,normal";
    String[][] cases = {
      {"2026-01-05T08:00:00Z,10.0.0.1,10.0.0.2,1000,abc,tcp,1,1,S,1,1,1,1,0,normal",
          "flows.csv:3:5: column 'dst_port': got 'abc', expected an integer port 0..65535"},
      {"2026-01-05T08:00:00Z,10.0.0.1,10.0.0.2,-1,80,tcp,1,1,S,1,1,1,1,0,normal",
          "flows.csv:3:4: column 'src_port': got '-1', expected an integer port 0..65535"},
      {"2026-01-05T08:00:00Z,10.0.0.1,10.0.0.2,1000,70000,tcp,1,1,S,1,1,1,1,0,normal",
          "flows.csv:3:5: column 'dst_port': got '70000', expected an integer port 0..65535"},
      {"yesterday,10.0.0.1,10.0.0.2,1000,80,tcp,1,1,S,1,1,1,1,0,normal",
          "flows.csv:3:1: column 'timestamp': got 'yesterday', expected an ISO-8601 time "
              + "(2026-01-05T08:00:00Z) or epoch seconds"},
      {"2026-01-05T08:00:00Z,host.example,10.0.0.2,1000,80,tcp,1,1,S,1,1,1,1,0,normal",
          "flows.csv:3:2: column 'src_ip': got 'host.example', expected an IPv4 or IPv6 address"},
      {"2026-01-05T08:00:00Z,10.0.0.1,,1000,80,tcp,1,1,S,1,1,1,1,0,normal",
          "flows.csv:3:3: column 'dst_ip': missing value, expected an IPv4 or IPv6 address"},
      {"2026-01-05T08:00:00Z,10.0.0.1,10.0.0.2,1000,80,tcp,1,1,S,-5,1,1,1,0,normal",
          "flows.csv:3:10: column 'bytes_sent': got '-5', expected a non-negative number"},
      {"2026-01-05T08:00:00Z,10.0.0.1,10.0.0.2,1000,80,tcp,1,NaN,S,1,1,1,1,0,normal",
          "flows.csv:3:8: column 'duration': got 'NaN', expected a non-negative number"},
      {"2026-01-05T08:00:00Z,10.0.0.1,10.0.0.2,1000,80,tcp,1,1,S,1,1,1,1,maybe,normal",
          "flows.csv:3:14: column 'is_anomaly': got 'maybe', expected 0/1 or true/false"},
      {"2026-01-05T08:00:00Z,10.0.0.1,10.0.0.2,1000,80",
          "flows.csv:3: found 5 fields, expected 15 as in the header"},
    };
    for (String[] c : cases) {
      Path f = write(dir, "flows.csv", HEADER + "\n" + good + "\n" + c[0] + "\n" + good + "\n");
      InputException e = firstError(f, format(DataFormat.FLOW));
      assertThat(e.getMessage()).isEqualTo(f + c[1].substring("flows.csv".length()));
      assertThat(e.line()).isEqualTo(3);
      assertThat(e.source()).isEqualTo(f.toString());
      assertThat(e.expected()).isNotEmpty();
    }
  }

  @Test
  void errorFieldsAreExposed() throws Exception {
    Path f = write(dir, "flows.csv", HEADER + "\n"
        + "2026-01-05T08:00:00Z,10.0.0.1,10.0.0.2,1000,abc,tcp,1,1,S,1,1,1,1,0,normal\n");
    InputException e = firstError(f, ReadOptions.defaults());
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.column()).isEqualTo(5);
    assertThat(e.columnName()).isEqualTo("dst_port");
    assertThat(e.value()).isEqualTo("abc");
    assertThat(e.expected()).isEqualTo("an integer port 0..65535");
  }

  @Test
  void longValuesAreTruncatedInErrors() throws Exception {
    String longPort = "9".repeat(200);
    Path f = write(dir, "flows.csv", HEADER + "\n"
        + "2026-01-05T08:00:00Z,10.0.0.1,10.0.0.2,1000," + longPort + ",tcp,1,1,S,1,1,1,1,0,normal\n");
    InputException e = firstError(f, ReadOptions.defaults());
    assertThat(e.value()).hasSize(63).endsWith("...");
    assertThat(e.getMessage()).contains("got '" + "9".repeat(60) + "...'");
  }

  @Test
  void unknownColumnsAreNamedAtOpen() throws Exception {
    Path f = write(dir, "flows.csv", "timestamp,src_ip,dst_ip,dst_port,protocol,colour,size\n");
    assertThatThrownBy(() -> Readers.open(f, format(DataFormat.FLOW)))
        .isInstanceOf(InputException.class)
        .hasMessageStartingWith(f + ":1:6: column 'colour': got 'colour, size', expected only "
            + "canonical flow columns: timestamp, src_ip")
        .hasMessageContaining("--format csv --label-column C");
  }

  @Test
  void missingRequiredColumnIsNamed() throws Exception {
    Path f = write(dir, "flows.csv", "timestamp,src_ip,dst_ip,protocol\n");
    assertThatThrownBy(() -> Readers.open(f, format(DataFormat.FLOW)))
        .isInstanceOf(InputException.class)
        .hasMessage(f + ":1: column 'dst_port': missing value, expected a header with the "
            + "columns timestamp, src_ip, dst_ip, dst_port, protocol (or their aliases)");
  }

  @Test
  void autoRejectsForeignTablesWithAHint() throws Exception {
    Path f = write(dir, "web.csv", "time,status,method\n2026-01-05,200,GET\n");
    assertThatThrownBy(() -> Readers.open(f, ReadOptions.defaults()))
        .isInstanceOf(InputException.class)
        .hasMessageContaining(f + ":1: got 'time,status,method', expected a canonical flow header")
        .hasMessageContaining("--format csv --label-column C");
  }

  @Test
  void jsonErrorsNameTheKey() throws Exception {
    Path f = write(dir, "flows.jsonl",
        "{\"timestamp\":\"2026-01-05T08:00:00Z\",\"src_ip\":\"10.0.0.1\",\"dst_ip\":\"10.0.0.2\","
            + "\"dst_port\":99999,\"protocol\":\"tcp\"}\n"
            + "not json\n"
            + "{\"timestamp\":\"2026-01-05T08:00:00Z\",\"src_ip\":\"10.0.0.1\",\"dst_ip\":\"10.0.0.2\","
            + "\"protocol\":\"tcp\",\"extra\":1}\n"
            + "{\"timestamp\":\"2026-01-05T08:00:00Z\",\"src_ip\":\"10.0.0.1\",\"dst_ip\":\"10.0.0.2\","
            + "\"protocol\":\"tcp\"}\n");
    try (RowSource src = Readers.open(f, ReadOptions.defaults())) {
      assertThatThrownBy(src::next).hasMessage(
          f + ":1: column 'dst_port': got '99999', expected an integer port 0..65535");
      assertThatThrownBy(src::next).hasMessage(
          f + ":2: got 'not json', expected a JSON object on each line (JSON Lines)");
      assertThatThrownBy(src::next).hasMessageStartingWith(
          f + ":3: column 'extra': got 'extra', expected only canonical flow columns");
      assertThatThrownBy(src::next).hasMessage(
          f + ":4: column 'dst_port': missing value, expected an integer port 0..65535");
      assertThat(src.hasNext()).isFalse();
    }
  }

  @Test
  void skipInvalidCountsKeepsFirstErrorsAndAllGoodRows() throws Exception {
    StringBuilder b = new StringBuilder(HEADER).append('\n');
    int good = 0;
    for (int i = 0; i < 100; i++) {
      if (i % 7 == 3) {
        b.append("2026-01-05T08:00:00Z,10.0.0.1,10.0.0.2,1000,bad").append(i)
            .append(",tcp,1,1,S,1,1,1,1,0,normal\n");
      } else {
        b.append("2026-01-05T08:00:00Z,10.0.0.1,10.0.0.2,1000,").append(i)
            .append(",tcp,1,1,S,1,1,1,1,0,normal\n");
        good++;
      }
    }
    Path f = write(dir, "flows.csv", b.toString());
    ReadOptions opts = ReadOptions.builder().skipInvalid(true).maxErrorsKept(3).build();
    try (RowSource src = Readers.open(f, opts)) {
      int n = 0;
      while (src.hasNext()) {
        Row r = src.next();
        assertThat(r.number(FlowSchema.I_DST_PORT) % 7).isNotEqualTo(3);
        n++;
      }
      assertThat(n).isEqualTo(good);
      assertThat(src.rowsRead()).isEqualTo(good);
      assertThat(src.skippedCount()).isEqualTo(100 - good);
      assertThat(src.firstErrors()).hasSize(3);
      assertThat(src.firstErrors().get(0).line()).isEqualTo(5);
      assertThat(src.firstErrors().get(0).value()).isEqualTo("bad3");
      assertThat(src.firstErrors().get(2).line()).isEqualTo(19);
    }
  }
}
