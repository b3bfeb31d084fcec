package io.netanomaly.stream.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.netanomaly.core.schema.FlowSchema;
import io.netanomaly.core.schema.Row;
import io.netanomaly.stream.Datasets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Every row of the Zeek conn.log files Zeek wrote for the shared pcaps is read and mapped. */
@Tag("dataset")
class ZeekDatasetTest {
  private static final long READ_TIME = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

  private static List<Row> read(String file, MalformedLines malformed) throws Exception {
    Path path = Datasets.requireRoot().resolve("zeek").resolve(file);
    assertThat(path).exists();
    List<Row> rows = new ArrayList<>();
    try (ZeekSource source = new ZeekSource(path, false, SourceOptions.defaults(), malformed, s -> { },
        () -> READ_TIME)) {
      for (Row r; (r = source.next()) != null; ) {
        rows.add(r);
      }
    }
    return rows;
  }

  private static Map<String, Integer> protocols(List<Row> rows) {
    Map<String, Integer> m = new TreeMap<>();
    rows.forEach(r -> m.merge(r.text(FlowSchema.I_PROTOCOL), 1, Integer::sum));
    return m;
  }

  @Test
  void wikipedia() throws Exception {
    MalformedLines malformed = new MalformedLines(s -> { });
    List<Row> rows = read("wikipedia.conn.log", malformed);
    assertThat(malformed.count()).isZero();
    assertThat(rows).hasSize(34);
    assertThat(protocols(rows)).isEqualTo(Map.of("TCP", 10, "UDP", 24));
    assertThat(rows).allSatisfy(r -> {
      assertThat(r.number(FlowSchema.I_TIMESTAMP)).as("masked ts → read time").isEqualTo(READ_TIME);
      assertThat(r.text(FlowSchema.I_SRC_IP)).isNotBlank();
      assertThat(r.text(FlowSchema.I_DST_IP)).isNotBlank();
      assertThat(r.number(FlowSchema.I_DST_PORT)).isBetween(0.0, 65535.0);
      assertThat(r.number(FlowSchema.I_PACKETS_SENT)).isGreaterThanOrEqualTo(0);
      assertThat(r.number(FlowSchema.I_PACKET_SIZE)).isPositive();
    });
    Row first = rows.get(0); // 141.142.220.202 5353 -> 224.0.0.251 5353 udp dns, 1 packet of 73 IP bytes
    assertThat(first.text(FlowSchema.I_SRC_IP)).isEqualTo("141.142.220.202");
    assertThat(first.text(FlowSchema.I_DST_IP)).isEqualTo("224.0.0.251");
    assertThat(first.number(FlowSchema.I_SRC_PORT)).isEqualTo(5353);
    assertThat(first.number(FlowSchema.I_DST_PORT)).isEqualTo(5353);
    assertThat(first.number(FlowSchema.I_DURATION)).isNaN();
    assertThat(first.number(FlowSchema.I_PACKET_SIZE)).isEqualTo(73.0);
    assertThat(first.text(FlowSchema.I_FLAGS)).isEmpty();
    assertThat(rows.get(1).text(FlowSchema.I_SRC_IP)).isEqualTo("fe80::217:f2ff:fed7:cf65");
    assertThat(rows).filteredOn(r -> r.text(FlowSchema.I_PROTOCOL).equals("TCP"))
        .allSatisfy(r -> assertThat(r.text(FlowSchema.I_FLAGS)).isNotEmpty());
  }

  @Test
  void ftpIpv4() throws Exception {
    MalformedLines malformed = new MalformedLines(s -> { });
    List<Row> rows = read("ftp-ipv4.conn.log", malformed);
    assertThat(malformed.count()).isZero();
    assertThat(rows).hasSize(5);
    assertThat(protocols(rows)).isEqualTo(Map.of("TCP", 5));
    // XXXXXXXXXX.XXXXXX ClEkJM2Vm5giqnMf4h 141.142.220.235 37604 199.233.217.249 56666 tcp ftp-data 0.112432 0 342
    // SF F F 0 ShAdfFa 4 216 4 562 - 6
    Row r = rows.get(0);
    assertThat(r.text(FlowSchema.I_SRC_IP)).isEqualTo("141.142.220.235");
    assertThat(r.number(FlowSchema.I_SRC_PORT)).isEqualTo(37604);
    assertThat(r.text(FlowSchema.I_DST_IP)).isEqualTo("199.233.217.249");
    assertThat(r.number(FlowSchema.I_DST_PORT)).isEqualTo(56666);
    assertThat(r.number(FlowSchema.I_DURATION)).isEqualTo(0.112432);
    assertThat(r.number(FlowSchema.I_BYTES_SENT)).isEqualTo(0);
    assertThat(r.number(FlowSchema.I_BYTES_RECEIVED)).isEqualTo(342);
    assertThat(r.number(FlowSchema.I_PACKETS_SENT)).isEqualTo(4);
    assertThat(r.number(FlowSchema.I_PACKETS_RECEIVED)).isEqualTo(4);
    assertThat(r.number(FlowSchema.I_PACKET_SIZE)).isEqualTo((216 + 562) / 8.0);
    assertThat(r.text(FlowSchema.I_FLAGS)).isEqualTo("SAPF");
  }

  @Test
  void pppoe() throws Exception {
    MalformedLines malformed = new MalformedLines(s -> { });
    List<Row> rows = read("pppoe.conn.log", malformed);
    assertThat(malformed.count()).isZero();
    assertThat(rows).hasSize(7);
    assertThat(protocols(rows)).isEqualTo(Map.of("ICMP", 5, "UDP", 2));
    // fc00:0:2:100::1:1 128 -> fc00::1 129 icmp 0.156000 260 260 ... 5 500 5 500
    Row r = rows.get(0);
    assertThat(r.text(FlowSchema.I_SRC_IP)).isEqualTo("fc00:0:2:100::1:1");
    assertThat(r.number(FlowSchema.I_SRC_PORT)).isEqualTo(128);
    assertThat(r.number(FlowSchema.I_DST_PORT)).isEqualTo(129);
    assertThat(r.number(FlowSchema.I_DURATION)).isEqualTo(0.156);
    assertThat(r.number(FlowSchema.I_BYTES_SENT)).isEqualTo(260);
    assertThat(r.number(FlowSchema.I_PACKET_SIZE)).isEqualTo(100.0);
    assertThat(r.text(FlowSchema.I_FLAGS)).isEmpty();
  }

  @Test
  void everyLogFileIsReadWithoutMalformedLines() throws Exception {
    Path dir = Datasets.requireRoot().resolve("zeek");
    int files = 0;
    try (var listing = Files.newDirectoryStream(dir, "*.conn.log")) {
      for (Path p : listing) {
        MalformedLines malformed = new MalformedLines(s -> { });
        long dataLines = Files.readAllLines(p).stream().filter(l -> !l.startsWith("#") && !l.isBlank()).count();
        assertThat(read(p.getFileName().toString(), malformed)).as(p.toString()).hasSize((int) dataLines);
        assertThat(malformed.count()).isZero();
        files++;
      }
    }
    assertThat(files).isGreaterThanOrEqualTo(3);
  }
}
