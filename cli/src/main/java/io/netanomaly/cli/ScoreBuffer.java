package io.netanomaly.cli;

import java.util.Arrays;

/** Growable columns of scores, labels and types, for computing metrics after a streamed scoring. */
final class ScoreBuffer {
  double[] scores = new double[1 << 14];
  int[] labels = new int[1 << 14];
  String[] types = new String[1 << 14];
  int size;

  void add(double score, int label, String type) {
    if (size == scores.length) {
      int len = size * 2;
      scores = Arrays.copyOf(scores, len);
      labels = Arrays.copyOf(labels, len);
      types = Arrays.copyOf(types, len);
    }
    scores[size] = score;
    labels[size] = label;
    types[size] = type;
    size++;
  }

  double[] scores() {
    return Arrays.copyOf(scores, size);
  }

  int[] labels() {
    return Arrays.copyOf(labels, size);
  }

  String[] types() {
    return Arrays.copyOf(types, size);
  }
}
