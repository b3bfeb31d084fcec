package io.netanomaly.core.detect.iforest;

import java.util.Arrays;

/**
 * Path-length kernel of an Extended Isolation Forest: linked nodes (global indices, leaves have
 * {@code left < 0}) whose splits compare {@code x · normal} with an intercept, the normals stored
 * dense, {@code features} floats per node. Immutable; shares the forest's arrays.
 */
final class HyperplaneTrees implements PathLengthKernel {
  private final int[] roots;
  private final int features;
  private final float[] normal;
  private final double[] intercept;
  private final int[] left;
  private final double[] value;

  HyperplaneTrees(int[] roots, int features, float[] normal, double[] intercept, int[] left, double[] value) {
    this.roots = roots;
    this.features = features;
    this.normal = normal;
    this.intercept = intercept;
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
        int l;
        while ((l = left[node]) >= 0) {
          double dot = ExtendedIsolationTree.project(normal, node * features, x, off, features);
          // NaN compares false, so NaN goes left
          node = l + (dot > intercept[node] ? 1 : 0);
        }
        acc[r] += value[node];
      }
    }
  }
}
