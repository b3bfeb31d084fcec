package io.netanomaly.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netanomaly.core.explain.Alert;
import io.netanomaly.core.explain.Explanation;
import io.netanomaly.core.explain.ThreatCatalog;
import io.netanomaly.core.io.InputException;
import io.netanomaly.core.schema.FlowRecord;
import io.netanomaly.core.synth.TrafficSimulator;
import io.netanomaly.store.CsvIncidentLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The incident dashboard from a CSV incident log written as the service writes it. */
class IncidentDashboardTest {
  @TempDir
  Path dir;

  /** Alerts for the anomalous flows among the first {@code flows} simulated ones. */
  static List<Alert> simulatedAlerts(int flows) {
    TrafficSimulator sim = TrafficSimulator.builder().seed(9).anomalyRatio(0.15).build();
    List<Alert> out = new ArrayList<>();
    for (int i = 0; i < flows; i++) {
      FlowRecord f = sim.next();
      var row = f.toRow();
      if (row.label() == 1) {
        double score = 0.55 + (i % 40) / 100.0;
        Explanation e = new Explanation(score, 0.55, row.anomalyType(), List.of(),
            ThreatCatalog.assess(row.anomalyType(), score, 0.55));
        Alert a = Alert.ofFlow(f, f.timestampMillis(), "iforest", e, Map.of());
        out.add(i % 5 == 0 ? a.withLlmAnalysis("Looks like " + row.anomalyType() + ", \"quoted\", line\nbreak") : a);
      }
    }
    return out;
  }

  @Test
  void drawsTheEightPanelsAndTheGridFromACsvIncidentLog() throws Exception {
    Path log = dir.resolve("anomaly_log.csv");
    List<Alert> alerts = simulatedAlerts(4_000);
    try (CsvIncidentLog out = CsvIncidentLog.open(log)) {
      out.append(alerts);
    }
    List<Incident> incidents = IncidentLogReader.read(log);
    assertThat(incidents).hasSize(alerts.size());
    assertThat(incidents.get(0).type()).isEqualTo(alerts.get(0).anomalyType());
    assertThat(incidents.get(0).durationMs()).isCloseTo(alerts.get(0).duration() * 1000,
        org.assertj.core.data.Offset.offset(1e-6));

    Path out = dir.resolve("dash");
    List<Path> charts = IncidentDashboard.write(incidents, "anomaly_log.csv", null, out);

    assertThat(charts).extracting(p -> p.getFileName().toString()).containsExactly("incident-dashboard.png",
        "anomalies-by-source-port.png", "packet-size.png", "score-distribution.png", "protocol-breakdown.png",
        "duration-vs-packet-size.png", "anomaly-types.png", "detection-timeline.png", "executive-summary.png");
    PngCheck.assertChart(charts.get(0), 3200, 1600);
    for (Path c : charts.subList(1, charts.size())) {
      PngCheck.assertChart(c, ChartStyle.WIDTH, ChartStyle.HEIGHT);
    }
    PngCheck.assertPageReferences(out.resolve("index.html"), charts);
    assertThat(Files.readString(out.resolve("index.html"))).contains("holds only anomalies")
        .contains(String.format("%,d alerts", alerts.size()));
    EvaluationReportTest.copyForReview(out, "incidents");
  }

  @Test
  void withANormalRangeThePacketSizePanelComparesAgainstIt() throws Exception {
    List<Incident> incidents = simulatedAlerts(2_000).stream().map(Incident::of).toList();

    List<Path> charts = IncidentDashboard.write(incidents, "store", new IncidentDashboard.NormalRange(60, 1500), dir);

    PngCheck.assertChart(dir.resolve("packet-size.png"), ChartStyle.WIDTH, ChartStyle.HEIGHT);
    assertThat(charts).hasSize(9);
    assertThat(Files.readString(dir.resolve("index.html"))).contains("normal range the model learned");
  }

  @Test
  void aBadRowIsReportedWithItsLineAndColumn() throws Exception {
    Path log = dir.resolve("bad.csv");
    Files.writeString(log, String.join(",", IncidentLogReader.COLUMNS) + "\n"
        + "2026-01-05T00:00:01.000Z,10.0.0.1,10.0.0.2,4000,22,60,1.5,TCP,0.8,brute_force,\n"
        + "2026-01-05T00:00:02.000Z,10.0.0.1,10.0.0.2,99999,22,60,1.5,TCP,0.8,brute_force,\n");

    assertThatThrownBy(() -> IncidentLogReader.read(log)).isInstanceOf(InputException.class)
        .hasMessageStartingWith(log + ":3:4: column 'src_port'").hasMessageContaining("99999");
  }

  @Test
  void aShortRowAndAMissingColumnAreReported() throws Exception {
    Path shortRow = dir.resolve("short.csv");
    Files.writeString(shortRow, String.join(",", IncidentLogReader.COLUMNS) + "\n2026-01-05T00:00:01.000Z,10.0.0.1\n");
    assertThatThrownBy(() -> IncidentLogReader.read(shortRow)).isInstanceOf(InputException.class)
        .hasMessageStartingWith(shortRow + ":2").hasMessageContaining("11 fields");

    Path noScore = dir.resolve("noscore.csv");
    Files.writeString(noScore, "timestamp,src_ip\n");
    assertThatThrownBy(() -> IncidentLogReader.read(noScore)).isInstanceOf(InputException.class)
        .hasMessageContaining(":1").hasMessageContaining("dst_ip");
  }

  @Test
  void anEmptyLogIsRefused() throws Exception {
    assertThatThrownBy(() -> IncidentDashboard.write(List.of(), "empty.csv", null, dir))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no alerts");
  }
}
