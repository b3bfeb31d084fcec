package io.netanomaly.core.supervised;

import io.netanomaly.core.detect.Matrix;
import java.util.Arrays;

/**
 * Training features cut into at most 256 ordered bins per feature, for histogram split search.
 * The bin of a value {@code x} is the first {@code b} with {@code x <= edge[b]} (the last bin when
 * there is none; NaN goes to bin 0), so "bin ≤ b" on training rows is exactly "{@code x <= edge[b]}"
 * at prediction time. Edges are midpoints between consecutive distinct values at (approximately)
 * equal-count quantiles. Codes are stored column-major. Immutable after construction.
 */
final class FeatureBins {
  static final int MAX_BINS = 256;

  final int rows;
  final int features;
  /** codes[f][r]: bin of row r in feature f, 0..bins(f)-1 as an unsigned byte. */
  final byte[][] codes;
  /** edges[f][b]: upper edge of bin b, strictly increasing, length bins(f) - 1. */
  final float[][] edges;

  FeatureBins(Matrix x, int threads) {
    this.rows = x.rows();
    this.features = x.cols();
    this.codes = new byte[features][];
    this.edges = new float[features][];
    java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    io.netanomaly.core.detect.DetectorWorkers.run(Math.max(1, Math.min(threads, features)), () -> {
      float[] column = new float[rows];
      for (int f; (f = next.getAndIncrement()) < features; ) {
        bin(x, f, column);
      }
    });
  }

  int bins(int f) {
    return edges[f].length + 1;
  }

  private void bin(Matrix x, int f, float[] column) {
    float[] data = x.data();
    int cols = x.cols();
    int n = 0;
    for (int r = 0; r < rows; r++) {
      float v = data[r * cols + f];
      if (!Float.isNaN(v)) {
        column[n++] = v;
      }
    }
    float[] sorted = Arrays.copyOf(column, n);
    Arrays.sort(sorted);
    float[] e = new float[MAX_BINS - 1];
    int m = 0;
    int from = 0;
    for (int q = 1; q < MAX_BINS && from < n; q++) {
      int at = Math.max(from, (int) ((long) q * n / MAX_BINS) - 1);
      if (at >= n - 1) {
        break;
      }
      float v = sorted[at];
      int j = at + 1;
      while (j < n && sorted[j] == v) {
        j++;
      }
      if (j >= n) {
        break;
      }
      float w = sorted[j];
      float mid = (float) (((double) v + (double) w) / 2);
      // rounding may land the midpoint on w; v < w keeps the edge between the two values
      float edge = mid < w && mid >= v ? mid : v;
      if (m == 0 || edge > e[m - 1]) {
        e[m++] = edge;
      }
      from = j;
    }
    edges[f] = Arrays.copyOf(e, m);
    byte[] c = new byte[rows];
    for (int r = 0; r < rows; r++) {
      c[r] = (byte) binOf(edges[f], data[r * cols + f]);
    }
    codes[f] = c;
  }

  /** The bin of {@code v}: the first b with v <= edges[b], else edges.length; NaN → 0. */
  static int binOf(float[] edges, float v) {
    if (Float.isNaN(v)) {
      return 0;
    }
    int lo = 0;
    int hi = edges.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (v <= edges[mid]) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }
}
