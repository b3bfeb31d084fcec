package io.netanomaly.report;

import io.netanomaly.core.detect.Matrix;
import io.netanomaly.core.detect.dbscan.PcaDbscan;
import io.netanomaly.core.detect.dbscan.PrincipalComponents;
import io.netanomaly.core.eval.BinaryMetrics;
import io.netanomaly.core.eval.EvaluationResult;
import io.netanomaly.core.eval.TypeRecall;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HorizontalBarChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The evaluation report: {@code index.html} (metrics tables and every chart with a caption) and one
 * PNG per chart, {@value ChartStyle#WIDTH}×{@value ChartStyle#HEIGHT} px or larger, in one folder.
 *
 * <p>Charts: confusion matrix, ROC curve, precision-recall curve, score distribution by class with
 * the threshold, per-type recall (labelled types only), feature importance, 2-D PCA of the feature
 * sample, feature correlation, anomalies over time; for an ensemble the members' ROC curves on
 * one chart; for DBSCAN the k-distance curve with eps and the clusters on the first two components.
 *
 * <p>Feature importance is the gap between the classes: for each feature, |mean over sampled
 * anomalous rows − mean over sampled normal rows| of the robust-scaled value, i.e. in units of the
 * feature's training IQR. It is model-independent (it says what separates the labelled classes,
 * not what the model looked at) and needs no extra scoring.
 *
 * <p>Stateless and thread-safe; each call writes its own folder.
 */
public final class EvaluationReport {
  /** Features shown in the importance and correlation charts. */
  public static final int TOP_FEATURES = 20;
  private static final int SCORE_BINS = 60;
  private static final int TIME_BUCKETS = 48;

  static {
    ChartStyle.useHeadless();
  }

  private EvaluationReport() {}

