package io.netanomaly.core.detect.iforest;

import java.util.Arrays;

/**
 * Path-length kernel over trees padded to complete binary trees of one depth {@code D}: node
 * {@code i}'s children are {@code 2i+1} and {@code 2i+2}, so a row's walk is exactly {@code D}
 * branch-free steps and needs no child pointers. A leaf above depth {@code D} becomes dummy splits
 * with threshold +∞ (every value, NaN included, goes left) over copies of its value.
 *
 * <p>Per tree: {@code 2^D - 1} inner nodes ({@code int} feature, {@code float} threshold) and
 * {@code 2^D} leaf path lengths; about 4 KB at {@code D = 8}, so a tree stays in L1 while a block
 * of rows walks it. Immutable and thread-safe.
 */
final class PaddedTrees implements PathLengthKernel {
  /** Deepest forest padded; deeper ones use {@link LinkedTrees} (padding grows as 2^D). */
  static final int MAX_DEPTH = 10;

  private final int trees;
  private final int depth;
  private final int inner;
  private final int[] feature;
  private final float[] threshold;
  private final double[] leafValue;

  private PaddedTrees(int trees, int depth) {
    this.trees = trees;
    this.depth = depth;
    this.inner = (1 << depth) - 1;
    this.feature = new int[trees * inner];
    this.threshold = new float[trees * inner];
    this.leafValue = new double[trees * (inner + 1)];
  }

  /**
   * Pads linked trees (global indices, leaves have {@code feature < 0}) whose leaves are all at
   * depth ≤ {@code depth} and whose thresholds are finite.
   */
  static PaddedTrees of(int depth, int[] roots, int[] feature, float[] threshold, int[] left, double[] value) {
    if (depth < 1 || depth > MAX_DEPTH) {
      throw new IllegalArgumentException("padded depth out of range: " + depth);
    }
    PaddedTrees p = new PaddedTrees(roots.length, depth);
    for (int t = 0; t < roots.length; t++) {
      p.fill(t, roots[t], 0, 0, feature, threshold, left, value);
    }
    return p;
  }

  private void fill(int tree, int node, int slot, int level, int[] feature, float[] threshold, int[] left,
      double[] value) {
    if (level == depth) {
      if (feature[node] >= 0) {
        throw new IllegalArgumentException("tree " + tree + " deeper than " + depth);
      }
      leafValue[tree * (inner + 1) + slot - inner] = value[node];
      return;
    }
    int at = tree * inner + slot;
    if (feature[node] < 0) {
      this.feature[at] = 0;
      this.threshold[at] = Float.POSITIVE_INFINITY;
      fill(tree, node, 2 * slot + 1, level + 1, feature, threshold, left, value);
      fill(tree, node, 2 * slot + 2, level + 1, feature, threshold, left, value);
    } else {
      this.feature[at] = feature[node];
      // −0 and +0 split alike; +0 keeps the sign-bit test of sumBranchFree exact at x = +0
      this.threshold[at] = threshold[node] + 0.0f;
      fill(tree, left[node], 2 * slot + 1, level + 1, feature, threshold, left, value);
      fill(tree, left[node] + 1, 2 * slot + 2, level + 1, feature, threshold, left, value);
    }
  }

  @Override
  public void sumPathLengths(float[] x, int cols, int rowFrom, int rowTo, double[] acc) {
    if (containsNaN(x, rowFrom * cols, rowTo * cols)) {
      sumComparing(x, cols, rowFrom, rowTo, acc);
    } else {
      sumBranchFree(x, cols, rowFrom, rowTo, acc);
    }
  }

  private static boolean containsNaN(float[] x, int from, int to) {
    boolean nan = false;
    for (int i = from; i < to; i++) {
      nan |= x[i] != x[i];
    }
    return nan;
  }

