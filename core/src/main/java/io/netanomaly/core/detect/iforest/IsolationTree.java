package io.netanomaly.core.detect.iforest;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * One grown isolation tree in linked form, node 0 the root: {@code feature[i] < 0} marks a leaf
 * whose {@code value[i]} is its path length (depth + c(samples in leaf)); otherwise rows with
 * {@code x[feature[i]] > threshold[i]} go to {@code left[i] + 1}, the others (NaN included) to
 * {@code left[i]}. Children always come after their parent. {@code samples[i]} is the number of
 * subsample rows that reached node {@code i}. Immutable after growing; arrays are
 * handed to the forest and never changed.
 */
final class IsolationTree {
  final int[] feature;
  final float[] threshold;
  final int[] left;
  final double[] value;
  final int[] samples;

  private IsolationTree(int[] feature, float[] threshold, int[] left, double[] value, int[] samples) {
    this.feature = feature;
    this.threshold = threshold;
    this.left = left;
    this.value = value;
    this.samples = samples;
  }

  int nodes() {
    return feature.length;
  }

  /**
   * Grows one tree on a subsample of {@code sampleSize} distinct rows of the row-major matrix
   * {@code data}, splitting on a per-tree random subset of {@code featureCount} features (as
   * scikit-learn's {@code max_features}). At each node a feature is drawn uniformly among the
   * subset's features that are not constant in the node, and a threshold uniformly in
   * {@code [min, max)}; a node becomes a leaf at {@code maxDepth}, at one sample, or when every
   * allowed feature is constant in it. Uses only {@code rng} for randomness.
   */
  static IsolationTree grow(float[] data, int rows, int cols, int sampleSize, int featureCount, int maxDepth,
      SplittableRandom rng) {
    int[] allowed = pickFeatures(cols, featureCount, rng);
    int[] sample = pickRows(rows, sampleSize, rng);
    int k = allowed.length;
    // Column-major copy of the subsample: min/max and partitions scan one contiguous column
    float[][] columns = new float[k][sampleSize];
    for (int i = 0; i < sampleSize; i++) {
      int off = sample[i] * cols;
      for (int j = 0; j < k; j++) {
        columns[j][i] = data[off + allowed[j]];
      }
    }

    int capacity = 2 * sampleSize - 1;
    int[] feature = new int[capacity];
    float[] threshold = new float[capacity];
    int[] left = new int[capacity];
    double[] value = new double[capacity];
    int[] samples = new int[capacity];
    int[] order = new int[sampleSize];
    for (int i = 0; i < sampleSize; i++) {
      order[i] = i;
    }
    int[] candidates = new int[k];
    // Depth-first with an explicit stack of (node, lo, hi, depth); at most maxDepth + 1 pending
    int[] stack = new int[4 * (maxDepth + 2)];
    int top = 0;
    stack[top++] = 0;
    stack[top++] = 0;
    stack[top++] = sampleSize;
    stack[top++] = 0;
    int nodes = 1;
    while (top > 0) {
      int depth = stack[--top];
      int hi = stack[--top];
      int lo = stack[--top];
      int node = stack[--top];
      samples[node] = hi - lo;
      int chosen = -1;
      float min = 0;
      float max = 0;
      if (depth < maxDepth && hi - lo > 1) {
        for (int j = 0; j < k; j++) {
          candidates[j] = j;
        }
        int remaining = k;
        while (remaining > 0) {
          int pick = rng.nextInt(remaining);
          float[] col = columns[candidates[pick]];
          float lowest = Float.POSITIVE_INFINITY;
          float highest = Float.NEGATIVE_INFINITY;
          for (int p = lo; p < hi; p++) {
            float v = col[order[p]];
            if (v < lowest) {
              lowest = v;
            }
            if (v > highest) {
              highest = v;
            }
          }
          if (highest > lowest) {
            chosen = candidates[pick];
            min = lowest;
            max = highest;
            break;
          }
          candidates[pick] = candidates[--remaining];
        }
      }
      if (chosen < 0) {
        feature[node] = -1;
        left[node] = -1;
        value[node] = depth + IsolationForest.averagePathLength(hi - lo);
        continue;
      }
      float t = (float) (min + rng.nextDouble() * ((double) max - (double) min));
      // Rounding (or infinite bounds) may land outside [min, max): min still leaves both sides non-empty
      if (!(t >= min && t < max)) {
        t = min;
      }
      float[] col = columns[chosen];
      int mid = lo;
      for (int p = lo; p < hi; p++) {
        int s = order[p];
        if (!(col[s] > t)) {
          order[p] = order[mid];
          order[mid++] = s;
        }
      }
      int child = nodes;
      nodes += 2;
      feature[node] = allowed[chosen];
      threshold[node] = t;
      left[node] = child;
      stack[top++] = child + 1;
      stack[top++] = mid;
      stack[top++] = hi;
      stack[top++] = depth + 1;
      stack[top++] = child;
      stack[top++] = lo;
      stack[top++] = mid;
      stack[top++] = depth + 1;
    }
    return new IsolationTree(
        Arrays.copyOf(feature, nodes),
        Arrays.copyOf(threshold, nodes),
        Arrays.copyOf(left, nodes),
        Arrays.copyOf(value, nodes),
        Arrays.copyOf(samples, nodes));
  }

  /** {@code count} distinct features of {@code 0 .. cols - 1}, ascending (all of them when count = cols). */
  static int[] pickFeatures(int cols, int count, SplittableRandom rng) {
    int[] all = new int[cols];
    for (int i = 0; i < cols; i++) {
      all[i] = i;
    }
    if (count >= cols) {
      return all;
    }
    for (int i = 0; i < count; i++) {
      int j = i + rng.nextInt(cols - i);
      int tmp = all[i];
      all[i] = all[j];
      all[j] = tmp;
    }
    int[] picked = Arrays.copyOf(all, count);
    Arrays.sort(picked);
    return picked;
  }

  /** {@code count} distinct rows of {@code 0 .. rows - 1} without replacement (Floyd), ascending. */
  static int[] pickRows(int rows, int count, SplittableRandom rng) {
    int[] picked = new int[count];
    if (count >= rows) {
      for (int i = 0; i < count; i++) {
        picked[i] = i;
      }
      return picked;
    }
    int n = 0;
    if ((long) count * 8 >= rows) {
      boolean[] taken = new boolean[rows];
      for (int j = rows - count; j < rows; j++) {
        int t = rng.nextInt(j + 1);
        int row = taken[t] ? j : t;
        taken[row] = true;
        picked[n++] = row;
      }
    } else {
      Set<Integer> taken = new HashSet<>(count * 2);
      for (int j = rows - count; j < rows; j++) {
        int t = rng.nextInt(j + 1);
        int row = taken.add(t) ? t : j;
        if (row == j) {
          taken.add(j);
        }
        picked[n++] = row;
      }
    }
    Arrays.sort(picked);
    return picked;
  }
}
