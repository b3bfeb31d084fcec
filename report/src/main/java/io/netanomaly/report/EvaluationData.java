package io.netanomaly.report;

import io.netanomaly.core.detect.Matrix;
import io.netanomaly.core.detect.dbscan.PcaDbscan;
import io.netanomaly.core.eval.EvaluationResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one evaluation report draws: the model's score, label and type of every evaluated
 * row, the metrics, a sample of scaled feature rows, and optionally per-member scores of an
 * ensemble and a DBSCAN model's fitted state. Immutable once built (arrays are not copied on the
 * way in: hand over arrays you no longer change); thread-safe.
 */
public final class EvaluationData {
  private final String model;
  private final String data;
  private final double threshold;
  private final EvaluationResult metrics;
  private final double[] scores;
  private final int[] labels;
  private final String[] types;
  private final long[] times;
  private final List<String> featureNames;
  private final float[] sample;
  private final int[] sampleLabels;
  private final Map<String, double[]> members;
  private final PcaDbscan dbscan;
  private final Matrix dbscanTraining;

  private EvaluationData(Builder b) {
    this.model = b.model;
    this.data = b.data;
    this.threshold = b.threshold;
    this.metrics = b.metrics;
    this.scores = b.scores;
    this.labels = b.labels;
    this.types = b.types;
    this.times = b.times;
    this.featureNames = List.copyOf(b.featureNames);
    this.sample = b.sample;
    this.sampleLabels = b.sampleLabels;
    this.members = Collections.unmodifiableMap(new LinkedHashMap<>(b.members));
    this.dbscan = b.dbscan;
    this.dbscanTraining = b.dbscanTraining;
  }

  /**
   * A builder.
   *
   * @param model what was evaluated, for titles (e.g. "iforest")
   * @param data the evaluated data's name, for the page
   * @param threshold the model's alarm threshold (score at or above = flagged)
   */
  public static Builder builder(String model, String data, double threshold) {
    return new Builder(model, data, threshold);
  }

  String model() { return model; }
  String data() { return data; }
  double threshold() { return threshold; }
  EvaluationResult metrics() { return metrics; }
  double[] scores() { return scores; }
  int[] labels() { return labels; }
  String[] types() { return types; }
  /** Event times (epoch ms) or null when the data have none. */
  long[] times() { return times; }
  List<String> featureNames() { return featureNames; }
  float[] sample() { return sample; }
  int[] sampleLabels() { return sampleLabels; }
  int sampleRows() { return sampleLabels.length; }
  Map<String, double[]> members() { return members; }
  PcaDbscan dbscan() { return dbscan; }
  Matrix dbscanTraining() { return dbscanTraining; }

  /** Collects the parts of an {@link EvaluationData}. Not thread-safe. */
  public static final class Builder {
    private final String model;
    private final String data;
    private final double threshold;
    private EvaluationResult metrics;
    private double[] scores;
    private int[] labels;
    private String[] types;
    private long[] times;
    private List<String> featureNames = new ArrayList<>();
    private float[] sample = new float[0];
    private int[] sampleLabels = new int[0];
    private final Map<String, double[]> members = new LinkedHashMap<>();
    private PcaDbscan dbscan;
    private Matrix dbscanTraining;

    private Builder(String model, String data, double threshold) {
      this.model = Objects.requireNonNull(model, "model");
      this.data = Objects.requireNonNull(data, "data");
      this.threshold = threshold;
    }

    /** The metrics shown in the summary table (required). */
    public Builder metrics(EvaluationResult result) {
      this.metrics = Objects.requireNonNull(result, "result");
      return this;
    }

    /**
     * The model's score, the label (0/1) and the anomaly type (null or "normal" for normal rows) of
     * every evaluated row, in data order (required).
     */
    public Builder rows(double[] rowScores, int[] rowLabels, String[] rowTypes) {
      if (rowScores.length != rowLabels.length || rowScores.length != rowTypes.length) {
        throw new IllegalArgumentException("scores, labels and types differ in length: " + rowScores.length + ", "
            + rowLabels.length + ", " + rowTypes.length);
      }
      this.scores = rowScores;
      this.labels = rowLabels;
      this.types = rowTypes;
      return this;
    }

    /** Times and the feature sample from a recorder that saw the same rows as {@link #rows}. */
    public Builder recorded(EvaluationRecorder recorder, List<String> names) {
      if (names.size() != recorder.width()) {
        throw new IllegalArgumentException(names.size() + " feature names for " + recorder.width() + " features");
      }
      long[] t = recorder.times();
      boolean any = false;
      for (long v : t) {
        any |= v != EvaluationRecorder.NO_TIME;
      }
      this.times = any ? t : null;
      this.featureNames = new ArrayList<>(names);
      this.sample = recorder.sampleFeatures();
      this.sampleLabels = recorder.sampleLabels();
      return this;
    }

    /** An ensemble member's raw scores of the same rows, in the same order, under a display name. */
    public Builder member(String name, double[] memberScores) {
      members.put(Objects.requireNonNull(name, "name"), memberScores);
      return this;
    }

    /**
     * A DBSCAN model, for its k-distance plot and cluster view.
     *
     * @param detector the fitted detector
     * @param trainingRows the scaled training rows it was fitted on (indexed by
     *     {@link PcaDbscan#sampleRows()}), or null when they are not at hand: the cluster view then
     *     shows the evaluation sample, split by whether each row lies within eps of a core point
     */
    public Builder dbscan(PcaDbscan detector, Matrix trainingRows) {
      this.dbscan = Objects.requireNonNull(detector, "detector");
      this.dbscanTraining = trainingRows;
      return this;
    }

    /**
     * @throws IllegalStateException when the rows or metrics are missing, or the times do not match the rows
     */
    public EvaluationData build() {
      if (scores == null || metrics == null) {
        throw new IllegalStateException("rows and metrics are required");
      }
      if (times != null && times.length != scores.length) {
        throw new IllegalStateException(times.length + " times for " + scores.length + " rows");
      }
      for (Map.Entry<String, double[]> m : members.entrySet()) {
        if (m.getValue().length != scores.length) {
          throw new IllegalStateException("member " + m.getKey() + " has " + m.getValue().length + " scores for "
              + scores.length + " rows");
        }
      }
      return new EvaluationData(this);
    }
  }
}
