package io.netanomaly.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import io.netanomaly.core.explain.Alert;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvIncidentLogTest {
  private static final String HEADER_LINE = "timestamp,src_ip,dst_ip,src_port,dst_port,packet_size,duration_ms,"
      + "protocol,anomaly_score,anomaly_type,llm_analysis";

  @TempDir
  Path dir;

  /** Every record of the file as FastCSV reads it, header included; each must have 11 fields. */
  private static List<CsvRecord> read(Path file) throws IOException {
    try (CsvReader<CsvRecord> reader = CsvReader.builder().ofCsvRecord(file, StandardCharsets.UTF_8)) {
      List<CsvRecord> records = reader.stream().toList();
      assertThat(records).allSatisfy(r -> assertThat(r.getFieldCount()).isEqualTo(11));
      return records;
    }
  }

  private static Alert flow(double durationSeconds, String analysis) {
    Alert a = TestAlerts.alert(7);
    return new Alert(0, a.detectedAtMillis(), a.eventTimeMillis(), a.srcIp(), a.dstIp(), a.srcPort(), a.dstPort(),
        a.protocol(), 1500, durationSeconds, a.detector(), a.explanation(), Map.of(), analysis);
  }

  @Test
  void writesTheHeaderOnceAndOneRowPerAlertWithTheSeedColumns() throws IOException {
    Path file = dir.resolve("logs").resolve("anomaly_log.csv");
    try (CsvIncidentLog log = CsvIncidentLog.open(file)) {
      log.append(List.of(flow(2.5, "short analysis")));
    }
    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).isEqualTo(HEADER_LINE);
    Alert a = TestAlerts.alert(7);
    // event time T0 + 7 s, 1,700,000,007,000 ms since the epoch
    assertThat(lines.get(1)).isEqualTo("2023-11-14T22:13:27.000Z,10.0.0.7,192.168.1.0,40007,27,1500,2500,TCP,"
        + a.score() + ",large_packet,short analysis");
  }

  @Test
  void unknownValuesAreEmptyFields() throws IOException {
    Path file = dir.resolve("log.csv");
    try (CsvIncidentLog log = CsvIncidentLog.open(file)) {
      Alert awkward = TestAlerts.awkward().withLlmAnalysis(null);
      log.append(List.of(awkward));
    }
    CsvRecord row = read(file).get(1);
    assertThat(row.getField(0)).isEqualTo("1969-12-31T00:00:00.000Z");
    for (int i : new int[] {1, 2, 3, 4, 5, 6, 7, 10}) {
      assertThat(row.getField(i)).as("field %d", i).isEmpty();
    }
    assertThat(row.getField(8)).isEqualTo("0.987654321012345");
    assertThat(row.getField(9)).isEqualTo("dns_tunneling");
  }

  @Test
  void commasQuotesAndLineBreaksInTheAnalysisAreQuotedAndReadBack() throws IOException {
    Path file = dir.resolve("log.csv");
    String nasty = "Port scan, then \"exfiltration\"?\nStep 1: block 10.0.0.7,\r\nstep 2: 'isolate'; ünïcode ✓";
    try (CsvIncidentLog log = CsvIncidentLog.open(file)) {
      log.append(List.of(flow(1, nasty), flow(1, "\""), flow(1, ",")));
    }
    List<CsvRecord> records = read(file);
    assertThat(records).hasSize(4);
    assertThat(records.get(1).getField(10)).isEqualTo(nasty);
    assertThat(records.get(2).getField(10)).isEqualTo("\"");
    assertThat(records.get(3).getField(10)).isEqualTo(",");
    assertThat(Files.readString(file)).contains("\"Port scan, then \"\"exfiltration\"\"?\n");
  }

  @Test
  void reopeningAppendsWithoutASecondHeader() throws IOException {
    Path file = dir.resolve("log.csv");
    try (CsvIncidentLog log = CsvIncidentLog.open(file)) {
      log.append(TestAlerts.alerts(0, 2));
    }
    try (CsvIncidentLog log = CsvIncidentLog.open(file)) {
      log.append(TestAlerts.alerts(2, 3));
      log.append(List.of());
    }
    List<CsvRecord> records = read(file);
    assertThat(records).hasSize(6);
    assertThat(records.get(0).getFields()).isEqualTo(CsvIncidentLog.HEADER);
    assertThat(records.subList(1, 6)).extracting(r -> r.getField(1))
        .containsExactly("10.0.0.0", "10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4");
  }

  @Test
  void anEmptyExistingFileGetsTheHeader() throws IOException {
    Path file = Files.createFile(dir.resolve("empty.csv"));
    try (CsvIncidentLog log = CsvIncidentLog.open(file)) {
      log.append(TestAlerts.alerts(0, 1));
    }
    assertThat(read(file)).hasSize(2);
    assertThat(Files.readAllLines(file).get(0)).isEqualTo(HEADER_LINE);
  }

  @Test
  void appendedRowsAreOnDiskBeforeClose() throws IOException {
    Path file = dir.resolve("log.csv");
    try (CsvIncidentLog log = CsvIncidentLog.open(file)) {
      log.append(TestAlerts.alerts(0, 3));
      assertThat(read(file)).hasSize(4);
    }
  }

  @Test
  void aRowTornByACrashIsCutWhenTheLogIsReopened() throws IOException {
    Path file = dir.resolve("log.csv");
    try (CsvIncidentLog log = CsvIncidentLog.open(file)) {
      log.append(TestAlerts.alerts(0, 2));
    }
    // a write cut short inside a quoted multi-line analysis
    Files.writeString(file, "2023-11-14T22:13:27.000Z,10.0.0.9,192.168.1.0,1,2,3,4,TCP,0.9,port_scan,\"half\nwritt",
        java.nio.file.StandardOpenOption.APPEND);
    try (CsvIncidentLog log = CsvIncidentLog.open(file)) {
      log.append(TestAlerts.alerts(2, 1));
    }
    List<CsvRecord> records = read(file);
    assertThat(records).extracting(r -> r.getField(1)).containsExactly("src_ip", "10.0.0.0", "10.0.0.1", "10.0.0.2");
  }

  @Test
  void aCsvWithOtherColumnsIsNotAppendedTo() throws IOException {
    Path file = dir.resolve("other.csv");
    Files.writeString(file, "a,b,c\n1,2,3\n");
    assertThatThrownBy(() -> CsvIncidentLog.open(file)).isInstanceOf(IOException.class)
        .hasMessageContaining("expected");
    assertThat(Files.readString(file)).isEqualTo("a,b,c\n1,2,3\n");
  }

  @Test
  void appendAfterCloseIsRefused() throws IOException {
    CsvIncidentLog log = CsvIncidentLog.open(dir.resolve("log.csv"));
    log.close();
    log.close();
    assertThatThrownBy(() -> log.append(TestAlerts.alerts(0, 1))).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void numbersArePlainDecimals() {
    assertThat(CsvIncidentLog.number(1500.0)).isEqualTo("1500");
    assertThat(CsvIncidentLog.number(0.1)).isEqualTo("0.1");
    assertThat(CsvIncidentLog.number(1e20)).isEqualTo("100000000000000000000");
    assertThat(CsvIncidentLog.number(2.5e-7)).isEqualTo("0.00000025");
    assertThat(CsvIncidentLog.number(-3.0)).isEqualTo("-3");
    assertThat(CsvIncidentLog.number(Double.NaN)).isEmpty();
  }
}
