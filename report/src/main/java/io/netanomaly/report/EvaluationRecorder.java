package io.netanomaly.report;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Collects, while an evaluation streams rows through a model, what the report needs beyond the
 * scores: every row's event time and a uniform sample of at most {@code capacity} scaled feature
 * rows with their labels and scores (reservoir sampling, Vitter's algorithm R, seeded so reports
 * are reproducible). Memory: 8 bytes per row for the times plus {@code capacity × width} floats.
 *
 * <p>Not thread-safe: feed it from the one thread that scores.
 */
public final class EvaluationRecorder {
  /** Event time of a row that has none (data without a timestamp column). */
  public static final long NO_TIME = Long.MIN_VALUE;
  /** Default sample size, rows. */
  public static final int DEFAULT_CAPACITY = 5_000;

  private final int width;
  private final int capacity;
  private final SplittableRandom random;
  private final float[] sample;
  private final int[] sampleLabels;
  private final double[] sampleScores;
  private long[] times = new long[1 << 14];
  private long seen;

  /**
   * @param width number of features per row
   * @param capacity most rows kept in the sample (≥ 1)
   * @param seed seed of the sample
   */
  public EvaluationRecorder(int width, int capacity, long seed) {
    if (width < 1 || capacity < 1) {
      throw new IllegalArgumentException("width and capacity must be positive: " + width + ", " + capacity);
    }
    this.width = width;
    this.capacity = capacity;
    this.random = new SplittableRandom(seed);
    this.sample = new float[capacity * width];
    this.sampleLabels = new int[capacity];
    this.sampleScores = new double[capacity];
  }

  /**
   * Records one row.
   *
   * @param features scaled features of a batch, row-major with {@code width} per row
   * @param offset index of this row's first feature in {@code features}
   * @param label 0 normal, 1 anomaly
   * @param score the model's score
   * @param timeMillis event time in epoch milliseconds, or {@link #NO_TIME}
   */
  public void add(float[] features, int offset, int label, double score, long timeMillis) {
    int n = (int) seen;
    if (n == times.length) {
      times = Arrays.copyOf(times, n * 2);
    }
    times[n] = timeMillis;
    int slot = seen < capacity ? n : (int) random.nextLong(seen + 1);
    if (slot < capacity) {
      System.arraycopy(features, offset, sample, slot * width, width);
      sampleLabels[slot] = label;
      sampleScores[slot] = score;
    }
    seen++;
  }

  /** Rows recorded so far. */
  public long rows() {
    return seen;
  }

  /** Features per row. */
  public int width() {
    return width;
  }

  /** Event times of all rows, in order (a copy; {@link #NO_TIME} where unknown). */
  public long[] times() {
    return Arrays.copyOf(times, (int) seen);
  }

  /** Rows in the sample: min(rows(), capacity). */
  public int sampleSize() {
    return (int) Math.min(seen, capacity);
  }

  /** The sampled feature rows, row-major (a copy). */
  public float[] sampleFeatures() {
    return Arrays.copyOf(sample, sampleSize() * width);
  }

  /** Labels of the sampled rows (a copy). */
  public int[] sampleLabels() {
    return Arrays.copyOf(sampleLabels, sampleSize());
  }

  /** Scores of the sampled rows (a copy). */
  public double[] sampleScores() {
    return Arrays.copyOf(sampleScores, sampleSize());
  }
}
