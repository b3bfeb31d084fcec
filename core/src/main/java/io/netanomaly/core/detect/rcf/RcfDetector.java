package io.netanomaly.core.detect.rcf;

import com.amazon.randomcutforest.RandomCutForest;
import com.amazon.randomcutforest.config.Precision;
import com.amazon.randomcutforest.returntypes.DiVector;
import com.amazon.randomcutforest.state.RandomCutForestState;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netanomaly.core.detect.Detector;
import io.netanomaly.core.detect.Matrix;
import io.netanomaly.core.detect.iforest.DetectorParams;
import io.netanomaly.core.detect.DetectorWorkers;
import io.netanomaly.core.model.ModelArchive;
import io.netanomaly.core.model.ModelFormatException;
import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Random Cut Forest (Guha et al. 2016, Amazon's randomcutforest-core) as an immutable batch
 * detector: the score of a row is RCF's anomaly score (about 1 for typical points, higher = more
 * anomalous), its attribution RCF's per-dimension anomaly attribution. For streaming with online
 * updates, take an {@link OnlineRcf} from {@link #online()}.
 *
 * <p><b>Shingling.</b> With shingle size {@code s > 1} a row is scored as the concatenation of
 * the {@code s} most recent rows ending with it, oldest first. Training feeds the shingles of
 * consecutive training rows. In a batch, row {@code r} takes its predecessors from the batch; the
 * first {@code s − 1} rows take theirs from the context, the last {@code s − 1} rows seen when
 * this detector was made (the end of the training rows, or of an online stream at its snapshot),
 * so a batch is scored as if it followed them. With {@code s = 1} (the default) rows are
 * independent.
 *
 * <p><b>Thread safety.</b> An RCF object is mutable and its scoring is not documented as safe for
 * concurrent use, so this class never shares one between threads: it keeps the forest's state as
 * immutable JSON and a pool of replicas rebuilt from it. A scoring thread borrows a replica,
 * which no other thread touches until it is returned; replicas are only read (never updated), so
 * every replica scores exactly like the original and results do not depend on threads. The pool
 * holds at most one replica per thread that scored concurrently (a replica costs about as much
 * memory as the forest). With that, this class is immutable in behaviour and safe to use from
 * several threads at once.
 *
 * <p>Training is sequential (RCF updates are), in the order of the training rows; with the default
 * time decay {@code 1 / (10 · sampleSize)} later rows weigh more, which is what a stream wants and
 * harmless for a shuffled batch. Rows must be finite: a row holding NaN or ±∞ scores NaN.
 */
public final class RcfDetector implements Detector {
  /** The {@link #kind()} of this family. */
  public static final String KIND = "rcf";
  /** Version of the parameters and arrays this class writes to and reads from a model archive. */
  public static final int ARCHIVE_VERSION = 1;

  private static final int BLOCK_ROWS = 256;
  private static final int PARALLEL_MIN_ROWS = 1024;

  private final int features;
  private final int shingleSize;
  private final int trees;
  private final int sampleSize;
  private final double timeDecay;
  private final long seed;
  private final long updates;
  private final byte[] stateJson;
  /** The {@code shingleSize − 1} rows before the first row of a batch, oldest first. */
  private final float[] context;
  private final int threads;
  private final ConcurrentLinkedDeque<RandomCutForest> replicas;

  RcfDetector(int features, int shingleSize, int trees, int sampleSize, double timeDecay, long seed, long updates,
      byte[] stateJson, float[] context, int threads, RandomCutForest firstReplica) {
    this.features = features;
    this.shingleSize = shingleSize;
    this.trees = trees;
    this.sampleSize = sampleSize;
    this.timeDecay = timeDecay;
    this.seed = seed;
    this.updates = updates;
    this.stateJson = stateJson;
    this.context = context;
    this.threads = threads;
    this.replicas = new ConcurrentLinkedDeque<>();
    if (firstReplica != null) {
      replicas.push(firstReplica);
    }
  }

  /** A builder with defaults: 50 trees, sample size 256, shingle size 1, RCF's default time decay, seed 0. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public int features() {
    return features;
  }

  /** Rows per shingle (1: no shingling). */
  public int shingleSize() {
    return shingleSize;
  }

  /** Number of trees. */
  public int trees() {
    return trees;
  }

  /** Points each tree samples. */
  public int sampleSize() {
    return sampleSize;
  }

  /** The forest's time decay (per update). */
  public double timeDecay() {
    return timeDecay;
  }

  /** The forest's random seed. */
  public long seed() {
    return seed;
  }

  /** Shingles the forest has been updated with (training plus online updates). */
  public long updates() {
    return updates;
  }

  /** Threads {@link #score(Matrix, double[])} uses for large batches. */
  public int threads() {
    return threads;
  }

  /** The same forest scoring large batches with {@code threads} threads (replicas are not shared). */
  public RcfDetector withThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be ≥ 1: " + threads);
    }
    return new RcfDetector(features, shingleSize, trees, sampleSize, timeDecay, seed, updates, stateJson, context,
        threads, null);
  }

  /** A new mutable online forest starting from this one's state and context; this detector is unchanged. */
  public OnlineRcf online() {
    return new OnlineRcf(RcfState.forestOf(stateJson), features, shingleSize, trees, sampleSize, timeDecay, seed,
        context.clone(), threads);
  }

  private RandomCutForest borrow() {
    RandomCutForest f = replicas.poll();
    return f != null ? f : RcfState.forestOf(stateJson);
  }

  private void release(RandomCutForest f) {
    replicas.push(f);
  }

  /** Scores every row; batches of at least 1,024 rows are split over {@link #threads()} threads. */
  @Override
  public void score(Matrix batch, double[] out) {
    score(batch, out, batch.rows() >= PARALLEL_MIN_ROWS ? threads : 1);
  }

  /**
   * Scores every row of {@code batch} into {@code out[0 .. batch.rows())} with up to
   * {@code threads} threads, each on its own replica; results do not depend on {@code threads}.
   *
   * @throws IllegalArgumentException if the batch has the wrong number of columns, {@code out}
   *     is short, or {@code threads < 1}
   */
  public void score(Matrix batch, double[] out, int threads) {
    Matrix.checkScoring(batch, out, features, "forest");
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be ≥ 1: " + threads);
    }
    int rows = batch.rows();
    float[] x = batch.data();
    int blocks = (rows + BLOCK_ROWS - 1) / BLOCK_ROWS;
    AtomicInteger nextBlock = new AtomicInteger();
    DetectorWorkers.run(Math.min(threads, blocks), () -> {
      RandomCutForest forest = borrow();
      try {
        float[] shingle = new float[features * shingleSize];
        int b;
        while ((b = nextBlock.getAndIncrement()) < blocks) {
          int to = Math.min(rows, (b + 1) * BLOCK_ROWS);
          for (int r = b * BLOCK_ROWS; r < to; r++) {
            out[r] = fillShingle(x, r, shingle) ? forest.getAnomalyScore(shingle) : Double.NaN;
          }
        }
      } finally {
        release(forest);
      }
    });
  }

  /** Writes the shingle ending at batch row {@code r} (oldest first); false if it holds a non-finite value. */
  private boolean fillShingle(float[] x, int r, float[] shingle) {
    for (int j = 0; j < shingleSize; j++) {
      int source = r - (shingleSize - 1) + j;
      if (source >= 0) {
        System.arraycopy(x, source * features, shingle, j * features, features);
      } else {
        System.arraycopy(context, (shingleSize - 1 + source) * features, shingle, j * features, features);
      }
    }
    return allFinite(shingle);
  }

  static boolean allFinite(float[] a) {
    for (float v : a) {
      if (!Float.isFinite(v)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Per-feature share in the anomaly of one row: RCF's anomaly attribution of the row's shingle
   * (the row after the context), high and low directions summed, each feature's entries summed
   * over the shingle's positions, normalised to 1 (all 0 when RCF attributes nothing or the row is
   * not finite).
   */
  @Override
  public void attribute(float[] row, int offset, double[] out) {
    Objects.requireNonNull(row, "row");
    Objects.requireNonNull(out, "out");
    if (offset < 0 || offset + features > row.length) {
      throw new IllegalArgumentException("row of " + row.length + " floats has no " + features + " features at " + offset);
    }
    if (out.length < features) {
      throw new IllegalArgumentException("out has " + out.length + " entries for " + features + " features");
    }
    float[] shingle = new float[features * shingleSize];
    System.arraycopy(context, 0, shingle, 0, context.length);
    System.arraycopy(row, offset, shingle, context.length, features);
    RandomCutForest forest = borrow();
    try {
      attribution(forest, shingle, features, out);
    } finally {
      release(forest);
    }
  }

  /** Shared by {@link OnlineRcf}: RCF's DiVector of {@code shingle}, folded per feature and normalised. */
  static void attribution(RandomCutForest forest, float[] shingle, int features, double[] out) {
    Arrays.fill(out, 0, features, 0.0);
    if (!allFinite(shingle)) {
      return;
    }
    DiVector dv = forest.getAnomalyAttribution(shingle);
    double total = 0;
    for (int i = 0; i < dv.getDimensions(); i++) {
      double v = dv.high[i] + dv.low[i];
      if (v > 0 && Double.isFinite(v)) {
        out[i % features] += v;
        total += v;
      }
    }
    if (total > 0) {
      for (int f = 0; f < features; f++) {
        out[f] /= total;
      }
    } else {
      Arrays.fill(out, 0, features, 0.0);
    }
  }

  /**
   * Writes the forest: parameters at {@code manifest.detectors.<prefix>} — {@code kind} ("rcf"),
   * {@code version} (1), {@code features}, {@code shingle_size}, {@code trees},
   * {@code sample_size}, {@code time_decay}, {@code seed}, {@code updates}, {@code state_bytes} —
   * and two arrays: {@code <prefix>.state} int32[ceil(state_bytes / 4)], the forest's
   * randomcutforest-core state as UTF-8 JSON packed four bytes per int, little-endian, zero-padded;
   * and {@code <prefix>.context} float32[(shingle_size − 1) · features], the rows a batch follows.
   *
   * @throws IllegalArgumentException if {@code prefix} is already used or not a valid array name
   */
  @Override
  public void writeTo(ModelArchive.Builder archive, String prefix) {
    Objects.requireNonNull(archive, "archive");
    Objects.requireNonNull(prefix, "prefix");
    ObjectNode detectors = archive.manifest().withObjectProperty("detectors");
    if (detectors.has(prefix)) {
      throw new IllegalArgumentException("detector '" + prefix + "' already written");
    }
    archive.put(prefix + ".state", pack(stateJson));
    archive.put(prefix + ".context", context.clone());
    ObjectNode p = detectors.putObject(prefix);
    p.put("kind", KIND);
    p.put("version", ARCHIVE_VERSION);
    p.put("features", features);
    p.put("shingle_size", shingleSize);
    p.put("trees", trees);
    p.put("sample_size", sampleSize);
    p.put("time_decay", timeDecay);
    p.put("seed", seed);
    p.put("updates", updates);
    p.put("state_bytes", stateJson.length);
  }

  /**
   * Reads a forest written by {@link #writeTo}: checks the parameters, the packing, that the JSON
   * binds to RCF's state class, that the state agrees with the parameters, and that the rebuilt
   * forest scores the context.
   *
   * @throws ModelFormatException if anything is missing, malformed or inconsistent
   */
  public static RcfDetector readFrom(ModelArchive archive, String prefix) throws ModelFormatException {
    Objects.requireNonNull(archive, "archive");
    Objects.requireNonNull(prefix, "prefix");
    DetectorParams p = new DetectorParams(archive.manifest().path("detectors").path(prefix), KIND, prefix);
    p.requireKindAndVersion(ARCHIVE_VERSION);
    int features = (int) p.integer("features", 1, 1 << 20);
    int shingleSize = (int) p.integer("shingle_size", 1, 1 << 10);
    if ((long) features * shingleSize > 1 << 20) {
      throw p.error("features · shingle_size too large");
    }
    int trees = (int) p.integer("trees", 1, 1 << 16);
    int sampleSize = (int) p.integer("sample_size", 1, 1 << 24);
    double timeDecay = p.number("time_decay", 0, 1);
    long seed = p.integer("seed", Long.MIN_VALUE, Long.MAX_VALUE);
    long updates = p.integer("updates", 1, Long.MAX_VALUE);
    int stateBytes = (int) p.integer("state_bytes", 2, Integer.MAX_VALUE - 8);
    int[] packed = archive.ints(prefix + ".state");
    float[] context = archive.floats(prefix + ".context").clone();
    if (context.length != (shingleSize - 1) * features) {
      throw p.error("context has " + context.length + " values, expected " + (shingleSize - 1) * features);
    }
    if (!allFinite(context)) {
      throw p.error("context holds a non-finite value");
    }
    byte[] json = unpack(p, packed, stateBytes);
    RandomCutForestState state;
    try {
      state = RcfState.parse(json);
    } catch (IOException e) {
      throw p.error("state is not a Random Cut Forest state: "
          + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
    }
    if (state.getDimensions() != features * shingleSize || state.getShingleSize() != shingleSize
        || state.getNumberOfTrees() != trees || state.getSampleSize() != sampleSize
        || state.getTimeDecay() != timeDecay || state.isInternalShinglingEnabled() || !state.isSaveTreeStateEnabled()
        || state.getTotalUpdates() != updates || !Precision.FLOAT_32.name().equals(state.getPrecision())
        || state.getPointStoreState() == null || state.getCompactRandomCutTreeStates() == null
        || state.getCompactRandomCutTreeStates().size() != trees) {
      throw p.error("state disagrees with the parameters (dimensions, shingle size, trees, sample size, time decay,"
          + " updates, precision or saved trees)");
    }
    // the point store holds at most one point per tree sample (plus one): a larger declared
    // capacity would only make the library allocate what the file claims
    long capacity = (long) trees * sampleSize + 1;
    var store = state.getPointStoreState();
    if (store.getCapacity() > capacity || store.getCurrentStoreCapacity() > capacity
        || store.getIndexCapacity() > capacity || store.getDimensions() != features * shingleSize) {
      throw p.error("point store capacity or dimensions out of range");
    }
    RandomCutForest forest;
    try {
      forest = RcfState.toForest(state);
      float[] probe = new float[features * shingleSize];
      System.arraycopy(context, 0, probe, 0, context.length);
      double s = forest.getAnomalyScore(probe);
      if (!Double.isFinite(s) || s < 0) {
        throw p.error("rebuilt forest scores " + s);
      }
    } catch (RuntimeException e) {
      // the library checks its state with assertions of its own; any failure means a bad file
      throw new ModelFormatException("rcf '" + prefix + "': state does not rebuild a forest: " + e, e);
    }
    return new RcfDetector(features, shingleSize, trees, sampleSize, timeDecay, seed, updates, json, context,
        defaultThreads(), forest);
  }

  static int[] pack(byte[] bytes) {
    int[] out = new int[(bytes.length + 3) / 4];
    for (int i = 0; i < bytes.length; i++) {
      out[i >> 2] |= (bytes[i] & 0xff) << (8 * (i & 3));
    }
    return out;
  }

  private static byte[] unpack(DetectorParams p, int[] packed, int length) throws ModelFormatException {
    if (packed.length != (length + 3) / 4) {
      throw p.error("state has " + packed.length + " ints for " + length + " bytes");
    }
    byte[] out = new byte[length];
    for (int i = 0; i < length; i++) {
      out[i] = (byte) (packed[i >> 2] >>> (8 * (i & 3)));
    }
    for (int i = length; i < packed.length * 4; i++) {
      if ((byte) (packed[i >> 2] >>> (8 * (i & 3))) != 0) {
        throw p.error("state padding is not zero");
      }
    }
    return out;
  }

  static int defaultThreads() {
    return Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  @Override
  public String toString() {
    return "RcfDetector[features=" + features + ", shingleSize=" + shingleSize + ", trees=" + trees + ", sampleSize="
        + sampleSize + ", updates=" + updates + "]";
  }

  /** Settings for training an {@link RcfDetector}. Not thread-safe; {@link #fit} may be called several times. */
  public static final class Builder {
    private int trees = 50;
    private int sampleSize = 256;
    private int shingleSize = 1;
    private double timeDecay = Double.NaN;
    private long seed = 0;
    private int threads = defaultThreads();

    private Builder() {}

    /** Number of trees, ≥ 1 (default 50, RCF's default). */
    public Builder trees(int trees) {
      if (trees < 1) {
        throw new IllegalArgumentException("trees must be ≥ 1: " + trees);
      }
      this.trees = trees;
      return this;
    }

    /** Points sampled per tree, ≥ 2 (default 256). */
    public Builder sampleSize(int sampleSize) {
      if (sampleSize < 2) {
        throw new IllegalArgumentException("sampleSize must be ≥ 2: " + sampleSize);
      }
      this.sampleSize = sampleSize;
      return this;
    }

    /** Rows per shingle, ≥ 1 (default 1: no shingling). */
    public Builder shingleSize(int shingleSize) {
      if (shingleSize < 1) {
        throw new IllegalArgumentException("shingleSize must be ≥ 1: " + shingleSize);
      }
      this.shingleSize = shingleSize;
      return this;
    }

    /**
     * Time decay λ ≥ 0 of the samplers (default {@code 1 / (10 · sampleSize)}): larger forgets
     * old points faster, so an online forest follows drift sooner.
     */
    public Builder timeDecay(double timeDecay) {
      if (!(timeDecay >= 0 && timeDecay <= 1)) {
        throw new IllegalArgumentException("timeDecay must be in [0, 1]: " + timeDecay);
      }
      this.timeDecay = timeDecay;
      return this;
    }

    /** Random seed (default 0); the same seed and rows give the same forest. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Threads for scoring large batches, ≥ 1 (default: one per processor); training is sequential. */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be ≥ 1: " + threads);
      }
      this.threads = threads;
      return this;
    }

    /**
     * Trains a forest on the rows of {@code x} in order (not retained).
     *
     * @throws IllegalArgumentException if {@code x} has fewer than {@code shingleSize + 1} rows or
     *     a non-finite value
     */
    public RcfDetector fit(Matrix x) {
      return fitOnline(x).snapshot();
    }

    /** Trains like {@link #fit} and returns the forest as an {@link OnlineRcf} to keep updating. */
    public OnlineRcf fitOnline(Matrix x) {
      Objects.requireNonNull(x, "x");
      int rows = x.rows();
      int cols = x.cols();
      if (rows < shingleSize + 1) {
        throw new IllegalArgumentException("need at least " + (shingleSize + 1) + " rows to fit, got " + rows);
      }
      float[] data = x.data();
      for (int i = 0; i < rows * cols; i++) {
        if (!Float.isFinite(data[i])) {
          throw new IllegalArgumentException("non-finite value at row " + i / cols + ", column " + i % cols);
        }
      }
      double decay = Double.isNaN(timeDecay) ? 1.0 / (10.0 * sampleSize) : timeDecay;
      RandomCutForest forest = RandomCutForest.builder()
          .dimensions(cols * shingleSize)
          .shingleSize(shingleSize)
          .internalShinglingEnabled(false)
          .numberOfTrees(trees)
          .sampleSize(sampleSize)
          .timeDecay(decay)
          .randomSeed(seed)
          .precision(Precision.FLOAT_32)
          .boundingBoxCacheFraction(1.0)
          .outputAfter(1)
          .parallelExecutionEnabled(false)
          .build();
      float[] shingle = new float[cols * shingleSize];
      for (int r = shingleSize - 1; r < rows; r++) {
        System.arraycopy(data, (r - shingleSize + 1) * cols, shingle, 0, cols * shingleSize);
        forest.update(shingle);
      }
      float[] context = Arrays.copyOfRange(data, (rows - shingleSize + 1) * cols, rows * cols);
      return new OnlineRcf(forest, cols, shingleSize, trees, sampleSize, decay, seed, context, threads);
    }
  }
}
