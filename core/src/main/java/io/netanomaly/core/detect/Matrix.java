package io.netanomaly.core.detect;

import java.util.Objects;

/**
 * A dense row-major matrix of 32-bit floats: {@code rows} rows of {@code cols} features, row
 * {@code r} at {@code data[r * cols .. r * cols + cols)}. The detectors' input. Not copied on
 * construction: the caller must not change {@code data} while a detector reads it.
 */
public final class Matrix {
  private final float[] data;
  private final int rows;
  private final int cols;

  public Matrix(float[] data, int rows, int cols) {
    this.data = Objects.requireNonNull(data, "data");
    if (rows < 0 || cols <= 0 || (long) rows * cols > data.length) {
      throw new IllegalArgumentException("bad shape " + rows + "x" + cols + " for " + data.length + " values");
    }
    this.rows = rows;
    this.cols = cols;
  }

  public static Matrix of(double[][] values) {
    int r = values.length;
    int c = r == 0 ? 1 : values[0].length;
    float[] d = new float[r * c];
    for (int i = 0; i < r; i++) {
      if (values[i].length != c) {
        throw new IllegalArgumentException("ragged row " + i);
      }
      for (int j = 0; j < c; j++) {
        d[i * c + j] = (float) values[i][j];
      }
    }
    return new Matrix(d, r, c);
  }

  /**
   * Refuses a batch that a detector with {@code features} columns cannot score into {@code out}.
   *
   * @param detector how the detector is named in the message ("forest", "SVM")
   * @throws NullPointerException if {@code batch} or {@code out} is null
   * @throws IllegalArgumentException if the columns differ or {@code out} is short
   */
  public static void checkScoring(Matrix batch, double[] out, int features, String detector) {
    Objects.requireNonNull(out, "out");
    checkScoring(batch, out.length, features, detector);
  }

  /** As {@link #checkScoring(Matrix, double[], int, String)}, for an output of {@code outLength} entries. */
  public static void checkScoring(Matrix batch, int outLength, int features, String detector) {
    Objects.requireNonNull(batch, "batch");
    if (batch.cols() != features) {
      throw new IllegalArgumentException("batch has " + batch.cols() + " features, " + detector + " " + features);
    }
    if (outLength < batch.rows()) {
      throw new IllegalArgumentException("out has " + outLength + " entries for " + batch.rows() + " rows");
    }
  }

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  /** The backing array (row-major); shared, not a copy. */
  public float[] data() {
    return data;
  }

  public float get(int row, int col) {
    return data[row * cols + col];
  }

  /** A view of rows [from, to) sharing no storage (copied). */
  public Matrix slice(int from, int to) {
    float[] d = java.util.Arrays.copyOfRange(data, from * cols, to * cols);
    return new Matrix(d, to - from, cols);
  }
}
