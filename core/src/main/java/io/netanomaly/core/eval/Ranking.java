package io.netanomaly.core.eval;

import java.util.Arrays;

/**
 * Threshold-free ranking metrics of anomaly scores against 0/1 labels (1 = anomaly, higher score =
 * more anomalous). Both agree with scikit-learn ({@code roc_auc_score}, {@code
 * average_precision_score}) to rounding; both are {@code NaN} when only one class is present.
 * Scores must not be NaN; {@code -0.0} and {@code 0.0} count as tied. O(n log n) time, two
 * score-sized arrays of extra memory. Stateless and thread-safe.
 */
public final class Ranking {
  private Ranking() {}

  /**
   * Area under the ROC curve: the probability that a random anomaly scores above a random normal
   * row, ties counting one half (Mann-Whitney U with average ranks), computed exactly in integers.
   */
  public static double rocAuc(double[] scores, int[] labels) {
    return rocAuc(Split.of(scores, labels));
  }

  /**
   * Average precision: the sum over distinct score thresholds, from the highest down, of
   * precision at that threshold times the recall it adds. Rows with equal scores enter together,
   * as in scikit-learn's step-wise definition (no interpolation).
   */
  public static double averagePrecision(double[] scores, int[] labels) {
    return averagePrecision(Split.of(scores, labels));
  }

  static double rocAuc(Split s) {
    double[] pos = s.positives;
    double[] neg = s.negatives;
    if (pos.length == 0 || neg.length == 0) {
      return Double.NaN;
    }
    // Twice U: each (anomaly, normal) pair scores 2 when ordered right, 1 when tied.
    long twiceU = 0;
    int below = 0;
    int belowOrTied = 0;
    for (double p : pos) {
      while (below < neg.length && neg[below] < p) {
        below++;
      }
      belowOrTied = Math.max(belowOrTied, below);
      while (belowOrTied < neg.length && neg[belowOrTied] <= p) {
        belowOrTied++;
      }
      twiceU += (long) below + belowOrTied;
    }
    return twiceU / (2.0 * pos.length * neg.length);
  }

  static double averagePrecision(Split s) {
    double[] pos = s.positives;
    double[] neg = s.negatives;
    if (pos.length == 0 || neg.length == 0) {
      return Double.NaN;
    }
    int i = pos.length - 1;
    int j = neg.length - 1;
    long tp = 0;
    long fp = 0;
    double ap = 0;
    double previousRecall = 0;
    while (i >= 0) { // past the last anomaly recall stops growing: nothing more to add
      double t = j >= 0 ? Math.max(pos[i], neg[j]) : pos[i];
      while (i >= 0 && pos[i] == t) {
        tp++;
        i--;
      }
      while (j >= 0 && neg[j] == t) {
        fp++;
        j--;
      }
      double recall = (double) tp / pos.length;
      ap += (recall - previousRecall) * ((double) tp / (tp + fp));
      previousRecall = recall;
    }
    return ap;
  }

  /** Scores of anomalies and of normal rows, each sorted ascending, -0.0 folded into 0.0. */
  static final class Split {
    final double[] positives;
    final double[] negatives;

    private Split(double[] positives, double[] negatives) {
      this.positives = positives;
      this.negatives = negatives;
    }

    static Split of(double[] scores, int[] labels) {
      int anomalies = checkedAnomalyCount(scores, labels);
      double[] pos = new double[anomalies];
      double[] neg = new double[scores.length - anomalies];
      int p = 0;
      int n = 0;
      for (int i = 0; i < scores.length; i++) {
        double s = scores[i] + 0.0; // -0.0 + 0.0 == +0.0, so signed zeros tie
        if (labels[i] == 1) {
          pos[p++] = s;
        } else {
          neg[n++] = s;
        }
      }
      Arrays.sort(pos);
      Arrays.sort(neg);
      return new Split(pos, neg);
    }
  }

  /**
   * Checks that scores and labels match in length, labels are 0 or 1 and no score is NaN;
   * returns the number of anomalies.
   */
  static int checkedAnomalyCount(double[] scores, int[] labels) {
    if (scores.length != labels.length) {
      throw new IllegalArgumentException(
          scores.length + " scores but " + labels.length + " labels");
    }
    int anomalies = 0;
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] != 0 && labels[i] != 1) {
        throw new IllegalArgumentException("label at row " + i + " is " + labels[i] + ", not 0 or 1");
      }
      if (Double.isNaN(scores[i])) {
        throw new IllegalArgumentException("score at row " + i + " is NaN");
      }
      anomalies += labels[i];
    }
    return anomalies;
  }
}
