package io.netanomaly.core.detect.iforest;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Deterministic uniform subsamples of row indices, shared by the detector families. Stateless. */
public final class RowSample {
  private RowSample() {}

  /**
   * {@code count} distinct rows of {@code 0 .. rows - 1}, ascending, drawn uniformly by a partial
   * Fisher–Yates shuffle from {@code seed}; all rows when {@code count ≥ rows}.
   */
  public static int[] pick(int rows, int count, long seed) {
    int[] all = new int[rows];
    for (int i = 0; i < rows; i++) {
      all[i] = i;
    }
    if (count >= rows) {
      return all;
    }
    SplittableRandom rng = new SplittableRandom(seed);
    for (int i = 0; i < count; i++) {
      int j = i + rng.nextInt(rows - i);
      int t = all[i];
      all[i] = all[j];
      all[j] = t;
    }
    int[] picked = Arrays.copyOf(all, count);
    Arrays.sort(picked);
    return picked;
  }
}
