package io.netanomaly.core.eval;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The outcome of evaluating a detector on labelled rows: {@link BinaryMetrics}, recall per anomaly
 * type, and optionally the scoring speed and the model's name. Renders itself as JSON for
 * machines ({@link #toJson}) and as a text table for people ({@link #toTable}). Immutable and
 * thread-safe.
 */
public final class EvaluationResult {
  private final BinaryMetrics metrics;
  private final SortedMap<String, TypeRecall> perType;
  private final double scoringRowsPerSecond;
  private final String model;
  private final Map<String, EvaluationResult> detectors;

  private EvaluationResult(Builder b) {
    this.metrics = b.metrics;
    this.perType = Collections.unmodifiableSortedMap(new TreeMap<>(b.perType));
    this.scoringRowsPerSecond = b.scoringRowsPerSecond;
    this.model = b.model;
    this.detectors = Collections.unmodifiableMap(new LinkedHashMap<>(b.detectors));
  }

  /** Results of the single detectors of an ensemble, by name, in member order; empty otherwise. */
  public Map<String, EvaluationResult> detectors() {
    return detectors;
  }

  /** Starts a result from the overall metrics; the rest is optional. */
  public static Builder builder(BinaryMetrics metrics) {
    return new Builder(metrics);
  }

  /** The overall metrics. */
  public BinaryMetrics metrics() {
    return metrics;
  }

  /** Recall per anomaly type, by type name; empty when the rows carry no types. */
  public SortedMap<String, TypeRecall> perType() {
    return perType;
  }

  /** Rows scored per second of wall-clock time, or NaN when not measured. */
  public double scoringRowsPerSecond() {
    return scoringRowsPerSecond;
  }

  /** The evaluated model's name or file, when known. */
  public Optional<String> model() {
    return Optional.ofNullable(model);
  }

  /**
   * The result as JSON with exactly these keys, in this order: {@code rows, anomalies, roc_auc,
   * pr_auc, precision, recall, f1, accuracy, threshold, confusion {tp, fp, tn, fn}}, then {@code
   * per_type {<type>: {count, recall}}} when there are types, {@code scoring_rows_per_second}
   * when measured and {@code model} when known (absent parts are omitted). Undefined or infinite
   * numbers (AUC with one class, an infinite threshold) are written as {@code null}.
   */
  public ObjectNode toJson() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("rows", metrics.rows());
    o.put("anomalies", metrics.anomalies());
    putNumber(o, "roc_auc", metrics.rocAuc());
    putNumber(o, "pr_auc", metrics.prAuc());
    putNumber(o, "precision", metrics.precision());
    putNumber(o, "recall", metrics.recall());
    putNumber(o, "f1", metrics.f1());
    putNumber(o, "accuracy", metrics.accuracy());
    putNumber(o, "threshold", metrics.threshold());
    ObjectNode confusion = o.putObject("confusion");
    confusion.put("tp", metrics.tp());
    confusion.put("fp", metrics.fp());
    confusion.put("tn", metrics.tn());
    confusion.put("fn", metrics.fn());
    if (!perType.isEmpty()) {
      ObjectNode types = o.putObject("per_type");
      for (TypeRecall t : perType.values()) {
        ObjectNode n = types.putObject(t.type());
        n.put("count", t.count());
        putNumber(n, "recall", t.recall());
      }
    }
    if (!Double.isNaN(scoringRowsPerSecond)) {
      putNumber(o, "scoring_rows_per_second", scoringRowsPerSecond);
    }
    if (model != null) {
      o.put("model", model);
    }
    if (!detectors.isEmpty()) {
      ObjectNode d = o.putObject("detectors");
      detectors.forEach((name, r) -> d.set(name, r.toJson()));
    }
    return o;
  }

  /**
   * The result as a fixed-width text table for a terminal: overall metrics, the confusion matrix
   * and recall per anomaly type (most frequent type first). Lines end in {@code \n}.
   */
  public String toTable() {
    StringBuilder s = new StringBuilder();
    s.append("Evaluation").append(model == null ? "" : " of " + model).append('\n');
    line(s, "rows", count(metrics.rows()));
    line(s, "anomalies", count(metrics.anomalies())
        + String.format(Locale.ROOT, "  (%s)", percent(metrics.anomalies(), metrics.rows())));
    line(s, "threshold", Double.isNaN(metrics.threshold()) ? "n/a"
        : String.format(Locale.ROOT, "%.6g", metrics.threshold()));
    line(s, "ROC-AUC", ratio(metrics.rocAuc()));
    line(s, "PR-AUC", ratio(metrics.prAuc()));
    line(s, "precision", ratio(metrics.precision()));
    line(s, "recall", ratio(metrics.recall()));
    line(s, "F1", ratio(metrics.f1()));
    line(s, "accuracy", ratio(metrics.accuracy()));
    line(s, "false-positive rate", ratio(metrics.falsePositiveRate()));
    if (!Double.isNaN(scoringRowsPerSecond)) {
      line(s, "scoring speed", count(Math.round(scoringRowsPerSecond)) + " rows/s");
    }

    s.append('\n');
    s.append(String.format(Locale.ROOT, "  %-22s %18s %18s\n", "confusion matrix",
        "predicted normal", "predicted anomaly"));
    s.append(String.format(Locale.ROOT, "  %-22s %18s %18s\n", "actual normal",
        count(metrics.tn()), count(metrics.fp())));
    s.append(String.format(Locale.ROOT, "  %-22s %18s %18s\n", "actual anomaly",
        count(metrics.fn()), count(metrics.tp())));

    if (!perType.isEmpty()) {
      List<TypeRecall> byCount = new ArrayList<>(perType.values());
      byCount.sort(Comparator.comparingLong(TypeRecall::count).reversed()
          .thenComparing(TypeRecall::type));
      s.append('\n');
      s.append(String.format(Locale.ROOT, "  %-22s %12s %12s %8s\n", "recall by type",
          "count", "detected", "recall"));
      for (TypeRecall t : byCount) {
        s.append(String.format(Locale.ROOT, "  %-22s %12s %12s %8s\n", t.type(),
            count(t.count()), count(t.detected()), ratio(t.recall())));
      }
    }
    if (!detectors.isEmpty()) {
      s.append('\n');
      s.append(String.format(Locale.ROOT, "  %-22s %8s %8s %9s %8s %8s %12s\n", "detector", "ROC-AUC", "PR-AUC",
          "precision", "recall", "F1", "rows/s"));
      Map<String, EvaluationResult> rows = new LinkedHashMap<>(detectors);
      rows.put(model == null ? "combined" : model, this);
      rows.forEach((name, r) -> s.append(String.format(Locale.ROOT, "  %-22s %8s %8s %9s %8s %8s %12s\n", name,
          ratio(r.metrics.rocAuc()), ratio(r.metrics.prAuc()), ratio(r.metrics.precision()),
          ratio(r.metrics.recall()), ratio(r.metrics.f1()),
          Double.isNaN(r.scoringRowsPerSecond) ? "n/a" : count(Math.round(r.scoringRowsPerSecond)))));
    }
    return s.toString();
  }

  private static void line(StringBuilder s, String label, String value) {
    s.append(String.format(Locale.ROOT, "  %-22s %s\n", label, value));
  }

  private static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  private static String ratio(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
  }

  private static String percent(long part, long whole) {
    return whole == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f%%", 100.0 * part / whole);
  }

  private static void putNumber(ObjectNode o, String key, double v) {
    if (Double.isFinite(v)) {
      o.put(key, v);
    } else {
      o.putNull(key);
    }
  }

  @Override
  public String toString() {
    return toJson().toString();
  }

  /** Collects the optional parts of a result. Not thread-safe. */
  public static final class Builder {
    private final BinaryMetrics metrics;
    private SortedMap<String, TypeRecall> perType = Collections.emptySortedMap();
    private double scoringRowsPerSecond = Double.NaN;
    private String model;
    private Map<String, EvaluationResult> detectors = Map.of();

    private Builder(BinaryMetrics metrics) {
      this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** Recall per anomaly type, as from {@link TypeRecall#compute}. */
    public Builder perType(SortedMap<String, TypeRecall> perType) {
      this.perType = Objects.requireNonNull(perType, "perType");
      return this;
    }

    /** Measured scoring speed in rows per second; NaN (the default) means not measured. */
    public Builder scoringRowsPerSecond(double rowsPerSecond) {
      if (rowsPerSecond < 0) {
        throw new IllegalArgumentException("negative speed " + rowsPerSecond);
      }
      this.scoringRowsPerSecond = rowsPerSecond;
      return this;
    }

    /** The evaluated model's name or file; null means unknown. */
    public Builder model(String model) {
      this.model = model;
      return this;
    }

    /** Results of the single detectors of an ensemble, by name (kept in the given order). */
    public Builder detectors(Map<String, EvaluationResult> results) {
      this.detectors = new LinkedHashMap<>(results);
      return this;
    }

    public EvaluationResult build() {
      return new EvaluationResult(this);
    }
  }
}
