package io.netanomaly.core.detect.knn;

import io.netanomaly.core.detect.DetectorWorkers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netanomaly.core.detect.Detector;
import io.netanomaly.core.detect.Matrix;
import io.netanomaly.core.model.ModelArchive;
import io.netanomaly.core.model.ModelFormatException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * k-nearest-neighbour distance detector (Ramaswamy, Rastogi and Shim 2000): the score of a row is
 * its Euclidean distance to its k-th nearest training row, in feature units (the feature pipeline
 * has already robust-scaled every feature), higher = more anomalous.
 *
 * <p>The search is exact, a blocked brute force over all stored training rows (see
 * {@link #builder()} for the cap on how many are stored). Scoring is always treated as scoring new
 * data: a row that is itself a training row counts as its own nearest neighbour at distance 0, so
 * the scores of the training rows are their distances to the (k−1)-th other row.
 *
 * <p>A row with a non-finite value scores NaN. Scores do not depend on the thread count.
 *
 * <p>Immutable and safe to use from several threads at once.
 */
public final class KnnDetector implements Detector {
  /** The {@link #kind()} of this family. */
  public static final String KIND = "knn";
  /** Version of the parameters and arrays this class writes to and reads from a model archive. */
  public static final int ARCHIVE_VERSION = 1;
  /** Batches smaller than this are scored on the calling thread. */
  private static final int PARALLEL_MIN_ROWS = 4 * NeighbourSearch.QUERY_BLOCK;

  private final StoredTraining training;
  private final NeighbourSearch search;
  private final int threads;

  private KnnDetector(StoredTraining training, NeighbourSearch search, int threads) {
    this.training = training;
    this.search = search == null ? new NeighbourSearch(training.data, training.count, training.features) : search;
    this.threads = threads;
  }

  /**
   * A builder with defaults: k = 10, at most 100,000 training rows kept (more are subsampled
   * deterministically from the seed), seed 0, one thread per processor.
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public int features() {
    return training.features;
  }

  /** The neighbour rank whose distance is the score. */
  public int k() {
    return training.k;
  }

  /** Number of training rows kept (and searched). */
  public int trainingRows() {
    return training.count;
  }

  /** Threads {@link #score(Matrix, double[])} uses. */
  public int threads() {
    return threads;
  }

  /** The same detector (sharing its index) scoring with {@code threads} threads. */
  public KnnDetector withThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be ≥ 1: " + threads);
    }
    return new KnnDetector(training, search, threads);
  }

  /** Scores every row: the Euclidean distance to its k-th nearest training row. */
  @Override
  public void score(Matrix batch, double[] out) {
    StoredTraining.checkBatch(batch, out, training.features, KIND);
    int rows = batch.rows();
    int k = training.k;
    float[] x = batch.data();
    int blocks = (rows + NeighbourSearch.QUERY_BLOCK - 1) / NeighbourSearch.QUERY_BLOCK;
    AtomicInteger next = new AtomicInteger();
    int workers = rows >= PARALLEL_MIN_ROWS ? Math.min(threads, blocks) : 1;
    DetectorWorkers.run(workers, () -> {
      NeighbourSearch.Scratch s = search.scratch(k);
      int b;
      while ((b = next.getAndIncrement()) < blocks) {
        int from = b * NeighbourSearch.QUERY_BLOCK;
        int to = Math.min(rows, from + NeighbourSearch.QUERY_BLOCK);
        search.searchBlock(x, from, to, false, s);
        for (int j = 0; j < to - from; j++) {
          int last = j * k + k - 1;
          out[from + j] = s.heapIndex[last] < 0 ? Double.NaN : Math.sqrt(s.heapDist[last]);
        }
      }
    });
  }

  /**
   * Per-feature share of the squared distance between the row and its k-th nearest training row
   * (the distance that is the score): {@code (x_f − t_f)² / Σ (x_g − t_g)²}. All 0 if that distance
   * is 0 or not finite. Searches the training rows once; allocates a few small arrays.
   */
  @Override
  public void attribute(float[] row, int offset, double[] out) {
    StoredTraining.checkRow(row, offset, out, training.features);
    training.shares(row, offset, kthNeighbour(row, offset), out);
  }

  private int kthNeighbour(float[] row, int offset) {
    float[] one = new float[training.features];
    System.arraycopy(row, offset, one, 0, training.features);
    NeighbourSearch.Scratch s = search.scratch(training.k);
    search.searchBlock(one, 0, 1, false, s);
    return s.heapIndex[training.k - 1];
  }

  /**
   * Writes this detector: parameters at {@code manifest.detectors.<prefix>} — {@code kind} ("knn"),
   * {@code version} (1), {@code features}, {@code k}, {@code training_rows},
   * {@code max_training_rows}, {@code seed} — and the kept training rows as the float32 array
   * {@code <prefix>.training} (row-major, {@code training_rows × features}).
   *
   * @throws IllegalArgumentException if {@code prefix} is already used in the manifest
   */
  @Override
  public void writeTo(ModelArchive.Builder archive, String prefix) {
    Objects.requireNonNull(archive, "archive");
    Objects.requireNonNull(prefix, "prefix");
    ObjectNode detectors = archive.manifest().withObjectProperty("detectors");
    if (detectors.has(prefix)) {
      throw new IllegalArgumentException("detector '" + prefix + "' already written");
    }
    ObjectNode params = detectors.putObject(prefix);
    params.put("kind", KIND);
    params.put("version", ARCHIVE_VERSION);
    training.writeTo(archive, params, prefix);
  }

  /**
   * Reads a detector written by {@link #writeTo}; every parameter and the training array's length
   * and values are checked ({@code 1 ≤ k ≤ training_rows ≤ max_training_rows}, finite values). The
   * detector scores with one thread per processor ({@link #withThreads} changes it).
   *
   * @throws ModelFormatException if a parameter or array is missing, malformed or inconsistent
   */
  public static KnnDetector readFrom(ModelArchive archive, String prefix) throws ModelFormatException {
    JsonNode params = StoredTraining.params(archive, prefix, KIND, ARCHIVE_VERSION);
    StoredTraining training = StoredTraining.readFrom(archive, params, prefix, KIND, 0);
    return new KnnDetector(training, null, DetectorWorkers.defaultThreads());
  }

  @Override
  public String toString() {
    return "KnnDetector[features=" + training.features + ", k=" + training.k + ", trainingRows=" + training.count + "]";
  }

  /** Settings for fitting a {@link KnnDetector}. Not thread-safe; {@link #fit} may be called several times. */
  public static final class Builder {
    private int k = 10;
    private int maxTrainingRows = 100_000;
    private long seed = 0;
    private int threads = DetectorWorkers.defaultThreads();

    private Builder() {}

    /** The neighbour rank whose distance is the score, ≥ 1 (default 10). */
    public Builder k(int k) {
      if (k < 1) {
        throw new IllegalArgumentException("k must be ≥ 1: " + k);
      }
      this.k = k;
      return this;
    }

    /**
     * Most training rows kept, ≥ 1 (default 100,000): scoring costs time proportional to it. From
     * larger training sets exactly this many rows are drawn without replacement, using the seed.
     */
    public Builder maxTrainingRows(int maxTrainingRows) {
      if (maxTrainingRows < 1) {
        throw new IllegalArgumentException("maxTrainingRows must be ≥ 1: " + maxTrainingRows);
      }
      this.maxTrainingRows = maxTrainingRows;
      return this;
    }

    /** Seed for subsampling training sets larger than {@link #maxTrainingRows} (default 0). */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Threads for scoring, ≥ 1 (default: one per processor). */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be ≥ 1: " + threads);
      }
      this.threads = threads;
      return this;
    }

    /**
     * Keeps a copy of the rows of {@code x} (or of a subsample) and indexes them.
     *
     * @throws IllegalArgumentException if {@code x} has fewer than k rows or a non-finite value, or
     *     k exceeds {@code maxTrainingRows}
     */
    public KnnDetector fit(Matrix x) {
      if (k > maxTrainingRows) {
        throw new IllegalArgumentException("k = " + k + " exceeds maxTrainingRows " + maxTrainingRows);
      }
      StoredTraining training = StoredTraining.of(x, k, maxTrainingRows, seed, k, KIND);
      return new KnnDetector(training, null, threads);
    }
  }
}