  /**
   * Writes the report into {@code dir} (created if needed): {@code index.html} and the charts.
   *
   * @return the chart files written, in page order
   * @throws IOException when a file cannot be written
   */
  public static List<Path> write(EvaluationData d, Path dir) throws IOException {
    Files.createDirectories(dir);
    BinaryMetrics m = d.metrics().metrics();
    HtmlPage page = new HtmlPage("Evaluation of " + d.model() + " on " + d.data());
    page.meta(Charts.format("%,d rows, %,d labelled anomalous (%.2f%%); threshold %s (score at or above is flagged).",
        m.rows(), m.anomalies(), 100.0 * m.anomalies() / Math.max(1, m.rows()), Charts.number(d.threshold())));
    page.heading("Metrics");
    page.table(List.of("metric", "value"), summaryRows(d.metrics()));
    if (!d.metrics().detectors().isEmpty()) {
      page.heading("Ensemble members");
      List<List<String>> rows = new ArrayList<>();
      for (Map.Entry<String, EvaluationResult> e : d.metrics().detectors().entrySet()) {
        BinaryMetrics b = e.getValue().metrics();
        rows.add(List.of(e.getKey(), Charts.number(b.rocAuc()), Charts.number(b.prAuc()), Charts.number(b.precision()),
            Charts.number(b.recall()), Charts.number(b.f1())));
      }
      page.table(List.of("member", "ROC-AUC", "average precision", "precision", "recall", "F1"), rows);
    }
    if (!d.metrics().perType().isEmpty()) {
      page.heading("Recall per anomaly type");
      List<List<String>> rows = new ArrayList<>();
      for (TypeRecall t : d.metrics().perType().values()) {
        rows.add(List.of(t.type(), Charts.format("%,d", t.count()), Charts.format("%,d", t.detected()),
            Charts.format("%.1f%%", 100 * t.recall())));
      }
      page.table(List.of("type", "rows", "flagged", "recall"), rows);
    }
    page.heading("Charts");
    List<Path> files = new ArrayList<>();
    chart(files, page, dir, "confusion-matrix.png", confusion(m), "Confusion matrix",
        "Rows by true class (labels) and by the model's verdict at the threshold; the colour scale is the count.");
    ScoreCurve roc = ScoreCurve.roc(d.scores(), d.labels());
    chart(files, page, dir, "roc-curve.png", rocChart(d, roc), "ROC curve",
        "True-positive rate against false-positive rate as the threshold sweeps all scores; the dot marks the "
            + "model's threshold. AUC is the area under the curve (0.5 = chance).");
    chart(files, page, dir, "precision-recall.png", prChart(d), "Precision-recall curve",
        "Precision against recall as the threshold sweeps all scores; AP is the average precision. The dashed "
            + "line is the share of anomalies, what random flagging would reach.");
    chart(files, page, dir, "score-distribution.png", scoreDistribution(d), "Score distribution by class",
        "Share of each class's rows per score bin; the dashed line is the threshold. The less the two overlap, "
            + "the fewer false alarms and misses.");
    if (!d.metrics().perType().isEmpty()) {
      chart(files, page, dir, "per-type-recall.png", perTypeRecall(d.metrics()), "Recall per anomaly type",
          "Share of each labelled anomaly type that the model flags at its threshold.");
    }
    if (d.sampleRows() >= 2 && hasBothClasses(d.sampleLabels())) {
      double[] gap = classGap(d);
      int[] top = topFeatures(d, gap);
      chart(files, page, dir, "feature-importance.png", importance(d, gap, top), "Feature importance",
          Charts.format("The %d features whose mean robust-scaled value differs most between anomalous and normal "
              + "rows of a uniform sample of %,d evaluated rows, in units of the feature's training IQR. This shows "
              + "what separates the labelled classes, whatever the model.", top.length, d.sampleRows()));
      chart(files, page, dir, "pca-scatter.png", pca(d), "PCA of the feature sample",
          Charts.format("The %,d sampled rows projected on the two principal components of their scaled features.",
              d.sampleRows()));
      if (top.length >= 2) {
        chart(files, page, dir, "feature-correlation.png", correlation(d, top), "Feature correlation",
            "Pearson correlation between the most class-separating features, over the sampled rows.");
      }
    } else {
      page.paragraph("Feature importance, PCA and correlation charts need a feature sample with both normal and "
          + "anomalous rows; this evaluation has none.");
    }
    chart(files, page, dir, "anomalies-over-time.png", overTime(d), "Anomalies over time",
        d.times() == null ? "Counts per bucket of rows in data order (the data have no timestamp): labelled "
            + "anomalies and rows the model flagged."
            : "Counts per time bucket (UTC): labelled anomalies and rows the model flagged.");
    if (!d.members().isEmpty()) {
      chart(files, page, dir, "ensemble-roc.png", membersRoc(d, roc), "ROC curves of the ensemble members",
          "Each member's own ROC curve beside the ensemble's, on the same rows.");
    }
    if (d.dbscan() != null) {
      PcaDbscan db = d.dbscan();
      chart(files, page, dir, "dbscan-k-distance.png", kDistance(db), "DBSCAN k-distance curve",
          Charts.format("Each clustered training row's distance to its %d-th nearest neighbour, sorted; eps (dashed) "
              + "is taken at the knee of this curve.", db.minPts() - 1));
      chart(files, page, dir, "dbscan-clusters.png", clusters(d), "DBSCAN clusters",
          d.dbscanTraining() != null
              ? "Clustered training rows on the first two principal components DBSCAN worked in, by cluster."
              : "The model file keeps no training rows, so this shows the evaluation sample on the first two "
                  + "principal components DBSCAN worked in: rows within eps of a training core point (in a "
                  + "cluster) and rows beyond it (noise, flagged as anomalous by distance).");
    }
    page.write(dir.resolve("index.html"));
    return files;
  }

  private static void chart(List<Path> files, HtmlPage page, Path dir, String name, Chart<?, ?> chart, String alt,
      String caption) throws IOException {
    Path file = dir.resolve(name);
    ChartStyle.save(chart, file);
    files.add(file);
    page.figure(name, alt, caption);
  }

