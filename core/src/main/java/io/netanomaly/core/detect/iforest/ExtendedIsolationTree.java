package io.netanomaly.core.detect.iforest;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One grown Extended Isolation Forest tree (Hariri, Carrasco Kind and Brunner 2019) in linked
 * form, node 0 the root: {@code left[i] < 0} marks a leaf whose {@code value[i]} is its path length
 * (depth + c(samples in leaf)); an inner node sends a row {@code x} to {@code left[i] + 1} when
 * {@code x · normal_i > intercept[i]} and to {@code left[i]} otherwise (NaN included), with
 * {@code normal_i = normal[i·cols .. i·cols + cols)}. Children come after their parent; a child may
 * hold no training samples (the "empty branch" of the paper), and then is a leaf of path length
 * equal to its depth. Immutable after growing.
 */
final class ExtendedIsolationTree {
  final float[] normal;
  final double[] intercept;
  final int[] left;
  final double[] value;
  final int[] samples;

  private ExtendedIsolationTree(float[] normal, double[] intercept, int[] left, double[] value, int[] samples) {
    this.normal = normal;
    this.intercept = intercept;
    this.left = left;
    this.value = value;
    this.samples = samples;
  }

  int nodes() {
    return left.length;
  }

  /**
   * {@code x[off ..] · normal[base ..]} over {@code cols} features, accumulated in double in four
   * interleaved partial sums (features {@code f ≡ 0, 1, 2, 3 mod 4}) added as
   * {@code (s0 + s1) + (s2 + s3)}: four independent add chains run about four times faster than
   * one. The one projection used by growing and by scoring, so training rows and scored rows
   * split alike.
   */
  static double project(float[] normal, int base, float[] x, int off, int cols) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int f = 0;
    for (; f + 3 < cols; f += 4) {
      s0 += (double) normal[base + f] * x[off + f];
      s1 += (double) normal[base + f + 1] * x[off + f + 1];
      s2 += (double) normal[base + f + 2] * x[off + f + 2];
      s3 += (double) normal[base + f + 3] * x[off + f + 3];
    }
    for (; f < cols; f++) {
      s0 += (double) normal[base + f] * x[off + f];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /**
   * Most nodes a tree can have: a complete tree of depth {@code maxDepth}, and also at most
   * {@code maxDepth · ψ / 2} inner nodes (each holds ≥ 2 samples, disjoint within a level), each
   * with two children.
   */
  static int maxNodes(int sampleSize, int maxDepth) {
    long complete = maxDepth >= 30 ? Long.MAX_VALUE : (1L << (maxDepth + 1)) - 1;
    long bySamples = (long) maxDepth * sampleSize + 1;
    return (int) Math.min(Integer.MAX_VALUE - 8, Math.min(complete, bySamples));
  }

  /**
   * Grows one tree on {@code sampleSize} distinct rows of the row-major {@code data}. At each node
   * the normal has {@code min(extensionLevel + 1, k)} non-zero components, standard normal draws on
   * features picked uniformly among the {@code k} tree-allowed features that vary in the node (the
   * paper draws them among all features; skipping constant ones avoids useless splits), and the
   * hyperplane goes through a point drawn uniformly in the node's bounding box. A node becomes a
   * leaf at {@code maxDepth}, with fewer than two samples, or when no allowed feature varies.
   * Uses only {@code rng} for randomness.
   */
  static ExtendedIsolationTree grow(float[] data, int rows, int cols, int sampleSize, int featureCount,
      int extensionLevel, int maxDepth, SplittableRandom rng) {
    int[] allowed = IsolationTree.pickFeatures(cols, featureCount, rng);
    int[] sample = IsolationTree.pickRows(rows, sampleSize, rng);
    int k = allowed.length;
    int capacity = maxNodes(sampleSize, maxDepth);
    float[] normal = new float[capacity * cols];
    double[] intercept = new double[capacity];
    int[] left = new int[capacity];
    double[] value = new double[capacity];
    int[] samples = new int[capacity];
    int[] order = sample.clone();
    double[] projection = new double[sampleSize];
    float[] min = new float[k];
    float[] max = new float[k];
    int[] varying = new int[k];
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
      int n = hi - lo;
      samples[node] = n;
      int variable = 0;
      if (depth < maxDepth && n > 1) {
        Arrays.fill(min, Float.POSITIVE_INFINITY);
        Arrays.fill(max, Float.NEGATIVE_INFINITY);
        for (int p = lo; p < hi; p++) {
          int off = order[p] * cols;
          for (int j = 0; j < k; j++) {
            float v = data[off + allowed[j]];
            if (v < min[j]) {
              min[j] = v;
            }
            if (v > max[j]) {
              max[j] = v;
            }
          }
        }
        for (int j = 0; j < k; j++) {
          if (max[j] > min[j]) {
            varying[variable++] = j;
          }
        }
      }
      if (variable == 0) {
        left[node] = -1;
        value[node] = depth + IsolationForest.averagePathLength(n);
        continue;
      }
      int nonZero = Math.min(extensionLevel + 1, variable);
      int base = node * cols;
      double b = 0;
      for (int i = 0; i < nonZero; i++) {
        int pick = i + rng.nextInt(variable - i);
        int j = varying[pick];
        varying[pick] = varying[i];
        varying[i] = j;
        float w = (float) rng.nextGaussian();
        float point = (float) (min[j] + rng.nextDouble() * ((double) max[j] - (double) min[j]));
        normal[base + allowed[j]] = w;
        b += (double) w * point;
      }
      intercept[node] = b;
      int mid = lo;
      for (int p = lo; p < hi; p++) {
        projection[p] = project(normal, base, data, order[p] * cols, cols);
      }
      for (int p = lo; p < hi; p++) {
        if (!(projection[p] > b)) {
          int s = order[p];
          double ps = projection[p];
          order[p] = order[mid];
          projection[p] = projection[mid];
          order[mid] = s;
          projection[mid++] = ps;
        }
      }
      int child = nodes;
      nodes += 2;
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
    return new ExtendedIsolationTree(
        Arrays.copyOf(normal, nodes * cols),
        Arrays.copyOf(intercept, nodes),
        Arrays.copyOf(left, nodes),
        Arrays.copyOf(value, nodes),
        Arrays.copyOf(samples, nodes));
  }
}
