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
 * Local Outlier Factor (Breunig, Kriegel, Ng and Sander 2000), exact, in scikit-learn's novelty
 * mode: the score of a row is its LOF with respect to the training rows, about 1 inside a cluster
 * and growing with how much sparser the row's neighbourhood is than its neighbours' own;
 * higher = more anomalous (scikit-learn's {@code score_samples} negated).
 *
 * <p>Definitions, with exactly k neighbours (ties broken by lower training index) and Euclidean
 * distance d: {@code kdist(o)} is the distance of training row o to its k-th nearest other
 * training row; {@code reach(p, o) = max(kdist(o), d(p, o))};
 * {@code lrd(p) = 1 / (mean over the k neighbours o of reach(p, o) + 1e-10)} (scikit-learn's
 * guard against duplicates); {@code LOF(p) = mean over the neighbours o of lrd(o) / lrd(p)}.
 * Fitting computes kdist and lrd of every training row, each excluding the row itself: one
 * blocked brute-force pass over the training rows, time O(n² · features) for n kept rows (see
 * {@link #builder()} for the cap; 25,000 rows × 30 features took about 11 to 15 s on a busy
 * 2-core machine, so the 100,000-row default cap means minutes). Scoring treats every row as new data: a training row scored
 * again is its own nearest neighbour.
 *
 * <p>A row with a non-finite value scores NaN. Fitting and scores do not depend on the thread count.
 *
 * <p>Immutable and safe to use from several threads at once.
 */
public final class LofDetector implements Detector {
  /** The {@link #kind()} of this family. */
  public static final String KIND = "lof";
  /** Version of the parameters and arrays this class writes to and reads from a model archive. */
  public static final int ARCHIVE_VERSION = 1;
  /** scikit-learn's guard in the local reachability density, for rows with k duplicates. */
  private static final double LRD_GUARD = 1e-10;
  private static final int PARALLEL_MIN_ROWS = 4 * NeighbourSearch.QUERY_BLOCK;

  private final StoredTraining training;
  private final NeighbourSearch search;
  private final double[] kDistance;
  private final double[] lrd;
  private final int threads;

  private LofDetector(StoredTraining training, NeighbourSearch search, double[] kDistance, double[] lrd,
      int threads) {
    this.training = training;
    this.search = search;
    this.kDistance = kDistance;
    this.lrd = lrd;
    this.threads = threads;
  }

  /**
   * A builder with defaults: k = 20, at most 100,000 training rows kept (more are subsampled
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

  /** Neighbourhood size. */
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

  /** The same detector (sharing its arrays) scoring with {@code threads} threads. */
  public LofDetector withThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be ≥ 1: " + threads);
    }
    return new LofDetector(training, search, kDistance, lrd, threads);
  }

  /** Scores every row: its local outlier factor with respect to the training rows. */
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
          out[from + j] = lof(s.heapDist, s.heapIndex, j * k);
        }
      }
    });
  }

  /** LOF of a query from its k neighbours (squared distances, indices) at {@code [base, base + k)}. */
  private double lof(double[] dist, int[] index, int base) {
    int k = training.k;
    if (index[base + k - 1] < 0) {
      return Double.NaN;
    }
    double reach = 0;
    double neighbourLrd = 0;
    for (int i = base; i < base + k; i++) {
      int o = index[i];
      reach += Math.max(kDistance[o], Math.sqrt(dist[i]));
      neighbourLrd += lrd[o];
    }
    double ownLrd = 1.0 / (reach / k + LRD_GUARD);
    return neighbourLrd / k / ownLrd;
  }

  /**
   * Per-feature share of the squared distance between the row and its k-th nearest training row
   * (the distance that bounds its neighbourhood): {@code (x_f − t_f)² / Σ (x_g − t_g)²}. All 0 if
   * that distance is 0 or not finite. Searches the training rows once; allocates a few small arrays.
   */
  @Override
  public void attribute(float[] row, int offset, double[] out) {
    StoredTraining.checkRow(row, offset, out, training.features);
    float[] one = new float[training.features];
    System.arraycopy(row, offset, one, 0, training.features);
    NeighbourSearch.Scratch s = search.scratch(training.k);
    search.searchBlock(one, 0, 1, false, s);
    training.shares(row, offset, s.heapIndex[training.k - 1], out);
  }

  /**
   * Writes this detector: parameters at {@code manifest.detectors.<prefix>} — {@code kind} ("lof"),
   * {@code version} (1), {@code features}, {@code k}, {@code training_rows},
   * {@code max_training_rows}, {@code seed} — and the arrays {@code <prefix>.training} (float32,
   * row-major, {@code training_rows × features}), {@code <prefix>.k_distance} and
   * {@code <prefix>.lrd} (float64, one per training row).
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
    archive.put(prefix + ".k_distance", kDistance.clone());
    archive.put(prefix + ".lrd", lrd.clone());
  }

  /**
   * Reads a detector written by {@link #writeTo}; every parameter and array length is checked
   * ({@code 1 ≤ k < training_rows ≤ max_training_rows}), training values must be finite, k-distances
   * finite and ≥ 0, and densities finite and in (0, 1e10]. kdist and lrd are taken from the file,
   * not recomputed. The detector scores with one thread per processor ({@link #withThreads} changes it).
   *
   * @throws ModelFormatException if a parameter or array is missing, malformed or inconsistent
   */
  public static LofDetector readFrom(ModelArchive archive, String prefix) throws ModelFormatException {
    JsonNode params = StoredTraining.params(archive, prefix, KIND, ARCHIVE_VERSION);
    StoredTraining training = StoredTraining.readFrom(archive, params, prefix, KIND, 1);
    double[] kDistance = archive.doubles(prefix + ".k_distance").clone();
    double[] lrd = archive.doubles(prefix + ".lrd").clone();
    if (kDistance.length != training.count || lrd.length != training.count) {
      throw new ModelFormatException("lof '" + prefix + "': k_distance has " + kDistance.length + " and lrd "
          + lrd.length + " entries for " + training.count + " training rows");
    }
    for (int i = 0; i < training.count; i++) {
      if (!(kDistance[i] >= 0) || Double.isInfinite(kDistance[i])) {
        throw new ModelFormatException("lof '" + prefix + "': k_distance[" + i + "] = " + kDistance[i]);
      }
      if (!(lrd[i] > 0 && lrd[i] <= 1 / LRD_GUARD)) {
        throw new ModelFormatException("lof '" + prefix + "': lrd[" + i + "] = " + lrd[i]);
      }
    }
    NeighbourSearch search = new NeighbourSearch(training.data, training.count, training.features);
    return new LofDetector(training, search, kDistance, lrd, DetectorWorkers.defaultThreads());
  }

  @Override
  public String toString() {
    return "LofDetector[features=" + training.features + ", k=" + training.k + ", trainingRows=" + training.count + "]";
  }

  /** Settings for fitting a {@link LofDetector}. Not thread-safe; {@link #fit} may be called several times. */
  public static final class Builder {
    private int k = 20;
    private int maxTrainingRows = 100_000;
    private long seed = 0;
    private int threads = DetectorWorkers.defaultThreads();

    private Builder() {}

    /** Neighbourhood size, ≥ 1 (default 20, scikit-learn's). */
    public Builder k(int k) {
      if (k < 1) {
        throw new IllegalArgumentException("k must be ≥ 1: " + k);
      }
      this.k = k;
      return this;
    }

    /**
     * Most training rows kept, ≥ 2 (default 100,000): fitting costs time proportional to its
     * square and scoring to it. From larger training sets exactly this many rows are drawn without
     * replacement, using the seed.
     */
    public Builder maxTrainingRows(int maxTrainingRows) {
      if (maxTrainingRows < 2) {
        throw new IllegalArgumentException("maxTrainingRows must be ≥ 2: " + maxTrainingRows);
      }
      this.maxTrainingRows = maxTrainingRows;
      return this;
    }

    /** Seed for subsampling training sets larger than {@link #maxTrainingRows} (default 0). */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Threads for fitting and scoring, ≥ 1 (default: one per processor). */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be ≥ 1: " + threads);
      }
      this.threads = threads;
      return this;
    }

    /**
     * Keeps a copy of the rows of {@code x} (or of a subsample) and computes their k-distances and
     * local reachability densities, in parallel.
     *
     * @throws IllegalArgumentException if {@code x} has k rows or fewer or a non-finite value, or
     *     k ≥ {@code maxTrainingRows}
     */
    public LofDetector fit(Matrix x) {
      if (k >= maxTrainingRows) {
        throw new IllegalArgumentException("k = " + k + " must be below maxTrainingRows " + maxTrainingRows);
      }
      StoredTraining training = StoredTraining.of(x, k, maxTrainingRows, seed, k + 1, KIND);
      int n = training.count;
      NeighbourSearch search = new NeighbourSearch(training.data, n, training.features);
      double[] dist = new double[n * k];
      int[] index = new int[n * k];
      search.search(training.data, n, k, true, threads, dist, index);
      double[] kDistance = new double[n];
      for (int i = 0; i < n; i++) {
        kDistance[i] = Math.sqrt(dist[i * k + k - 1]);
      }
      double[] lrd = new double[n];
      for (int i = 0; i < n; i++) {
        double reach = 0;
        for (int j = i * k; j < i * k + k; j++) {
          reach += Math.max(kDistance[index[j]], Math.sqrt(dist[j]));
        }
        lrd[i] = 1.0 / (reach / k + LRD_GUARD);
      }
      return new LofDetector(training, search, kDistance, lrd, threads);
    }
  }
}
