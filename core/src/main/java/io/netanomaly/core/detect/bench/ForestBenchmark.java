package io.netanomaly.core.detect.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netanomaly.core.detect.Matrix;
import io.netanomaly.core.detect.iforest.IsolationForest;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;
import java.util.stream.IntStream;

/**
 * Fit and scoring throughput of {@link IsolationForest} on a synthetic dense matrix, comparable
 * with the scikit-learn anchor {@code if_speed.py}: lognormal values {@code exp(N(0, 1))} as
 * float32, ψ = 256, the full training matrix scored. The JIT is warmed up on a smaller slice
 * first; scoring is timed as the median of three runs when one run takes under two seconds,
 * otherwise once. Not thread-safe in the sense that concurrent runs disturb each other's timings.
 */
public final class ForestBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int WARMUP_ROWS = 50_000;
  private static final double REPEAT_BELOW_SECONDS = 2.0;

  private ForestBenchmark() {}

  /**
   * Generates the matrix, fits a forest of {@code trees} trees and scores every row, with
   * {@code threads} threads for both.
   *
   * @param progress receives the percentage done (0 to 100) at phase boundaries, on the calling
   *     thread; may be {@code null}
   * @throws IllegalArgumentException if {@code rows < 2}, {@code features < 1}, {@code trees < 1},
   *     {@code threads < 1} or the matrix would exceed 2^31 - 1 values
   */
  public static Result run(int rows, int features, int trees, int threads, long seed, LongConsumer progress) {
    if (rows < 2 || features < 1 || trees < 1 || threads < 1) {
      throw new IllegalArgumentException("need rows ≥ 2, features, trees and threads ≥ 1: " + rows + ", " + features
          + ", " + trees + ", " + threads);
    }
    if ((long) rows * features > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("matrix too large: " + rows + " x " + features);
    }
    LongConsumer report = progress == null ? p -> { } : progress;
    report.accept(0);
    Matrix x = lognormal(rows, features, seed);
    report.accept(10);

    IsolationForest.Builder builder = IsolationForest.builder().trees(trees).seed(seed).threads(threads);
    Matrix warm = rows > WARMUP_ROWS ? x.slice(0, WARMUP_ROWS) : x;
    IsolationForest warmForest = builder.fit(warm);
    double[] warmOut = new double[warm.rows()];
    for (int i = 0; i < 5; i++) {
      warmForest.score(warm, warmOut, threads);
    }
    report.accept(25);

    long t0 = System.nanoTime();
    IsolationForest forest = builder.fit(x);
    double fitSeconds = (System.nanoTime() - t0) / 1e9;
    report.accept(40);

    double[] out = new double[rows];
    double first = timeScore(forest, x, out, threads);
    double scoreSeconds = first;
    if (first < REPEAT_BELOW_SECONDS) {
      report.accept(60);
      double second = timeScore(forest, x, out, threads);
      report.accept(80);
      double third = timeScore(forest, x, out, threads);
      double[] runs = {first, second, third};
      Arrays.sort(runs);
      scoreSeconds = runs[1];
    }
    report.accept(100);
    return new Result(rows, features, trees, threads, fitSeconds, scoreSeconds);
  }

  private static double timeScore(IsolationForest forest, Matrix x, double[] out, int threads) {
    long t0 = System.nanoTime();
    forest.score(x, out, threads);
    return (System.nanoTime() - t0) / 1e9;
  }

  /** {@code rows x features} values {@code exp(N(0, 1))}, generated in parallel, deterministic per seed. */
  static Matrix lognormal(int rows, int features, long seed) {
    float[] data = new float[rows * features];
    int chunkRows = 65_536;
    int chunks = (rows + chunkRows - 1) / chunkRows;
    SplittableRandom root = new SplittableRandom(seed);
    SplittableRandom[] rngs = new SplittableRandom[chunks];
    for (int c = 0; c < chunks; c++) {
      rngs[c] = root.split();
    }
    IntStream.range(0, chunks).parallel().forEach(c -> {
      SplittableRandom rng = rngs[c];
      int end = Math.min(rows, (c + 1) * chunkRows) * features;
      for (int i = c * chunkRows * features; i < end; i++) {
        data[i] = (float) Math.exp(rng.nextGaussian());
      }
    });
    return new Matrix(data, rows, features);
  }

  /** One benchmark's figures. Immutable; times in seconds of wall-clock. */
  public static final class Result {
    private final int rows;
    private final int features;
    private final int trees;
    private final int threads;
    private final double fitSeconds;
    private final double scoreSeconds;

    /** Figures of one run; {@code scoreSeconds} must be positive. */
    public Result(int rows, int features, int trees, int threads, double fitSeconds, double scoreSeconds) {
      this.rows = rows;
      this.features = features;
      this.trees = trees;
      this.threads = threads;
      this.fitSeconds = fitSeconds;
      this.scoreSeconds = scoreSeconds;
    }

    public int rows() {
      return rows;
    }

    public int features() {
      return features;
    }

    public int trees() {
      return trees;
    }

    public int threads() {
      return threads;
    }

    /** Seconds to fit the forest on all rows. */
    public double fitSeconds() {
      return fitSeconds;
    }

    /** Seconds to score all rows once (median of the timed runs). */
    public double scoreSeconds() {
      return scoreSeconds;
    }

    /** Rows scored per second: {@code rows / scoreSeconds}. */
    public double scoreRowsPerSecond() {
      return rows / scoreSeconds;
    }

    /**
     * The figures as a JSON object with keys {@code rows, features, trees, threads, fit_seconds,
     * score_seconds, score_rows_per_second}.
     */
    public ObjectNode toJsonNode() {
      ObjectNode n = JSON.createObjectNode();
      n.put("rows", rows);
      n.put("features", features);
      n.put("trees", trees);
      n.put("threads", threads);
      n.put("fit_seconds", fitSeconds);
      n.put("score_seconds", scoreSeconds);
      n.put("score_rows_per_second", scoreRowsPerSecond());
      return n;
    }

    /** {@link #toJsonNode()} as one line of JSON text. */
    public String toJson() {
      return toJsonNode().toString();
    }

    @Override
    public String toString() {
      return String.format(java.util.Locale.ROOT,
          "iforest %d x %d, %d trees, %d thread(s): fit %.2f s, score %.3f s = %,.0f rows/s", rows, features, trees,
          threads, fitSeconds, scoreSeconds, scoreRowsPerSecond());
    }
  }
}
