package io.netanomaly.core.detect.rcf;

import com.amazon.randomcutforest.RandomCutForest;
import java.util.Objects;

/**
 * A Random Cut Forest that keeps learning: {@link #update(float[], int)} scores a row and then
 * adds it to the forest, so that under drift the new normal soon scores low again (how soon
 * depends on the time decay: about {@code 1 / timeDecay} updates replace most of each tree's
 * sample). With shingling, the forest sees the shingle of the row and the {@code s − 1} rows
 * before it in the stream.
 *
 * <p><b>Not thread-safe</b>: the forest and the shingle history change with every update; confine
 * an instance to one thread or guard it with a lock. {@link #snapshot()} turns the current state
 * into an immutable, thread-safe {@link RcfDetector} (for batch scoring or saving in a model file)
 * and leaves this instance usable.
 */
public final class OnlineRcf {
  private final RandomCutForest forest;
  private final int features;
  private final int shingleSize;
  private final int trees;
  private final int sampleSize;
  private final double timeDecay;
  private final long seed;
  private final int threads;
  /** The shingle ending with the last row seen, oldest row first; the next row shifts it left. */
  private final float[] shingle;
  private final float[] scratch;

  OnlineRcf(RandomCutForest forest, int features, int shingleSize, int trees, int sampleSize, double timeDecay,
      long seed, float[] context, int threads) {
    this.forest = forest;
    this.features = features;
    this.shingleSize = shingleSize;
    this.trees = trees;
    this.sampleSize = sampleSize;
    this.timeDecay = timeDecay;
    this.seed = seed;
    this.threads = threads;
    this.shingle = new float[features * shingleSize];
    this.scratch = new float[features * shingleSize];
    // the context is the last s − 1 rows: place them so that the next row completes the shingle
    System.arraycopy(context, 0, shingle, features, context.length);
  }

  /** Number of features per row. */
  public int features() {
    return features;
  }

  /** Rows per shingle. */
  public int shingleSize() {
    return shingleSize;
  }

  /** Shingles the forest has been updated with, training included. */
  public long updates() {
    return forest.getTotalUpdates();
  }

  /**
   * Scores the row at {@code row[offset ..]} against the forest as it is, then updates the forest
   * with it and returns that score (higher = more anomalous).
   *
   * @throws IllegalArgumentException if the row is short or holds a non-finite value (nothing is
   *     changed then)
   */
  public double update(float[] row, int offset) {
    float[] next = nextShingle(row, offset);
    double score = forest.getAnomalyScore(next);
    forest.update(next);
    System.arraycopy(next, 0, shingle, 0, shingle.length);
    return score;
  }

  /** {@link #update(float[], int)} of a row of exactly {@link #features()} values. */
  public double update(float[] row) {
    return update(row, 0);
  }

  /** Scores the row as the next in the stream without updating anything. */
  public double score(float[] row, int offset) {
    return forest.getAnomalyScore(nextShingle(row, offset));
  }

  /** Per-feature attribution of the row as the next in the stream, as {@link RcfDetector#attribute}; updates nothing. */
  public void attribute(float[] row, int offset, double[] out) {
    Objects.requireNonNull(out, "out");
    if (out.length < features) {
      throw new IllegalArgumentException("out has " + out.length + " entries for " + features + " features");
    }
    RcfDetector.attribution(forest, nextShingle(row, offset), features, out);
  }

  /** The current forest as an immutable detector; a batch it scores follows the last row seen here. */
  public RcfDetector snapshot() {
    byte[] json = RcfState.toJson(forest);
    float[] context = new float[(shingleSize - 1) * features];
    System.arraycopy(shingle, features, context, 0, context.length);
    return new RcfDetector(features, shingleSize, trees, sampleSize, timeDecay, seed, forest.getTotalUpdates(), json,
        context, threads, RcfState.forestOf(json));
  }

  /** The shingle the row would complete, in {@code scratch}. */
  private float[] nextShingle(float[] row, int offset) {
    Objects.requireNonNull(row, "row");
    if (offset < 0 || offset + features > row.length) {
      throw new IllegalArgumentException("row of " + row.length + " floats has no " + features + " features at " + offset);
    }
    for (int f = 0; f < features; f++) {
      if (!Float.isFinite(row[offset + f])) {
        throw new IllegalArgumentException("feature " + f + " is " + row[offset + f]);
      }
    }
    System.arraycopy(shingle, features, scratch, 0, shingle.length - features);
    System.arraycopy(row, offset, scratch, shingle.length - features, features);
    return scratch;
  }

  @Override
  public String toString() {
    return "OnlineRcf[features=" + features + ", shingleSize=" + shingleSize + ", trees=" + trees + ", updates="
        + forest.getTotalUpdates() + "]";
  }
}
