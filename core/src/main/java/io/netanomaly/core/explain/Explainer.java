package io.netanomaly.core.explain;

import io.netanomaly.core.detect.Detector;
import io.netanomaly.core.detect.Threshold;
import io.netanomaly.core.features.FeaturePipeline;
import io.netanomaly.core.schema.Row;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the {@link Explanation} of a scored row: the detector's per-feature attribution (for the
 * isolation forest, how much each feature's splits shortened the row's path), the raw value and
 * training range of the top features, the anomaly type and the threat assessment. Offline and
 * deterministic.
 *
 * <p>Immutable and thread-safe; {@link #explain} allocates the result and one small array.
 */
public final class Explainer {
  /** Features listed per explanation. */
  public static final int TOP_FEATURES = 5;

  /** Per-feature shares of a row's anomaly, as {@link Detector#attribute} gives them. */
  @FunctionalInterface
  public interface Attribution {
    void attribute(float[] row, int offset, double[] out);
  }

  private final FeaturePipeline features;
  private final Attribution attribution;
  private final Threshold threshold;
  private final AnomalyClassifier classifier;

  public Explainer(FeaturePipeline features, Detector detector, Threshold threshold) {
    this(features, detector::attribute, threshold);
  }

  /** An explainer for a scorer that is not a stored {@link Detector} (an online forest). */
  public Explainer(FeaturePipeline features, Attribution attribution, Threshold threshold) {
    this.features = features;
    this.attribution = attribution;
    this.threshold = threshold;
    this.classifier = new AnomalyClassifier(features);
  }

  /**
   * Explains every flagged row of a scored batch (score at or above the threshold), on the calling
   * thread. (Sharing them out among the detector threads was measured: with the request or stream
   * threads already busy on both cores it was slower, not faster.)
   *
   * @param rows the batch
   * @param scores {@code scores[i]} for {@code rows.get(i)}
   * @param raw raw features, row-major, {@code features().width()} per row
   * @param scaled scaled features, row-major, as the detector saw them
   * @return the explanations by row index, null for rows under the threshold
   */
  public Explanation[] explainFlagged(List<Row> rows, double[] scores, double[] raw, float[] scaled) {
    int w = features.width();
    Explanation[] out = new Explanation[rows.size()];
    for (int i = 0; i < out.length; i++) {
      if (threshold.isAnomaly(scores[i])) {
        out[i] = explain(rows.get(i), scores[i], raw, i * w, scaled, i * w);
      }
    }
    return out;
  }

  /** The anomaly type of a flagged row (see {@link AnomalyClassifier}). */
  public String classify(Row row, double[] raw, int rawOffset) {
    return classifier.classify(row, raw, rawOffset);
  }

  /**
   * Explains one row.
   *
   * @param row the row
   * @param score its score
   * @param raw raw feature values, the row's at {@code raw[rawOffset ..]}
   * @param scaled scaled features as the detector saw them, the row's at {@code scaled[scaledOffset ..]}
   */
  public Explanation explain(Row row, double score, double[] raw, int rawOffset, float[] scaled, int scaledOffset) {
    int w = features.width();
    double[] share = new double[w];
    attribution.attribute(scaled, scaledOffset, share);
    boolean anomalous = threshold.isAnomaly(score);
    String type = anomalous ? classifier.classify(row, raw, rawOffset) : "normal";
    List<FeatureContribution> top = new ArrayList<>(TOP_FEATURES);
    boolean[] used = new boolean[w];
    List<String> names = features.featureNames();
    for (int k = 0; k < Math.min(TOP_FEATURES, w); k++) {
      int best = -1;
      for (int j = 0; j < w; j++) {
        if (!used[j] && (best < 0 || share[j] > share[best])) {
          best = j;
        }
      }
      if (share[best] <= 0) {
        break;
      }
      used[best] = true;
      top.add(new FeatureContribution(names.get(best), raw[rawOffset + best], features.normalLow(best),
          features.normalHigh(best), share[best]));
    }
    ThreatAssessment threat = anomalous ? ThreatCatalog.assess(type, score, threshold.value())
        : new ThreatAssessment(ThreatAssessment.Level.LOW, "None", "No anomaly.", "None.", "-", "-");
    return new Explanation(score, threshold.value(), type, top, threat);
  }
}
