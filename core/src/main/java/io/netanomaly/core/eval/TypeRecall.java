package io.netanomaly.core.eval;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How many anomalies of one type there are and how many a detector flagged at a threshold (score
 * {@code >= threshold}). Immutable and thread-safe.
 */
public final class TypeRecall {
  /** The type given to anomalous rows whose type is null or blank. */
  public static final String UNLABELLED = "unlabelled";

  private final String type;
  private final long count;
  private final long detected;

  private TypeRecall(String type, long count, long detected) {
    this.type = type;
    this.count = count;
    this.detected = detected;
  }

  /**
   * Recall per anomaly type over the rows labelled anomalous ({@code labels[i] == 1}); normal rows
   * are left out (their flagged share is {@link BinaryMetrics#falsePositiveRate()}). Types are
   * taken as given, null or blank as {@link #UNLABELLED}.
   *
   * @return an unmodifiable map from type to its recall, sorted by type name; empty when no row
   *     is anomalous
   * @throws IllegalArgumentException when the arrays differ in length, a label is not 0 or 1, a
   *     score is NaN or the threshold is NaN
   */
  public static SortedMap<String, TypeRecall> compute(
      double[] scores, String[] types, int[] labels, double threshold) {
    if (types.length != labels.length) {
      throw new IllegalArgumentException(types.length + " types but " + labels.length + " labels");
    }
    if (Double.isNaN(threshold)) {
      throw new IllegalArgumentException("threshold is NaN");
    }
    Ranking.checkedAnomalyCount(scores, labels);
    SortedMap<String, long[]> counts = new TreeMap<>();
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] == 1) {
        String t = types[i] == null || types[i].isBlank() ? UNLABELLED : types[i];
        long[] c = counts.computeIfAbsent(t, k -> new long[2]);
        c[0]++;
        if (scores[i] >= threshold) {
          c[1]++;
        }
      }
    }
    SortedMap<String, TypeRecall> out = new TreeMap<>();
    counts.forEach((t, c) -> out.put(t, new TypeRecall(t, c[0], c[1])));
    return Collections.unmodifiableSortedMap(out);
  }

  /** The anomaly type. */
  public String type() {
    return type;
  }

  /** Anomalies of this type. */
  public long count() {
    return count;
  }

  /** Anomalies of this type that were flagged. */
  public long detected() {
    return detected;
  }

  /** detected / count (count is never 0). */
  public double recall() {
    return (double) detected / count;
  }

  @Override
  public String toString() {
    return type + ": " + detected + "/" + count;
  }
}
