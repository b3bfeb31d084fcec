package io.netanomaly.core.supervised;

import io.netanomaly.core.detect.iforest.DetectorParams;
import io.netanomaly.core.model.ModelArchive;
import io.netanomaly.core.model.ModelFormatException;
import java.util.Arrays;

/**
 * Binary decision trees in flat arrays, each node {@code i} either a split ({@code feature[i] ≥ 0}:
 * rows with {@code x[feature] > threshold} go to {@code right[i]}, the others, NaN included, to
 * {@code left[i]}) or a leaf ({@code feature[i] == -1}) holding {@code width} values at
 * {@code value[i * width ..]}. Trees are stored one after another in pre-order, so every child
 * has a larger index than its parent and a walk always ends. Immutable; safe for concurrent reads.
 */
final class TreeArrays {
  final int width;
  final int[] roots;
  final int[] feature;
  final float[] threshold;
  final int[] left;
  final int[] right;
  final double[] value;

  TreeArrays(int width, int[] roots, int[] feature, float[] threshold, int[] left, int[] right, double[] value) {
    this.width = width;
    this.roots = roots;
    this.feature = feature;
    this.threshold = threshold;
    this.left = left;
    this.right = right;
    this.value = value;
  }

  int trees() {
    return roots.length;
  }

  int nodes() {
    return feature.length;
  }

  /** The leaf of tree {@code t} that the row at {@code x[offset ..]} reaches. */
  int leaf(int t, float[] x, int offset) {
    int n = roots[t];
    int f;
    while ((f = feature[n]) >= 0) {
      n = x[offset + f] > threshold[n] ? right[n] : left[n];
    }
    return n;
  }

  /** Writes the trees as arrays {@code prefix.tree_offsets/.feature/.threshold/.left/.right/.value}, children tree-local. */
  void writeTo(ModelArchive.Builder archive, String prefix) {
    int nodes = nodes();
    int[] offsets = Arrays.copyOf(roots, roots.length + 1);
    offsets[roots.length] = nodes;
    int[] l = new int[nodes];
    int[] r = new int[nodes];
    for (int t = 0; t < roots.length; t++) {
      for (int i = offsets[t]; i < offsets[t + 1]; i++) {
        l[i] = left[i] < 0 ? -1 : left[i] - offsets[t];
        r[i] = right[i] < 0 ? -1 : right[i] - offsets[t];
      }
    }
    archive.put(prefix + ".tree_offsets", offsets);
    archive.put(prefix + ".feature", feature.clone());
    archive.put(prefix + ".threshold", threshold.clone());
    archive.put(prefix + ".left", l);
    archive.put(prefix + ".right", r);
    archive.put(prefix + ".value", value.clone());
  }

  /**
   * Reads trees written by {@link #writeTo}, checking that there are {@code trees} of them over
   * {@code features} features, that every node but a root has exactly one parent of smaller index
   * in its own tree, and that thresholds and values are finite.
   */
  static TreeArrays readFrom(ModelArchive archive, String prefix, DetectorParams p, int trees, int features,
      int width) throws ModelFormatException {
    int[] offsets = archive.ints(prefix + ".tree_offsets");
    int[] feature = archive.ints(prefix + ".feature").clone();
    float[] threshold = archive.floats(prefix + ".threshold").clone();
    int[] l = archive.ints(prefix + ".left");
    int[] r = archive.ints(prefix + ".right");
    double[] value = archive.doubles(prefix + ".value").clone();
    int nodes = feature.length;
    if (threshold.length != nodes || l.length != nodes || r.length != nodes || (long) nodes * width != value.length) {
      throw p.error("tree arrays disagree in length");
    }
    if (offsets.length != trees + 1 || offsets[0] != 0 || offsets[trees] != nodes) {
      throw p.error("tree_offsets must have trees + 1 entries from 0 to nodes");
    }
    int[] left = new int[nodes];
    int[] right = new int[nodes];
    boolean[] hasParent = new boolean[nodes];
    for (int t = 0; t < trees; t++) {
      int base = offsets[t];
      int end = offsets[t + 1];
      if (end <= base) {
        throw p.error("tree " + t + " is empty or tree_offsets decrease");
      }
      for (int i = base; i < end; i++) {
        if (feature[i] == -1) {
          if (l[i] != -1 || r[i] != -1) {
            throw p.error("leaf " + i + " has children");
          }
          left[i] = -1;
          right[i] = -1;
          continue;
        }
        if (feature[i] < 0 || feature[i] >= features) {
          throw p.error("node " + i + " splits on feature " + feature[i] + " of " + features);
        }
        if (!Float.isFinite(threshold[i])) {
          throw p.error("node " + i + " has a non-finite threshold");
        }
        int li = l[i];
        int ri = r[i];
        if (li <= i - base || ri <= i - base || li >= end - base || ri >= end - base || li == ri) {
          throw p.error("node " + i + " has children outside its tree or not after it");
        }
        for (int c : new int[] {base + li, base + ri}) {
          if (hasParent[c]) {
            throw p.error("node " + c + " has two parents");
          }
          hasParent[c] = true;
        }
        left[i] = base + li;
        right[i] = base + ri;
      }
      for (int i = base + 1; i < end; i++) {
        if (!hasParent[i]) {
          throw p.error("node " + i + " is not reachable from the root of tree " + t);
        }
      }
    }
    for (double v : value) {
      if (!Double.isFinite(v)) {
        throw p.error("a tree value is not finite");
      }
    }
    return new TreeArrays(width, Arrays.copyOf(offsets, trees), feature, threshold, left, right, value);
  }
}