  private static List<List<String>> summaryRows(EvaluationResult r) {
    BinaryMetrics m = r.metrics();
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("rows", Charts.format("%,d", m.rows())));
    rows.add(List.of("labelled anomalies", Charts.format("%,d", m.anomalies())));
    rows.add(List.of("threshold", Charts.number(m.threshold())));
    rows.add(List.of("ROC-AUC", Charts.number(m.rocAuc())));
    rows.add(List.of("average precision (PR-AUC)", Charts.number(m.prAuc())));
    rows.add(List.of("precision", Charts.number(m.precision())));
    rows.add(List.of("recall", Charts.number(m.recall())));
    rows.add(List.of("F1", Charts.number(m.f1())));
    rows.add(List.of("accuracy", Charts.number(m.accuracy())));
    rows.add(List.of("false-positive rate", Charts.number(m.falsePositiveRate())));
    rows.add(List.of("true positives", Charts.format("%,d", m.tp())));
    rows.add(List.of("false positives", Charts.format("%,d", m.fp())));
    rows.add(List.of("true negatives", Charts.format("%,d", m.tn())));
    rows.add(List.of("false negatives", Charts.format("%,d", m.fn())));
    if (r.scoringRowsPerSecond() > 0) {
      rows.add(List.of("scoring speed (rows/s)", Charts.format("%,.0f", r.scoringRowsPerSecond())));
    }
    return rows;
  }

  // ---- charts ---------------------------------------------------------------------------------

  static HeatMapChart confusion(BinaryMetrics m) {
    HeatMapChart c = Charts.heat("Confusion matrix (rows)", "predicted class", "actual class (label)",
        ChartStyle.WIDTH, ChartStyle.HEIGHT);
    c.getStyler().setRangeColors(new Color[] {new Color(0xF7FBFF), ChartStyle.PALETTE[1]});
    c.getStyler().setValueFont(ChartStyle.TITLE);
    c.getStyler().setHeatMapValueDecimalPattern("#,##0");
    c.getStyler().setDecimalPattern("#,##0");
    c.getStyler().setShowValue(true);
    c.getStyler().setLegendVisible(false); // every cell shows its count
    c.getStyler().setMin(0);
    List<Number[]> heat = new ArrayList<>();
    heat.add(new Number[] {0, 0, m.tn()});
    heat.add(new Number[] {1, 0, m.fp()});
    heat.add(new Number[] {0, 1, m.fn()});
    heat.add(new Number[] {1, 1, m.tp()});
    c.getStyler().setMax(1.0001 * Math.max(1, Math.max(Math.max(m.tn(), m.fp()), Math.max(m.fn(), m.tp()))));
    c.addSeries("rows", List.of("normal", "anomalous"), List.of("normal", "anomalous"), heat);
    return c;
  }

  private static XYChart rocChart(EvaluationData d, ScoreCurve roc) {
    XYChart c = Charts.xy("ROC curve: " + d.model(), "false-positive rate (share of normal rows flagged)",
        "true-positive rate (share of anomalies flagged)", ChartStyle.WIDTH, ChartStyle.HEIGHT);
    unitAxes(c);
    c.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
    Charts.line(c, d.model() + " (AUC = " + Charts.number(roc.area()) + ")", roc.x(), roc.y(), ChartStyle.ANOMALY, 4f);
    Charts.reference(c, "chance (AUC = 0.5)", new double[] {0, 1}, new double[] {0, 1}, Color.GRAY);
    BinaryMetrics m = d.metrics().metrics();
    double fpr = m.falsePositiveRate();
    if (!Double.isNaN(fpr) && !Double.isNaN(m.recall())) {
      XYSeries p = Charts.scatter(c, Charts.format("threshold %s: FPR %.3f, TPR %.3f", Charts.number(d.threshold()),
          fpr, m.recall()), new double[] {fpr}, new double[] {m.recall()}, ChartStyle.MARKER);
      p.setMarker(SeriesMarkers.DIAMOND);
    }
    return c;
  }

  private static XYChart prChart(EvaluationData d) {
    ScoreCurve pr = ScoreCurve.precisionRecall(d.scores(), d.labels());
    XYChart c = Charts.xy("Precision-recall curve: " + d.model(), "recall (share of anomalies flagged)",
        "precision (share of flagged rows that are anomalies)", ChartStyle.WIDTH, ChartStyle.HEIGHT);
    unitAxes(c);
    c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    Charts.line(c, d.model() + " (AP = " + Charts.number(pr.area()) + ")", pr.x(), pr.y(), ChartStyle.NORMAL, 4f);
    BinaryMetrics m = d.metrics().metrics();
    double prevalence = (double) m.anomalies() / Math.max(1, m.rows());
    Charts.reference(c, Charts.format("random flagging (precision = %.3f)", prevalence), new double[] {0, 1},
        new double[] {prevalence, prevalence}, Color.GRAY);
    if (!Double.isNaN(m.precision()) && !Double.isNaN(m.recall())) {
      XYSeries p = Charts.scatter(c, Charts.format("threshold %s: recall %.3f, precision %.3f",
          Charts.number(d.threshold()), m.recall(), m.precision()), new double[] {m.recall()},
          new double[] {m.precision()}, ChartStyle.MARKER);
      p.setMarker(SeriesMarkers.DIAMOND);
    }
    return c;
  }

  private static void unitAxes(XYChart c) {
    c.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
  }

  private static XYChart scoreDistribution(EvaluationData d) {
    double[] s = d.scores();
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double v : s) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    lo = Math.min(lo, d.threshold());
    hi = Math.max(hi, d.threshold());
    if (hi <= lo) {
      hi = lo + 1;
    }
    int normal = 0;
    for (int l : d.labels()) {
      normal += 1 - l;
    }
    double[] normalScores = new double[normal];
    double[] anomalyScores = new double[s.length - normal];
    int a = 0;
    int n = 0;
    for (int i = 0; i < s.length; i++) {
      if (d.labels()[i] == 1) {
        anomalyScores[a++] = s[i];
      } else {
        normalScores[n++] = s[i];
      }
    }
    double[] x = Charts.binCentres(lo, hi, SCORE_BINS);
    XYChart c = Charts.xy("Score distribution by class: " + d.model(), "anomaly score (model units; higher = more anomalous)",
        "share of the class's rows (%)", ChartStyle.WIDTH, ChartStyle.HEIGHT);
    c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    double top = 0;
    for (Object[] cls : new Object[][] {{"normal", normalScores, ChartStyle.NORMAL},
        {"anomalous", anomalyScores, ChartStyle.ANOMALY}}) {
      double[] values = (double[]) cls[1];
      if (values.length == 0) {
        continue;
      }
      long[] counts = Charts.histogram(values, lo, hi, SCORE_BINS);
      double[] share = new double[SCORE_BINS];
      for (int b = 0; b < SCORE_BINS; b++) {
        share[b] = 100.0 * counts[b] / values.length;
        top = Math.max(top, share[b]);
      }
      XYSeries series = Charts.line(c, Charts.format("%s (%,d rows)", cls[0], values.length), x, share,
          (Color) cls[2], 3f);
      series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.StepArea);
      series.setFillColor(translucent((Color) cls[2]));
    }
    Charts.reference(c, "threshold = " + Charts.number(d.threshold()), new double[] {d.threshold(), d.threshold()},
        new double[] {0, Math.max(1, top * 1.05)}, ChartStyle.MARKER);
    c.getStyler().setYAxisMin(0.0);
    return c;
  }

  static Color translucent(Color c) {
    return new Color(c.getRed(), c.getGreen(), c.getBlue(), 90);
  }

  private static CategoryChart perTypeRecall(EvaluationResult r) {
    CategoryChart c = Charts.bars("Recall per anomaly type", "anomaly type (labelled rows)",
        "recall: share of the type's rows flagged (%)", ChartStyle.WIDTH, ChartStyle.HEIGHT);
    List<String> names = new ArrayList<>();
    List<Double> recall = new ArrayList<>();
    for (TypeRecall t : r.perType().values()) {
      names.add(t.type() + " (n=" + t.count() + ")");
      recall.add(100 * t.recall());
    }
    c.getStyler().setLegendVisible(false);
    c.getStyler().setYAxisMin(0.0).setYAxisMax(100.0);
    c.getStyler().setLabelsVisible(true);
    c.getStyler().setLabelsFontColorAutomaticEnabled(false);
    c.getStyler().setLabelsFontColor(Color.BLACK);
    c.getStyler().setLabelsPosition(1.02);
    c.getStyler().setYAxisDecimalPattern("0");
    if (names.size() > 5) {
      c.getStyler().setXAxisLabelRotation(30);
    }
    c.addSeries("recall (%)", names, recall).setFillColor(ChartStyle.NORMAL);
    return c;
  }

  /** |mean(anomalous) − mean(normal)| of each scaled feature over the sample. */
  static double[] classGap(EvaluationData d) {
    int w = d.featureNames().size();
    float[] x = d.sample();
    int[] y = d.sampleLabels();
    double[][] sum = new double[2][w];
    long[] count = new long[2];
    for (int r = 0; r < y.length; r++) {
      count[y[r]]++;
      for (int j = 0; j < w; j++) {
        sum[y[r]][j] += x[r * w + j];
      }
    }
    double[] gap = new double[w];
    for (int j = 0; j < w; j++) {
      gap[j] = Math.abs(sum[1][j] / Math.max(1, count[1]) - sum[0][j] / Math.max(1, count[0]));
    }
    return gap;
  }

  /** Up to {@link #TOP_FEATURES} non-constant features, largest gap first. */
  private static int[] topFeatures(EvaluationData d, double[] gap) {
    int w = gap.length;
    float[] x = d.sample();
    int rows = d.sampleRows();
    List<Integer> varying = new ArrayList<>();
    for (int j = 0; j < w; j++) {
      float first = x[j];
      for (int r = 1; r < rows; r++) {
        if (x[r * w + j] != first) {
          varying.add(j);
          break;
        }
      }
    }
    varying.sort((a, b) -> Double.compare(gap[b], gap[a]));
    return varying.stream().limit(TOP_FEATURES).mapToInt(Integer::intValue).toArray();
  }

  private static HorizontalBarChart importance(EvaluationData d, double[] gap, int[] top) {
    HorizontalBarChart c = Charts.horizontalBars("Feature importance: gap between anomalous and normal rows",
        "|mean anomalous − mean normal| (robust-scaled units: training IQRs)", "feature",
        ChartStyle.WIDTH, ChartStyle.HEIGHT);
    List<String> names = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    for (int k = 0; k < top.length; k++) { // the chart draws the first category at the top
      names.add(d.featureNames().get(top[k]));
      values.add(gap[top[k]]);
    }
    c.getStyler().setLegendVisible(false);
    c.getStyler().setLabelsVisible(true);
    c.getStyler().setLabelsFontColorAutomaticEnabled(false);
    c.getStyler().setLabelsFontColor(Color.BLACK);
    c.getStyler().setXAxisMin(0.0);
    c.getStyler().setDecimalPattern("0.00");
    if (names.isEmpty()) {
      names.add("(no varying feature)");
      values.add(0.0);
    }
    c.addSeries("class gap", values, names).setFillColor(ChartStyle.PALETTE[2]);
    return c;
  }

  private static XYChart pca(EvaluationData d) {
    int w = d.featureNames().size();
    int rows = d.sampleRows();
    Matrix x = new Matrix(finite(d.sample()), rows, w);
    PrincipalComponents pc = PrincipalComponents.fit(x, 1.0);
    double[] ev = pc.eigenvalues();
    double total = 0;
    for (double v : ev) {
      total += Math.max(0, v);
    }
    double share1 = total > 0 ? 100 * Math.max(0, ev[0]) / total : 100;
    double share2 = total > 0 && ev.length > 1 ? 100 * Math.max(0, ev[1]) / total : 0;
    XYChart c = Charts.xy(Charts.format("PCA of %,d sampled rows (scaled features)", rows),
        Charts.format("principal component 1 (%.1f%% of variance; scaled units)", share1),
        Charts.format("principal component 2 (%.1f%% of variance; scaled units)", share2),
        ChartStyle.WIDTH, ChartStyle.HEIGHT);
    c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    c.getStyler().setMarkerSize(7);
    double[][] z = project(pc, x);
    int[] y = d.sampleLabels();
    addClasses(c, z, y, "normal", "anomalous");
    return c;
  }

  /** Two scatter series, normal first so anomalies are drawn on top. */
  private static void addClasses(XYChart c, double[][] z, int[] y, String normalName, String anomalyName) {
    for (int cls = 0; cls <= 1; cls++) {
      int n = 0;
      for (int v : y) {
        n += v == cls ? 1 : 0;
      }
      if (n == 0) {
        continue;
      }
      double[] px = new double[n];
      double[] py = new double[n];
      int k = 0;
      for (int r = 0; r < y.length; r++) {
        if (y[r] == cls) {
          px[k] = z[0][r];
          py[k++] = z[1][r];
        }
      }
      Color colour = cls == 0 ? ChartStyle.NORMAL : ChartStyle.ANOMALY;
      XYSeries s = Charts.scatter(c, Charts.format("%s (%,d)", cls == 0 ? normalName : anomalyName, n), px, py,
          cls == 0 ? translucent(colour) : colour);
      if (cls == 1) {
        s.setMarker(SeriesMarkers.TRIANGLE_UP);
      }
    }
  }

  /** Coordinates on the first two components: [0] = x, [1] = y (0 when there is only one). */
  private static double[][] project(PrincipalComponents pc, Matrix x) {
    int rows = x.rows();
    int w = x.cols();
    double[] out = new double[pc.components()];
    double[][] z = new double[2][rows];
    float[] data = x.data();
    for (int r = 0; r < rows; r++) {
      pc.project(data, r * w, out);
      z[0][r] = out[0];
      z[1][r] = out.length > 1 ? out[1] : 0;
    }
    return z;
  }

  private static float[] finite(float[] v) {
    float[] out = v.clone();
    for (int i = 0; i < out.length; i++) {
      if (!Float.isFinite(out[i])) {
        out[i] = 0f;
      }
    }
    return out;
  }

  private static HeatMapChart correlation(EvaluationData d, int[] top) {
    int k = top.length;
    int w = d.featureNames().size();
    int rows = d.sampleRows();
    float[] x = d.sample();
    double[] mean = new double[k];
    double[] sd = new double[k];
    for (int a = 0; a < k; a++) {
      double s = 0;
      for (int r = 0; r < rows; r++) {
        s += x[r * w + top[a]];
      }
      mean[a] = s / rows;
      double ss = 0;
      for (int r = 0; r < rows; r++) {
        double dv = x[r * w + top[a]] - mean[a];
        ss += dv * dv;
      }
      sd[a] = Math.sqrt(ss / rows);
    }
    List<String> names = new ArrayList<>();
    for (int a = 0; a < k; a++) {
      names.add(d.featureNames().get(top[a]));
    }
    List<Number[]> heat = new ArrayList<>();
    for (int a = 0; a < k; a++) {
      for (int b = 0; b < k; b++) {
        double cov = 0;
        for (int r = 0; r < rows; r++) {
          cov += (x[r * w + top[a]] - mean[a]) * (x[r * w + top[b]] - mean[b]);
        }
        double rho = sd[a] > 0 && sd[b] > 0 ? cov / rows / (sd[a] * sd[b]) : 0;
        heat.add(new Number[] {a, k - 1 - b, Math.max(-1, Math.min(1, rho))});
      }
    }
    List<String> reversed = new ArrayList<>(names);
    java.util.Collections.reverse(reversed);
    int size = Math.max(ChartStyle.WIDTH, 500 + 70 * k);
    HeatMapChart c = Charts.heat(Charts.format("Correlation of the %d most class-separating features", k),
        "feature", "feature", size, Math.max(ChartStyle.HEIGHT, 300 + 55 * k));
    // diverging and colour-blind safe: blue (−1), white (0), vermillion (+1)
    c.getStyler().setRangeColors(new Color[] {ChartStyle.PALETTE[4], Color.WHITE, ChartStyle.PALETTE[5]});
    // a hair beyond ±1: XChart 4.0.3 indexes past its colour array for a value exactly at the maximum
    c.getStyler().setMin(-1.0001).setMax(1.0001);
    c.getStyler().setShowValue(true);
    c.getStyler().setValueFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, k > 14 ? 13 : 16));
    c.getStyler().setHeatMapValueDecimalPattern("0.00");
    c.getStyler().setDecimalPattern("0.0");
    c.getStyler().setXAxisLabelRotation(45);
    c.addSeries("Pearson r", names, reversed, heat);
    return c;
  }

  private static XYChart overTime(EvaluationData d) {
    double[] s = d.scores();
    int[] y = d.labels();
    long[] t = d.times();
    int n = s.length;
    double lo;
    double hi;
    if (t != null) {
      lo = Double.POSITIVE_INFINITY;
      hi = Double.NEGATIVE_INFINITY;
      for (long v : t) {
        if (v != EvaluationRecorder.NO_TIME) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    } else {
      lo = 0;
      hi = n;
    }
    if (hi <= lo) {
      hi = lo + 1;
    }
    int buckets = TIME_BUCKETS;
    double width = (hi - lo) / buckets;
    double[] labelled = new double[buckets];
    double[] flagged = new double[buckets];
    for (int i = 0; i < n; i++) {
      double at = t == null ? i : t[i];
      if (t != null && t[i] == EvaluationRecorder.NO_TIME) {
        continue;
      }
      int b = Math.max(0, Math.min(buckets - 1, (int) ((at - lo) / width)));
      labelled[b] += y[i];
      flagged[b] += s[i] >= d.threshold() ? 1 : 0;
    }
    String bucket = t == null ? Charts.format("%,.0f rows", width) : duration((long) width);
    XYChart c = Charts.xy("Anomalies over time: " + d.model(),
        t == null ? "row number (data order; no timestamps)" : "time (UTC)",
        "rows per bucket of " + bucket, ChartStyle.WIDTH, ChartStyle.HEIGHT);
    c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    c.getStyler().setYAxisMin(0.0);
    if (t != null) {
      List<Date> dates = new ArrayList<>();
      for (int b = 0; b < buckets; b++) {
        dates.add(new Date((long) (lo + (b + 0.5) * width)));
      }
      c.getStyler().setTimezone(TimeZone.getTimeZone("UTC"));
      c.getStyler().setDatePattern(hi - lo > 2 * 86_400_000L ? "MM-dd HH:mm" : "HH:mm");
      styleTime(c.addSeries("labelled anomalies", dates, boxed(labelled)), ChartStyle.ANOMALY, SeriesMarkers.CIRCLE);
      styleTime(c.addSeries("flagged by the model", dates, boxed(flagged)), ChartStyle.NORMAL, SeriesMarkers.DIAMOND);
    } else {
      double[] centres = Charts.binCentres(lo, hi, buckets);
      styleTime(c.addSeries("labelled anomalies", centres, labelled), ChartStyle.ANOMALY, SeriesMarkers.CIRCLE);
      styleTime(c.addSeries("flagged by the model", centres, flagged), ChartStyle.NORMAL, SeriesMarkers.DIAMOND);
    }
    return c;
  }

  private static void styleTime(XYSeries s, Color colour, org.knowm.xchart.style.markers.Marker marker) {
    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    s.setLineColor(colour);
    s.setMarkerColor(colour);
    s.setMarker(marker);
    s.setLineWidth(3f);
  }

  private static List<Double> boxed(double[] v) {
    return Arrays.stream(v).boxed().toList();
  }

  /** A bucket width for an axis title: "90 s", "12 min", "3.5 h", "2.0 days". */
  static String duration(long millis) {
    double s = millis / 1000.0;
    if (s < 120) {
      return Charts.format("%.0f s", Math.max(1, s));
    }
    if (s < 7200) {
      return Charts.format("%.0f min", s / 60);
    }
    if (s < 172_800) {
      return Charts.format("%.1f h", s / 3600);
    }
    return Charts.format("%.1f days", s / 86_400);
  }

  private static XYChart membersRoc(EvaluationData d, ScoreCurve ensemble) {
    XYChart c = Charts.xy("ROC curves: ensemble and its members", "false-positive rate (share of normal rows flagged)",
        "true-positive rate (share of anomalies flagged)", ChartStyle.WIDTH, ChartStyle.HEIGHT);
    unitAxes(c);
    c.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
    Charts.line(c, d.model() + " (AUC = " + Charts.number(ensemble.area()) + ")", ensemble.x(), ensemble.y(),
        ChartStyle.MARKER, 5f);
    int colour = 0;
    Color[] colours = {ChartStyle.PALETTE[0], ChartStyle.PALETTE[1], ChartStyle.PALETTE[2], ChartStyle.PALETTE[4],
        ChartStyle.PALETTE[5], ChartStyle.PALETTE[6], ChartStyle.PALETTE[3]};
    for (Map.Entry<String, double[]> m : d.members().entrySet()) {
      ScoreCurve r = ScoreCurve.roc(m.getValue(), d.labels());
      Charts.line(c, m.getKey() + " (AUC = " + Charts.number(r.area()) + ")", r.x(), r.y(),
          colours[colour++ % colours.length], 3f);
    }
    Charts.reference(c, "chance (AUC = 0.5)", new double[] {0, 1}, new double[] {0, 1}, Color.GRAY);
    return c;
  }

  private static XYChart kDistance(PcaDbscan db) {
    double[] k = db.kDistances();
    double[] idx = new double[k.length];
    for (int i = 0; i < k.length; i++) {
      idx[i] = i + 1;
    }
    XYChart c = Charts.xy(Charts.format("DBSCAN k-distance curve (minPts = %d)", db.minPts()),
        "clustered training rows, sorted by k-distance (rank)",
        Charts.format("distance to the %d-th nearest neighbour (component space, scaled units)", db.minPts() - 1),
        ChartStyle.WIDTH, ChartStyle.HEIGHT);
    c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    Charts.line(c, Charts.format("k-distance (%,d rows)", k.length), idx, k, ChartStyle.NORMAL, 4f);
    double last = Math.max(1, k.length);
    Charts.reference(c, Charts.format("eps = %.4f (%d clusters, %,d noise rows)", db.eps(), db.clusters(),
        db.noisePoints()), new double[] {1, last}, new double[] {db.eps(), db.eps()}, ChartStyle.ANOMALY);
    return c;
  }

  private static XYChart clusters(EvaluationData d) {
    PcaDbscan db = d.dbscan();
    PrincipalComponents pc = db.principalComponents();
    String[] axis = {"principal component 1 (scaled units)", "principal component 2 (scaled units)"};
    if (d.dbscanTraining() == null) {
      XYChart c = Charts.xy("DBSCAN: evaluation sample against the training clusters", axis[0], axis[1],
          ChartStyle.WIDTH, ChartStyle.HEIGHT);
      c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
      int rows = d.sampleRows();
      if (rows == 0) {
        Charts.scatter(c, "no sampled rows", new double[] {0}, new double[] {0}, Color.GRAY);
        return c;
      }
      Matrix x = new Matrix(finite(d.sample()), rows, d.featureNames().size());
      double[] score = new double[rows];
      db.score(x, score);
      int[] beyond = new int[rows];
      for (int r = 0; r < rows; r++) {
        beyond[r] = score[r] > db.eps() ? 1 : 0;
      }
      addClasses(c, project(pc, x), beyond, "within eps of a core point", "beyond eps (noise)");
      return c;
    }
    Matrix train = d.dbscanTraining();
    int[] sampleRows = db.sampleRows();
    int[] labels = db.trainingLabels();
    int w = train.cols();
    float[] data = train.data();
    double[] out = new double[pc.components()];
    // the largest clusters get their own colour; the rest share one
    Map<Integer, Long> sizes = new java.util.HashMap<>();
    for (int l : labels) {
      if (l >= 0) {
        sizes.merge(l, 1L, Long::sum);
      }
    }
    List<Integer> shown = Charts.top(sizes, 6).stream().map(Map.Entry::getKey).toList();
    Map<String, List<double[]>> groups = new java.util.LinkedHashMap<>();
    for (Integer l : shown) {
      groups.put(Charts.format("cluster %d (%,d rows)", l + 1, sizes.get(l)), new ArrayList<>());
    }
    String others = "other clusters";
    String noise = "noise";
    groups.put(others, new ArrayList<>());
    groups.put(noise, new ArrayList<>());
    int step = Math.max(1, sampleRows.length / 10_000);
    for (int k = 0; k < sampleRows.length; k += step) {
      int row = sampleRows[k];
      if (row >= train.rows()) {
        continue;
      }
      pc.project(data, row * w, out);
      double[] p = {out[0], out.length > 1 ? out[1] : 0};
      int l = labels[k];
      String g = l < 0 ? noise : shown.contains(l)
          ? Charts.format("cluster %d (%,d rows)", l + 1, sizes.get(l)) : others;
      groups.get(g).add(p);
    }
    XYChart c = Charts.xy(Charts.format("DBSCAN training clusters (%d clusters, eps = %.4f)", db.clusters(), db.eps()),
        axis[0], axis[1], ChartStyle.WIDTH, ChartStyle.HEIGHT);
    c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    Color[] colours = {ChartStyle.PALETTE[4], ChartStyle.PALETTE[2], ChartStyle.PALETTE[0], ChartStyle.PALETTE[6],
        ChartStyle.PALETTE[1], ChartStyle.PALETTE[3], Color.GRAY, ChartStyle.PALETTE[5]};
    int ci = 0;
    for (Map.Entry<String, List<double[]>> g : groups.entrySet()) {
      List<double[]> pts = g.getValue();
      Color colour = g.getKey().equals(noise) ? ChartStyle.PALETTE[5]
          : g.getKey().equals(others) ? Color.GRAY : colours[ci++];
      if (pts.isEmpty()) {
        continue;
      }
      double[] px = pts.stream().mapToDouble(p -> p[0]).toArray();
      double[] py = pts.stream().mapToDouble(p -> p[1]).toArray();
      XYSeries s = Charts.scatter(c, g.getKey().equals(noise) ? Charts.format("noise (%,d rows)", pts.size())
          : g.getKey(), px, py, colour);
      if (g.getKey().equals(noise)) {
        s.setMarker(SeriesMarkers.CROSS);
      }
    }
    return c;
  }

  private static boolean hasBothClasses(int[] labels) {
    boolean normal = false;
    boolean anomaly = false;
    for (int l : labels) {
      normal |= l == 0;
      anomaly |= l == 1;
    }
    return normal && anomaly;
  }
}
