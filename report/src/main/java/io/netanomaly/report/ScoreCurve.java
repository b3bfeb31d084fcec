package io.netanomaly.report;

import io.netanomaly.core.eval.Ranking;
import java.util.Arrays;

/**
 * A ROC or precision-recall curve of anomaly scores against 0/1 labels (1 = anomaly, higher score =
 * more anomalous): one point per distinct score, thresholds from the highest down, rows with equal
 * scores entering together (as {@link Ranking} and scikit-learn count them). The area is
 * {@link Ranking#rocAuc} or {@link Ranking#averagePrecision}, so the legend agrees with the metrics
 * table. Curves with more than {@link #MAX_POINTS} points keep an evenly spaced subset of them (the
 * first and last always), which a 1600 px chart cannot tell apart. Immutable and thread-safe.
 */
public final class ScoreCurve {
  /** Most points kept for drawing. */
  public static final int MAX_POINTS = 4_000;

  private final double[] x;
  private final double[] y;
  private final double area;

  private ScoreCurve(double[] x, double[] y, double area) {
    this.x = x;
    this.y = y;
    this.area = area;
  }

  /**
   * The ROC curve: x = false-positive rate, y = true-positive rate, from (0, 0) to (1, 1); area =
   * ROC-AUC. NaN area and a diagonal when only one class is present.
   */
  public static ScoreCurve roc(double[] scores, int[] labels) {
    Counts c = Counts.of(scores, labels);
    int n = c.tp.length;
    double[] fpr = new double[n + 1];
    double[] tpr = new double[n + 1];
    for (int i = 0; i < n; i++) {
      fpr[i + 1] = c.negatives == 0 ? (i + 1.0) / n : (double) c.fp[i] / c.negatives;
      tpr[i + 1] = c.positives == 0 ? (i + 1.0) / n : (double) c.tp[i] / c.positives;
    }
    return thin(fpr, tpr, Ranking.rocAuc(scores, labels));
  }

  /**
   * The precision-recall curve: x = recall, y = precision at each threshold, starting at recall 0
   * with the precision of the highest threshold; area = average precision.
   */
  public static ScoreCurve precisionRecall(double[] scores, int[] labels) {
    Counts c = Counts.of(scores, labels);
    int n = c.tp.length;
    double[] recall = new double[n + 1];
    double[] precision = new double[n + 1];
    for (int i = 0; i < n; i++) {
      recall[i + 1] = c.positives == 0 ? 0 : (double) c.tp[i] / c.positives;
      precision[i + 1] = (double) c.tp[i] / (c.tp[i] + c.fp[i]);
    }
    precision[0] = n == 0 ? 1 : precision[1];
    return thin(recall, precision, Ranking.averagePrecision(scores, labels));
  }

  private static ScoreCurve thin(double[] x, double[] y, double area) {
    if (x.length <= MAX_POINTS) {
      return new ScoreCurve(x, y, area);
    }
    double[] tx = new double[MAX_POINTS];
    double[] ty = new double[MAX_POINTS];
    for (int k = 0; k < MAX_POINTS; k++) {
      int i = (int) Math.round((double) k * (x.length - 1) / (MAX_POINTS - 1));
      tx[k] = x[i];
      ty[k] = y[i];
    }
    return new ScoreCurve(tx, ty, area);
  }

  /** The x coordinates (FPR or recall), in [0, 1] (a copy). */
  public double[] x() {
    return x.clone();
  }

  /** The y coordinates (TPR or precision), in [0, 1] (a copy). */
  public double[] y() {
    return y.clone();
  }

  /** ROC-AUC or average precision; NaN when only one class is present. */
  public double area() {
    return area;
  }

  /** Cumulative true and false positives at each distinct score, from the highest down. */
  private static final class Counts {
    final long[] tp;
    final long[] fp;
    final long positives;
    final long negatives;

    private Counts(long[] tp, long[] fp, long positives, long negatives) {
      this.tp = tp;
      this.fp = fp;
      this.positives = positives;
      this.negatives = negatives;
    }

    static Counts of(double[] scores, int[] labels) {
      if (scores.length != labels.length) {
        throw new IllegalArgumentException(scores.length + " scores but " + labels.length + " labels");
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
      double[] pos = new double[anomalies];
      double[] neg = new double[scores.length - anomalies];
      int p = 0;
      int q = 0;
      for (int i = 0; i < scores.length; i++) {
        double s = scores[i] + 0.0; // -0.0 + 0.0 == +0.0: signed zeros tie, as in Ranking
        if (labels[i] == 1) {
          pos[p++] = s;
        } else {
          neg[q++] = s;
        }
      }
      Arrays.sort(pos);
      Arrays.sort(neg);
      long[] tp = new long[scores.length];
      long[] fp = new long[scores.length];
      int points = 0;
      int i = pos.length - 1;
      int j = neg.length - 1;
      long t = 0;
      long f = 0;
      while (i >= 0 || j >= 0) {
        double top = i < 0 ? neg[j] : j < 0 ? pos[i] : Math.max(pos[i], neg[j]);
        while (i >= 0 && pos[i] == top) {
          t++;
          i--;
        }
        while (j >= 0 && neg[j] == top) {
          f++;
          j--;
        }
        tp[points] = t;
        fp[points] = f;
        points++;
      }
      return new Counts(Arrays.copyOf(tp, points), Arrays.copyOf(fp, points), pos.length, neg.length);
    }
  }
}
