package io.netanomaly.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.netanomaly.core.detect.Detector;
import io.netanomaly.core.detect.Matrix;
import io.netanomaly.core.detect.dbscan.PcaDbscan;
import io.netanomaly.core.detect.ensemble.Ensemble;
import io.netanomaly.core.eval.BinaryMetrics;
import io.netanomaly.core.eval.EvaluationResult;
import io.netanomaly.core.eval.TypeRecall;
import io.netanomaly.core.pipeline.DetectionPipeline;
import io.netanomaly.core.schema.FlowSchema;
import io.netanomaly.core.schema.Row;
import io.netanomaly.core.synth.TrafficSimulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trains a small ensemble on simulated flows and checks every chart of its evaluation report. */
class EvaluationReportTest {
  static List<Row> train;
  static List<Row> test;
  static DetectionPipeline model;

  @TempDir
  Path dir;

  @BeforeAll
  static void fit() {
    train = flows(1, 3_000);
    test = flows(2, 2_500);
    model = DetectionPipeline.builder().seed(7).threads(2).trees(50).models(List.of("iforest", "dbscan"))
        .fit(FlowSchema.SCHEMA, train);
  }

  static List<Row> flows(long seed, int n) {
    TrafficSimulator sim = TrafficSimulator.builder().seed(seed).anomalyRatio(0.08).build();
    List<Row> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      rows.add(sim.next().toRow());
    }
    return rows;
  }

  /** Scores the test rows in batches through one session, as the CLI does, feeding a recorder. */
  static EvaluationData.Builder evaluate(boolean withTrainingRows) {
    DetectionPipeline.Session session = model.newSession();
    int width = model.features().width();
    EvaluationRecorder recorder = new EvaluationRecorder(width, 1_000, 3);
    Ensemble ensemble = (Ensemble) model.detector();
    double[] scores = new double[test.size()];
    int[] labels = new int[test.size()];
    String[] types = new String[test.size()];
    double[][] members = new double[ensemble.members().size()][test.size()];
    int ts = FlowSchema.SCHEMA.indexOf(FlowSchema.TIMESTAMP);
    for (int from = 0; from < test.size(); from += 500) {
      List<Row> batch = test.subList(from, Math.min(test.size(), from + 500));
      double[] s = session.score(batch);
      float[] features = session.lastFeatures();
      Matrix x = new Matrix(features, batch.size(), width);
      for (int m = 0; m < members.length; m++) {
        System.arraycopy(ensemble.members().get(m).score(x), 0, members[m], from, batch.size());
      }
      for (int i = 0; i < batch.size(); i++) {
        Row r = batch.get(i);
        scores[from + i] = s[i];
        labels[from + i] = r.label();
        types[from + i] = r.anomalyType();
        recorder.add(features, i * width, r.label(), s[i], (long) r.number(ts));
      }
    }
    double t = model.threshold().value();
    EvaluationResult result = EvaluationResult.builder(BinaryMetrics.compute(scores, labels, t))
        .perType(TypeRecall.compute(scores, types, labels, t)).model("ensemble").build();
    EvaluationData.Builder b = EvaluationData.builder("ensemble", "simulated flows", t).metrics(result)
        .rows(scores, labels, types).recorded(recorder, model.features().featureNames());
    for (int m = 0; m < members.length; m++) {
      Detector d = ensemble.members().get(m);
      b.member(d.kind(), members[m]);
      if (d instanceof PcaDbscan db) {
        b.dbscan(db, withTrainingRows ? model.features().transform(train) : null);
      }
    }
    return b;
  }

  @Test
  void writesEveryChartAsANonBlankPngReferencedByThePage() throws Exception {
    List<Path> charts = EvaluationReport.write(evaluate(true).build(), dir);

    assertThat(charts).extracting(p -> p.getFileName().toString()).containsExactly(
        "confusion-matrix.png", "roc-curve.png", "precision-recall.png", "score-distribution.png",
        "per-type-recall.png", "feature-importance.png", "pca-scatter.png", "feature-correlation.png",
        "anomalies-over-time.png", "ensemble-roc.png", "dbscan-k-distance.png", "dbscan-clusters.png");
    for (Path c : charts) {
      PngCheck.assertChart(c, ChartStyle.WIDTH, ChartStyle.HEIGHT);
    }
    Path index = dir.resolve("index.html");
    PngCheck.assertPageReferences(index, charts);
    String html = Files.readString(index);
    assertThat(html).contains("ROC-AUC").contains("average precision").contains("true positives")
        .contains("ROC curves of the ensemble members").contains("Recall per anomaly type").contains("robust-scaled");
    copyForReview(dir, "evaluation");
  }

  @Test
  void withoutTrainingRowsTheDbscanViewShowsTheEvaluationSample() throws Exception {
    List<Path> charts = EvaluationReport.write(evaluate(false).build(), dir);

    Path clusters = dir.resolve("dbscan-clusters.png");
    assertThat(charts).contains(clusters);
    PngCheck.assertChart(clusters, ChartStyle.WIDTH, ChartStyle.HEIGHT);
    assertThat(Files.readString(dir.resolve("index.html"))).contains("keeps no training rows");
  }

  @Test
  void rowsWithoutTimestampsAreBucketedInDataOrder() throws Exception {
    int n = 400;
    double[] scores = new double[n];
    int[] labels = new int[n];
    String[] types = new String[n];
    EvaluationRecorder recorder = new EvaluationRecorder(2, 100, 1);
    for (int i = 0; i < n; i++) {
      labels[i] = i % 10 == 0 ? 1 : 0;
      scores[i] = labels[i] + (i % 7) / 10.0;
      types[i] = labels[i] == 1 ? "odd" : "normal";
      recorder.add(new float[] {(float) scores[i], (float) (i % 3)}, 0, labels[i], scores[i], EvaluationRecorder.NO_TIME);
    }
    EvaluationResult result = EvaluationResult.builder(BinaryMetrics.compute(scores, labels, 0.9)).build();
    EvaluationData data = EvaluationData.builder("toy", "toy rows", 0.9).metrics(result).rows(scores, labels, types)
        .recorded(recorder, List.of("a", "b")).build();

    List<Path> charts = EvaluationReport.write(data, dir);

    assertThat(charts).extracting(p -> p.getFileName().toString()).contains("anomalies-over-time.png")
        .doesNotContain("ensemble-roc.png", "dbscan-k-distance.png", "per-type-recall.png");
    for (Path c : charts) {
      PngCheck.assertChart(c, ChartStyle.WIDTH, ChartStyle.HEIGHT);
    }
    assertThat(Files.readString(dir.resolve("index.html"))).contains("no timestamp");
  }

  /** Keeps a copy under target/ so a person can look at the charts after the build. */
  static void copyForReview(Path from, String name) throws Exception {
    Path to = Path.of("target", "report-review", name);
    Files.createDirectories(to);
    try (var files = Files.list(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }
}