  /**
   * The fast walk for NaN-free rows. The step right is the sign bit of {@code threshold - x}: for a
   * finite threshold (never −0, see {@link #of}) and non-NaN {@code x} it is set exactly when
   * {@code x > threshold}, and dummy nodes (+∞) lead to equal leaves either way. Eight rows at a
   * time so that their independent chains of dependent loads overlap.
   */
  private void sumBranchFree(float[] x, int cols, int rowFrom, int rowTo, double[] acc) {
    int n = rowTo - rowFrom;
    Arrays.fill(acc, 0, n, 0.0);
    final int[] feature = this.feature;
    final float[] threshold = this.threshold;
    final double[] leafValue = this.leafValue;
    final int depth = this.depth;
    final int inner = this.inner;
    for (int t = 0; t < trees; t++) {
      int nodeBase = t * inner;
      int leafBase = t * (inner + 1) - inner;
      int r = 0;
      for (; r + 7 < n; r += 8) {
        int off0 = (rowFrom + r) * cols;
        int oa = off0 + 0 * cols;
        int ob = off0 + 1 * cols;
        int oc = off0 + 2 * cols;
        int od = off0 + 3 * cols;
        int oe = off0 + 4 * cols;
        int of = off0 + 5 * cols;
        int og = off0 + 6 * cols;
        int oh = off0 + 7 * cols;
        int a = 0;
        int b = 0;
        int c = 0;
        int d = 0;
        int e = 0;
        int f = 0;
        int g = 0;
        int h = 0;
        for (int k = 0; k < depth; k++) {
          int na = nodeBase + a;
          int nb = nodeBase + b;
          int nc = nodeBase + c;
          int nd = nodeBase + d;
          int ne = nodeBase + e;
          int nf = nodeBase + f;
          int ng = nodeBase + g;
          int nh = nodeBase + h;
          a = 2 * a + 1 + (Float.floatToRawIntBits(threshold[na] - x[oa + feature[na]]) >>> 31);
          b = 2 * b + 1 + (Float.floatToRawIntBits(threshold[nb] - x[ob + feature[nb]]) >>> 31);
          c = 2 * c + 1 + (Float.floatToRawIntBits(threshold[nc] - x[oc + feature[nc]]) >>> 31);
          d = 2 * d + 1 + (Float.floatToRawIntBits(threshold[nd] - x[od + feature[nd]]) >>> 31);
          e = 2 * e + 1 + (Float.floatToRawIntBits(threshold[ne] - x[oe + feature[ne]]) >>> 31);
          f = 2 * f + 1 + (Float.floatToRawIntBits(threshold[nf] - x[of + feature[nf]]) >>> 31);
          g = 2 * g + 1 + (Float.floatToRawIntBits(threshold[ng] - x[og + feature[ng]]) >>> 31);
          h = 2 * h + 1 + (Float.floatToRawIntBits(threshold[nh] - x[oh + feature[nh]]) >>> 31);
        }
        acc[r + 0] += leafValue[leafBase + a];
        acc[r + 1] += leafValue[leafBase + b];
        acc[r + 2] += leafValue[leafBase + c];
        acc[r + 3] += leafValue[leafBase + d];
        acc[r + 4] += leafValue[leafBase + e];
        acc[r + 5] += leafValue[leafBase + f];
        acc[r + 6] += leafValue[leafBase + g];
        acc[r + 7] += leafValue[leafBase + h];
      }
      for (; r < n; r++) {
        int off = (rowFrom + r) * cols;
        int a = 0;
        for (int k = 0; k < depth; k++) {
          int na = nodeBase + a;
          a = 2 * a + 1 + (Float.floatToRawIntBits(threshold[na] - x[off + feature[na]]) >>> 31);
        }
        acc[r] += leafValue[leafBase + a];
      }
    }
  }

  /** The walk by comparison, for blocks holding a NaN (which must go left at every split). */
  private void sumComparing(float[] x, int cols, int rowFrom, int rowTo, double[] acc) {
    int n = rowTo - rowFrom;
    Arrays.fill(acc, 0, n, 0.0);
    for (int t = 0; t < trees; t++) {
      int nodeBase = t * inner;
      int leafBase = t * (inner + 1) - inner;
      for (int r = 0; r < n; r++) {
        int off = (rowFrom + r) * cols;
        int a = 0;
        for (int k = 0; k < depth; k++) {
          int na = nodeBase + a;
          a = 2 * a + (x[off + feature[na]] > threshold[na] ? 2 : 1);
        }
        acc[r] += leafValue[leafBase + a];
      }
    }
  }
}
