package io.netanomaly.core.eval;

/**
 * Binary detection quality of anomaly scores against 0/1 labels at one threshold: a row is
 * predicted anomalous when its score is {@code >= threshold}. Holds the confusion counts, the
 * ratios derived from them and the threshold-free {@link Ranking} metrics.
 *
 * <p>Ratios with an empty denominator are 0, as scikit-learn's {@code zero_division=0}: precision
 * when nothing is flagged, recall when there are no anomalies, F1 when precision and recall are
 * both 0, false-positive rate when there are no normal rows. ROC-AUC and PR-AUC are {@code NaN}
 * when only one class is present. Immutable and thread-safe.
 */
public final class BinaryMetrics {
  private final long tp;
  private final long fp;
  private final long tn;
  private final long fn;
  private final double threshold;
  private final double rocAuc;
  private final double prAuc;

  private BinaryMetrics(
      long tp, long fp, long tn, long fn, double threshold, double rocAuc, double prAuc) {
    this.tp = tp;
    this.fp = fp;
    this.tn = tn;
    this.fn = fn;
    this.threshold = threshold;
    this.rocAuc = rocAuc;
    this.prAuc = prAuc;
  }

  /**
   * Computes the metrics of {@code scores} (higher = more anomalous, never NaN) against {@code
   * labels} (1 = anomaly, 0 = normal), row by row. O(n log n).
   *
   * @throws IllegalArgumentException when the arrays are empty or differ in length, a label is not
   *     0 or 1, a score is NaN, or the threshold is NaN
   */
  public static BinaryMetrics compute(double[] scores, int[] labels, double threshold) {
    if (Double.isNaN(threshold)) {
      throw new IllegalArgumentException("threshold is NaN");
    }
    if (scores.length == 0) {
      throw new IllegalArgumentException("no rows to evaluate");
    }
    Ranking.Split split = Ranking.Split.of(scores, labels);
    long tp = 0;
    long fp = 0;
    for (int i = 0; i < scores.length; i++) {
      if (scores[i] >= threshold) {
        if (labels[i] == 1) {
          tp++;
        } else {
          fp++;
        }
      }
    }
    long anomalies = split.positives.length;
    long normals = split.negatives.length;
    return new BinaryMetrics(
        tp, fp, normals - fp, anomalies - tp, threshold,
        Ranking.rocAuc(split), Ranking.averagePrecision(split));
  }

  /** Number of rows evaluated. */
  public long rows() {
    return tp + fp + tn + fn;
  }

  /** Number of rows labelled anomalous. */
  public long anomalies() {
    return tp + fn;
  }

  /** Anomalies flagged (true positives). */
  public long tp() {
    return tp;
  }

  /** Normal rows flagged (false positives). */
  public long fp() {
    return fp;
  }

  /** Normal rows not flagged (true negatives). */
  public long tn() {
    return tn;
  }

  /** Anomalies missed (false negatives). */
  public long fn() {
    return fn;
  }

  /** tp / (tp + fp); 0 when nothing is flagged. */
  public double precision() {
    return ratio(tp, tp + fp);
  }

  /** tp / (tp + fn); 0 when there are no anomalies. */
  public double recall() {
    return ratio(tp, tp + fn);
  }

  /** Harmonic mean of precision and recall; 0 when both are 0. */
  public double f1() {
    return ratio(2 * tp, 2 * tp + fp + fn);
  }

  /** Share of rows classified right. */
  public double accuracy() {
    return ratio(tp + tn, rows());
  }

  /** fp / (fp + tn), the share of normal rows flagged; 0 when there are no normal rows. */
  public double falsePositiveRate() {
    return ratio(fp, fp + tn);
  }

  /** Area under the ROC curve; NaN with only one class. See {@link Ranking#rocAuc}. */
  public double rocAuc() {
    return rocAuc;
  }

  /** Average precision; NaN with only one class. See {@link Ranking#averagePrecision}. */
  public double prAuc() {
    return prAuc;
  }

  /** The score at or above which a row counts as predicted anomalous. */
  public double threshold() {
    return threshold;
  }

  private static double ratio(long numerator, long denominator) {
    return denominator == 0 ? 0.0 : (double) numerator / denominator;
  }

  @Override
  public String toString() {
    return "BinaryMetrics[rows=" + rows() + ", anomalies=" + anomalies() + ", tp=" + tp + ", fp="
        + fp + ", tn=" + tn + ", fn=" + fn + ", threshold=" + threshold + ", rocAuc=" + rocAuc
        + ", prAuc=" + prAuc + "]";
  }
}
