package io.netanomaly.core.detect;

import io.netanomaly.core.model.ModelArchive;

/**
 * A fitted anomaly detector: scores rows of a feature matrix, higher = more anomalous. Fitting is
 * done by each family's trainer (for example {@code IsolationForest.builder()...fit(matrix)}), which
 * returns an immutable detector.
 *
 * <p>Implementations are immutable and safe to call from several threads at once.
 */
public interface Detector {
  /** Short stable name of the family, as written in model files ("iforest"). */
  String kind();

  /** Number of features (matrix columns) it was fitted on. */
  int features();

  /**
   * Scores every row of {@code batch} into {@code out[0 .. batch.rows())}.
   *
   * @throws IllegalArgumentException if {@code batch.cols() != features()} or {@code out} is short
   */
  void score(Matrix batch, double[] out);

  /** Scores every row into a new array. */
  default double[] score(Matrix batch) {
    double[] out = new double[batch.rows()];
    score(batch, out);
    return out;
  }

  /**
   * How much each feature contributed to the score of the row at {@code row[offset ..]}; writes
   * {@link #features()} non-negative shares summing to 1 (or all 0) into {@code out}.
   */
  void attribute(float[] row, int offset, double[] out);

  /** Writes parameters into the manifest node and arrays under names starting with {@code prefix}. */
  void writeTo(ModelArchive.Builder archive, String prefix);
}
