package io.netanomaly.core.eval;

import java.util.SplittableRandom;

/**
 * A deterministic random split of a row stream into a training part and a held-out part, decided
 * row by row from the row's position and a seed, so {@code train} and {@code evaluate} agree on it
 * without storing anything and without reading the file twice. The shares are exact in expectation
 * (a 70/30 split of 25,192 rows gives about 17,634 / 7,558). Immutable and thread-safe.
 */
public final class HoldoutSplit {
  private final double trainShare;
  private final long seed;

  /**
   * @param trainShare share of rows for training, in (0, 1)
   * @param seed split seed
   */
  public HoldoutSplit(double trainShare, long seed) {
    if (!(trainShare > 0 && trainShare < 1)) {
      throw new IllegalArgumentException("split: expected a training share in (0, 1), got " + trainShare);
    }
    this.trainShare = trainShare;
    this.seed = seed;
  }

  /** Whether the row at 0-based {@code index} belongs to the training part. */
  public boolean isTraining(long index) {
    // A fresh generator per index gives a stateless, well-mixed uniform draw for that index.
    double u = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index).nextDouble();
    return u < trainShare;
  }

  public double trainShare() {
    return trainShare;
  }

  public long seed() {
    return seed;
  }

  @Override
  public String toString() {
    return trainShare + "@" + seed;
  }
}
