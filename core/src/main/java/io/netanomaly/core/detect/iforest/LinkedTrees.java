package io.netanomaly.core.detect.iforest;

import java.util.Arrays;

/**
 * Path-length kernel over the linked node arrays (node → left child, right child = left + 1). Used
 * for forests too deep for {@link PaddedTrees}. Immutable; shares the forest's arrays.
 */
final class LinkedTrees implements PathLengthKernel {
  private final int[] roots;
  private final int[] feature;
  private final float[] threshold;
  private final int[] left;
  private final double[] value;

  /** {@code left} holds global node indices; leaves have {@code feature < 0}. */
  LinkedTrees(int[] roots, int[] feature, float[] threshold, int[] left, double[] value) {
    this.roots = roots;
    this.feature = feature;
    this.threshold = threshold;
    this.left = left;
    this.value = value;
  }

  @Override
  public void sumPathLengths(float[] x, int cols, int rowFrom, int rowTo, double[] acc) {
    int n = rowTo - rowFrom;
    Arrays.fill(acc, 0, n, 0.0);
    for (int root : roots) {
      for (int r = 0; r < n; r++) {
        int off = (rowFrom + r) * cols;
        int node = root;
        int f;
        while ((f = feature[node]) >= 0) {
          // NaN compares false, so NaN goes left
          node = left[node] + (x[off + f] > threshold[node] ? 1 : 0);
        }
        acc[r] += value[node];
      }
    }
  }
}
