package io.netanomaly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.netanomaly.core.explain.Alert;
import io.netanomaly.core.explain.Explanation;
import io.netanomaly.core.explain.ThreatCatalog;
import io.netanomaly.core.io.Readers;
import io.netanomaly.core.io.ReadOptions;
import io.netanomaly.core.io.RowSource;
import io.netanomaly.core.pipeline.DetectionPipeline;
import io.netanomaly.core.schema.FlowRecord;
import io.netanomaly.core.schema.Row;
import io.netanomaly.core.synth.TrafficSimulator;
import io.netanomaly.store.AlertStore;
import io.netanomaly.store.CsvIncidentLog;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code evaluate --report} and {@code report} as a user runs them. */
class ReportCommandTest {
  @TempDir
  Path dir;

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void evaluateWritesAnHtmlReportWithEveryChart() throws Exception {
    Path train = dir.resolve("train.csv");
    Path test = dir.resolve("test.csv");
    assertThat(run("generate", "--samples", "3000", "--anomaly-ratio", "0.08", "--seed", "1", "--out", train.toString())
        .code()).isZero();
    assertThat(run("generate", "--samples", "2000", "--anomaly-ratio", "0.08", "--seed", "2", "--out", test.toString())
        .code()).isZero();
    List<Row> rows = new ArrayList<>();
    RowSource src = Readers.open(train, ReadOptions.builder().build());
    try (src) {
      while (src.hasNext()) {
        rows.add(src.next());
      }
    }
    Path model = dir.resolve("m.nam");
    DetectionPipeline.builder().seed(3).threads(2).trees(40).models(List.of("iforest", "dbscan"))
        .fit(src.schema(), rows).save(model);
    Path out = dir.resolve("report");

    Result r = run("evaluate", "--model", model.toString(), "--data", test.toString(), "--report", out.toString());

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("ROC-AUC").contains("report written to");
    List<String> expected = List.of("confusion-matrix.png", "roc-curve.png", "precision-recall.png",
        "score-distribution.png", "per-type-recall.png", "feature-importance.png", "pca-scatter.png",
        "feature-correlation.png", "anomalies-over-time.png", "ensemble-roc.png", "dbscan-k-distance.png",
        "dbscan-clusters.png");
    assertThat(referencedImages(out.resolve("index.html"))).containsExactlyInAnyOrderElementsOf(expected);
    for (String f : expected) {
      assertChart(out.resolve(f), 1600, 1000);
    }
  }

  @Test
  void reportDrawsTheDashboardFromACsvIncidentLog() throws Exception {
    Path log = dir.resolve("anomaly_log.csv");
    try (CsvIncidentLog csv = CsvIncidentLog.open(log)) {
      csv.append(alerts());
    }
    Path out = dir.resolve("dash");

    Result r = run("report", "--alerts", log.toString(), "--out", out.toString());

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("incident dashboard of").contains("(9 charts)");
    assertDashboard(out);
  }

  @Test
  void reportDrawsTheDashboardFromASqliteStore() throws Exception {
    Path db = dir.resolve("alerts.db");
    List<Alert> alerts = alerts();
    try (AlertStore store = AlertStore.open(db.toString())) {
      // more than one page of the store's largest page size
      for (int k = 0; k < 3; k++) {
        store.insert(alerts);
      }
    }
    Path out = dir.resolve("dash");

    Result r = run("report", "--db", db.toString(), "--out", out.toString());

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains(String.format("incident dashboard of %,d alerts", 3 * alerts.size()));
    assertDashboard(out);
  }

  @Test
  void aBadRowFailsWithItsLocation() throws Exception {
    Path log = dir.resolve("bad.csv");
    Files.writeString(log, String.join(",", CsvIncidentLog.HEADER) + "\n"
        + "2026-01-05T00:00:01.000Z,10.0.0.1,10.0.0.2,4000,22,60,1.5,TCP,high,brute_force,\n");

    Result r = run("report", "--alerts", log.toString(), "--out", dir.resolve("x").toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains(log + ":2:9: column 'anomaly_score'").contains("'high'");
  }

  @Test
  void helpAndUsageErrors() {
    Result help = run("report", "--help");
    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("Usage: netanomaly report").contains("--alerts").contains("--db");
    assertThat(run("evaluate", "--help").out()).contains("--report");
    Result both = run("report", "--alerts", "a.csv", "--db", "b.db", "--out", "x");
    assertThat(both.code()).isEqualTo(2);
    Result neither = run("report", "--out", "x");
    assertThat(neither.code()).isEqualTo(2);
  }

  private static List<Alert> alerts() {
    TrafficSimulator sim = TrafficSimulator.builder().seed(4).anomalyRatio(0.2).build();
    List<Alert> out = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      FlowRecord f = sim.next();
      Row row = f.toRow();
      if (row.label() == 1) {
        double score = 0.6 + (i % 30) / 100.0;
        Explanation e = new Explanation(score, 0.6, row.anomalyType(), List.of(),
            ThreatCatalog.assess(row.anomalyType(), score, 0.6));
        out.add(Alert.ofFlow(f, f.timestampMillis(), "iforest", e, Map.of()));
      }
    }
    return out;
  }

  private static void assertDashboard(Path out) throws Exception {
    List<String> panels = List.of("anomalies-by-source-port.png", "packet-size.png", "score-distribution.png",
        "protocol-breakdown.png", "duration-vs-packet-size.png", "anomaly-types.png", "detection-timeline.png",
        "executive-summary.png");
    List<String> all = new ArrayList<>(panels);
    all.add("incident-dashboard.png");
    assertThat(referencedImages(out.resolve("index.html"))).containsExactlyInAnyOrderElementsOf(all);
    assertChart(out.resolve("incident-dashboard.png"), 3200, 1600);
    for (String p : panels) {
      assertChart(out.resolve(p), 1600, 1000);
    }
  }

  private static Set<String> referencedImages(Path index) throws Exception {
    String html = Files.readString(index);
    assertThat(html).doesNotContain("<script").doesNotContain("https://");
    Set<String> refs = new HashSet<>();
    Matcher m = Pattern.compile("<img src=\"([^\"]+)\"").matcher(html);
    while (m.find()) {
      refs.add(m.group(1));
      assertThat(index.resolveSibling(m.group(1))).exists();
    }
    return refs;
  }

  /** A PNG at least this large, with a drawing on it (many colours, some ink). */
  private static void assertChart(Path png, int width, int height) throws Exception {
    BufferedImage img = ImageIO.read(png.toFile());
    assertThat(img).as(png.toString()).isNotNull();
    assertThat(img.getWidth()).isGreaterThanOrEqualTo(width);
    assertThat(img.getHeight()).isGreaterThanOrEqualTo(height);
    Set<Integer> colours = new HashSet<>();
    long ink = 0;
    for (int y = 0; y < img.getHeight(); y += 3) {
      for (int x = 0; x < img.getWidth(); x += 3) {
        int rgb = img.getRGB(x, y) & 0xFFFFFF;
        colours.add(rgb);
        ink += rgb == 0xFFFFFF ? 0 : 1;
      }
    }
    assertThat(colours.size()).as("colours in " + png).isGreaterThan(40);
    assertThat(ink * 9.0 / (img.getWidth() * (double) img.getHeight())).as("ink in " + png).isGreaterThan(0.01);
  }
}
