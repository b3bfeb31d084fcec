package io.netanomaly.core.detect.iforest;

/**
 * Path-length kernel of an Extended Isolation Forest: linked nodes (global indices, leaves have
 * {@code left < 0}) whose splits compare {@code x · normal} with an intercept.
 *
 * <p>Normals are mostly zeros (a node's normal only uses the features that vary among its
 * training samples), so for finite rows the kernel walks a sparse copy: per inner node, the
 * non-zero terms of each of the four partial sums of {@link ExtendedIsolationTree#project}, in the
 * same feature order, interleaved four at a time (sum {@code g}'s {@code k}-th term at
 * {@code 4k + g}) and padded with zero weights on feature 0. Skipping or padding a zero term adds
 * ±0 to a partial sum of finite products, which changes no comparison, so the sparse walk splits
 * every finite row exactly as the dense projection does. A block holding a NaN or infinite value
 * takes the dense walk (there a zero weight times ±∞ is NaN, which the sparse walk would skip).
 *
 * <p>Immutable; shares the forest's dense arrays; allocates nothing while scoring.
 */
final class HyperplaneTrees implements PathLengthKernel {
  private final int[] roots;
  private final int features;
  private final float[] normal;
  private final double[] intercept;
  private final int[] left;
  private final double[] value;
  /** Node {@code i}'s sparse terms are {@code [termStart[i], termStart[i + 1])}, a multiple of 4. */
  private final int[] termStart;
  private final int[] termFeature;
  private final float[] termWeight;

  HyperplaneTrees(int[] roots, int features, float[] normal, double[] intercept, int[] left, double[] value) {
    this.roots = roots;
    this.features = features;
    this.normal = normal;
    this.intercept = intercept;
    this.left = left;
    this.value = value;
    int nodes = left.length;
    // project() sums feature f into partial sum f & 3, except the tail past the last full group of four into sum 0
    int grouped = features & ~3;
    termStart = new int[nodes + 1];
    int[] count = new int[4];
    for (int i = 0; i < nodes; i++) {
      int longest = 0;
      if (left[i] >= 0) {
        java.util.Arrays.fill(count, 0);
        for (int f = 0; f < features; f++) {
          if (normal[i * features + f] != 0) {
            longest = Math.max(longest, ++count[f < grouped ? f & 3 : 0]);
          }
        }
      }
      termStart[i + 1] = termStart[i] + 4 * longest;
    }
    termFeature = new int[termStart[nodes]];
    termWeight = new float[termStart[nodes]];
    for (int i = 0; i < nodes; i++) {
      java.util.Arrays.fill(count, 0);
      for (int f = 0; f < features && left[i] >= 0; f++) {
        float w = normal[i * features + f];
        if (w != 0) {
          int g = f < grouped ? f & 3 : 0;
          int at = termStart[i] + 4 * count[g]++ + g;
          termFeature[at] = f;
          termWeight[at] = w;
        }
      }
    }
  }

  @Override
  public void sumPathLengths(float[] x, int cols, int rowFrom, int rowTo, double[] acc) {
    int n = rowTo - rowFrom;
    java.util.Arrays.fill(acc, 0, n, 0.0);
    if (allFinite(x, rowFrom * cols, rowTo * cols)) {
      sumSparse(x, cols, rowFrom, n, acc);
    } else {
      sumDense(x, cols, rowFrom, n, acc);
    }
  }

  private static boolean allFinite(float[] x, int from, int to) {
    boolean finite = true;
    for (int i = from; i < to; i++) {
      // x - x is 0 for finite x and NaN for NaN and ±∞
      finite &= x[i] - x[i] == 0;
    }
    return finite;
  }

  private void sumSparse(float[] x, int cols, int rowFrom, int n, double[] acc) {
    int[] start = termStart;
    int[] fi = termFeature;
    float[] w = termWeight;
    for (int root : roots) {
      for (int r = 0; r < n; r++) {
        int off = (rowFrom + r) * cols;
        int node = root;
        int l;
        while ((l = left[node]) >= 0) {
          double s0 = 0;
          double s1 = 0;
          double s2 = 0;
          double s3 = 0;
          for (int k = start[node], end = start[node + 1]; k < end; k += 4) {
            s0 += (double) w[k] * x[off + fi[k]];
            s1 += (double) w[k + 1] * x[off + fi[k + 1]];
            s2 += (double) w[k + 2] * x[off + fi[k + 2]];
            s3 += (double) w[k + 3] * x[off + fi[k + 3]];
          }
          node = l + ((s0 + s1) + (s2 + s3) > intercept[node] ? 1 : 0);
        }
        acc[r] += value[node];
      }
    }
  }

  private void sumDense(float[] x, int cols, int rowFrom, int n, double[] acc) {
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
