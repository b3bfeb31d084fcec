package io.netanomaly.core.detect.iforest;

import io.netanomaly.core.detect.DetectorWorkers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netanomaly.core.detect.Detector;
import io.netanomaly.core.detect.Matrix;
import io.netanomaly.core.model.ModelArchive;
import io.netanomaly.core.model.ModelFormatException;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Isolation Forest (Liu, Ting and Zhou 2008) with scikit-learn's scoring: the score of a row is
 * {@code s(x) = 2^(-E[h(x)] / c(ψ))} in (0, 1], higher = more anomalous (scikit-learn's
 * {@code score_samples} negated), where {@code h} is the depth of the row's leaf plus
 * {@code c(n)} for the {@code n} training samples left unsplit in it, ψ the subsample size and
 * {@code c(n) = 2 H(n - 1) - 2 (n - 1) / n} the average path length of an unsuccessful BST search.
 * Trees are grown to depth {@code ceil(log2 ψ)} on subsamples drawn without replacement.
 *
 * <p>Splits send {@code x > threshold} right and everything else left; a NaN input therefore goes
 * left at every split (the feature pipeline imputes missing values before scoring anyway).
 *
 * <p>Fitting and scoring are deterministic: tree {@code i} draws only from the {@code i}-th
 * {@link SplittableRandom#split()} of {@code new SplittableRandom(seed)}, and a row's path
 * lengths are summed in tree order, so trees and scores are bit-identical for any thread count.
 *
 * <p>Storage: all trees in flat arrays; forests of depth ≤ 10 (ψ ≤ 1024) are also padded to
 * complete trees for a branch-free walk. Scoring goes in blocks of rows, tree-major within a
 * block, and allocates nothing per row.
 *
 * <p><b>Extended Isolation Forest</b> (Hariri, Carrasco Kind and Brunner 2019), chosen with
 * {@link Builder#extended(boolean)} or {@link Builder#extensionLevel(int)}: splits are random
 * hyperplanes {@code x · n > b} instead of axis-parallel cuts, which removes the axis-aligned
 * artefacts of the standard forest's score map. Extension level {@code e} gives the normal
 * {@code n} {@code e + 1} non-zero (standard normal) components; the hyperplane goes through a
 * point drawn uniformly in the node's bounding box, and a side may be empty (a leaf of path length
 * equal to its depth, as in the paper). Scoring is the same formula. An extended forest walks
 * its normals' non-zero components (one multiply-add each per step; see
 * {@link HyperplaneTrees}), so it scores several times slower than the standard forest's
 * branch-free kernel. A NaN value makes every projection
 * NaN, so such a row goes left at every split. The default remains the standard forest.
 *
 * <p>Immutable and safe to use from several threads at once.
 */
public final class IsolationForest implements Detector {
  /** The {@link #kind()} of this family. */
  public static final String KIND = "iforest";
  /** Version of the parameters and arrays this class writes for a standard forest (and reads). */
  public static final int ARCHIVE_VERSION = 1;
  /** Version of the parameters and arrays this class writes for an extended forest (and reads). */
  public static final int EXTENDED_ARCHIVE_VERSION = 2;

  private static final double EULER_GAMMA = 0.5772156649015329;
  /** Rows per scoring block: with 20 features a block is 20 KB and fits L1 next to one tree. */
  private static final int BLOCK_ROWS = 256;
  /**
   * Batches smaller than this are scored on the calling thread by {@link #score(Matrix, double[])}:
   * four blocks, so that the 4,096-row batches of the scoring pipeline use every thread.
   */
  private static final int PARALLEL_MIN_ROWS = 4 * BLOCK_ROWS;

  private final int features;
  private final int sampleSize;
  private final double maxFeatures;
  private final long seed;
  private final int threads;
  private final int maxDepth;
  private final int[] roots;
  private final int[] feature;
  private final float[] threshold;
  private final int[] left;
  private final double[] value;
  private final int[] samples;
  /** ln(samples) per node, so attribution needs no logarithm per split. */
  private final double[] logSamples;
  /** −1 for the standard forest; else the extension level, and the three arrays below are set. */
  private final int extensionLevel;
  /** Extended forest: dense split normals, {@code features} per node (zeros in leaves). */
  private final float[] normal;
  /** Extended forest: split intercepts ({@code x · normal > intercept} goes right), 0 in leaves. */
  private final double[] intercept;
  /** Extended forest: per-feature training mean, the reference point of attributions. */
  private final double[] center;
  private final PathLengthKernel kernel;
  /** ln 2 / (trees · c(ψ)): turns a sum of path lengths into the exponent of e. */
  private final double scoreScale;

  private IsolationForest(int features, int sampleSize, double maxFeatures, long seed, int threads, int[] roots,
      int[] feature, float[] threshold, int[] left, double[] value, int[] samples, PathLengthKernel kernel) {
    this(features, sampleSize, maxFeatures, seed, threads, roots, feature, threshold, left, value, samples, -1, null,
        null, null, kernel);
  }

  /**
   * {@code feature} marks leaves with −1 in both kinds; in an extended forest inner nodes hold 0
   * there and {@code threshold} is null.
   */
  private IsolationForest(int features, int sampleSize, double maxFeatures, long seed, int threads, int[] roots,
      int[] feature, float[] threshold, int[] left, double[] value, int[] samples, int extensionLevel,
      float[] normal, double[] intercept, double[] center, PathLengthKernel kernel) {
    this.features = features;
    this.sampleSize = sampleSize;
    this.maxFeatures = maxFeatures;
    this.seed = seed;
    this.threads = threads;
    this.maxDepth = maxDepthFor(sampleSize);
    this.roots = roots;
    this.feature = feature;
    this.threshold = threshold;
    this.left = left;
    this.value = value;
    this.samples = samples;
    this.logSamples = new double[samples.length];
    for (int i = 0; i < samples.length; i++) {
      logSamples[i] = Math.log(Math.max(1, samples[i]));
    }
    this.extensionLevel = extensionLevel;
    this.normal = normal;
    this.intercept = intercept;
    this.center = center;
    if (kernel != null) {
      this.kernel = kernel;
    } else if (normal != null) {
      this.kernel = new HyperplaneTrees(roots, features, normal, intercept, left, value);
    } else {
      this.kernel = kernelFor(maxDepth, roots, feature, threshold, left, value);
    }
    this.scoreScale = Math.log(2) / (roots.length * averagePathLength(sampleSize));
  }

  /** A builder with defaults: 100 trees, ψ = 256, all features, seed 0, one thread per processor. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Average path length {@code c(n)} of an unsuccessful search in a binary search tree of
   * {@code n} nodes: 0 for n ≤ 1, 1 for n = 2, else {@code 2 (ln(n - 1) + γ) - 2 (n - 1) / n}
   * (scikit-learn's {@code _average_path_length}).
   */
  public static double averagePathLength(long n) {
    if (n <= 1) {
      return 0.0;
    }
    if (n == 2) {
      return 1.0;
    }
    return 2.0 * (Math.log(n - 1.0) + EULER_GAMMA) - 2.0 * (n - 1.0) / n;
  }

  /** {@code ceil(log2 ψ)} for ψ ≥ 2: the depth trees are grown to. */
  static int maxDepthFor(int sampleSize) {
    return 32 - Integer.numberOfLeadingZeros(Math.max(2, sampleSize) - 1);
  }

  private static PathLengthKernel kernelFor(int maxDepth, int[] roots, int[] feature, float[] threshold, int[] left,
      double[] value) {
    if (maxDepth <= PaddedTrees.MAX_DEPTH) {
      return PaddedTrees.of(maxDepth, roots, feature, threshold, left, value);
    }
    return new LinkedTrees(roots, feature, threshold, left, value);
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public int features() {
    return features;
  }

  /** Number of trees. */
  public int trees() {
    return roots.length;
  }

  /** Subsample size ψ actually used per tree (the requested size capped at the training rows). */
  public int sampleSize() {
    return sampleSize;
  }

  /** Fraction of features each tree may split on, in (0, 1]. */
  public double maxFeatures() {
    return maxFeatures;
  }

  /** The seed the trees were grown from. */
  public long seed() {
    return seed;
  }

  /** Threads {@link #score(Matrix, double[])} uses for large batches. */
  public int threads() {
    return threads;
  }

  /** Depth limit of the trees, {@code ceil(log2 ψ)}. */
  public int maxDepth() {
    return maxDepth;
  }

  /** Whether this is an Extended Isolation Forest (hyperplane splits). */
  public boolean extended() {
    return normal != null;
  }

  /**
   * Extension level of an extended forest (0 to {@code features() - 1}: non-zero components of
   * each split normal minus one), or −1 for the standard forest.
   */
  public int extensionLevel() {
    return extensionLevel;
  }

  /** Total number of nodes over all trees. */
  public int nodes() {
    return feature.length;
  }

  /** The same forest (sharing its arrays) scoring large batches with {@code threads} threads. */
  public IsolationForest withThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be ≥ 1: " + threads);
    }
    return new IsolationForest(features, sampleSize, maxFeatures, seed, threads, roots, feature, threshold, left,
        value, samples, extensionLevel, normal, intercept, center, kernel);
  }

  /**
   * Scores every row of {@code batch} into {@code out[0 .. batch.rows())}; batches of at least
   * 1,024 rows are split over {@link #threads()} threads.
   */
  @Override
  public void score(Matrix batch, double[] out) {
    score(batch, out, batch.rows() >= PARALLEL_MIN_ROWS ? threads : 1);
  }

  /**
   * Scores every row of {@code batch} into {@code out[0 .. batch.rows())} using up to
   * {@code threads} threads (the caller's included). Results do not depend on {@code threads}.
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
      double[] acc = new double[BLOCK_ROWS];
      int b;
      while ((b = nextBlock.getAndIncrement()) < blocks) {
        int from = b * BLOCK_ROWS;
        int to = Math.min(rows, from + BLOCK_ROWS);
        kernel.sumPathLengths(x, features, from, to, acc);
        for (int r = from; r < to; r++) {
          out[r] = Math.exp(-acc[r - from] * scoreScale);
        }
      }
    });
  }

  /**
   * Per-feature share in the anomaly of one row, written to {@code out[0 .. features())}.
   *
   * <p>Path-based attribution: each split on the row's path is credited to its feature with the
   * isolation it achieved, {@code ln(n_node / n_child)} for the training samples reaching the
   * node and the child the row takes (the splits of a path together account for
   * {@code ln(ψ / n_leaf)}); each tree's credits are normalised to 1 and weighted by
   * {@code 1 / h}, {@code h} the row's path length there, so trees that isolate the row early
   * count most. The result is normalised by the total weight, so entries are ≥ 0 and sum to 1,
   * or are all 0 if no tree splits at all. Allocates nothing.
   *
   * <p>In an extended forest a split involves several features: its isolation credit is
   * {@code ln((n_node + 1) / (n_child + 1))} (finite for empty children) and is shared among
   * features in proportion to {@code |n_f · (x_f − center_f)|}, each feature's part of the row's
   * projection measured from the training mean; splits without such a part (or with a non-finite
   * one) are skipped. Trees are then weighted as above.
   *
   * @param row the row's values, {@code features()} floats from {@code offset}
   */
  public void attribute(float[] row, int offset, double[] out) {
    Objects.requireNonNull(row, "row");
    Objects.requireNonNull(out, "out");
    if (offset < 0 || offset + features > row.length) {
      throw new IllegalArgumentException("row of " + row.length + " floats has no " + features + " features at " + offset);
    }
    if (out.length < features) {
      throw new IllegalArgumentException("out has " + out.length + " entries for " + features + " features");
    }
    Arrays.fill(out, 0, features, 0.0);
    if (normal != null) {
      attributeExtended(row, offset, out);
      return;
    }
    double total = 0;
    for (int root : roots) {
      int node = root;
      int f;
      while ((f = feature[node]) >= 0) {
        node = left[node] + (row[offset + f] > threshold[node] ? 1 : 0);
      }
      if (node == root) {
        continue;
      }
      double weight = 1.0 / value[node];
      double perNat = weight / (logSamples[root] - logSamples[node]);
      node = root;
      while ((f = feature[node]) >= 0) {
        int child = left[node] + (row[offset + f] > threshold[node] ? 1 : 0);
        out[f] += perNat * (logSamples[node] - logSamples[child]);
        node = child;
      }
      total += weight;
    }
    if (total > 0) {
      for (int f = 0; f < features; f++) {
        out[f] /= total;
      }
    }
  }

  private void attributeExtended(float[] row, int offset, double[] out) {
    double total = 0;
    for (int root : roots) {
      int leaf = leafOf(root, row, offset);
      if (leaf == root) {
        continue;
      }
      double treeCredit = 0;
      for (int pass = 0; pass < 2; pass++) {
        double scale = pass == 0 ? 0 : 1.0 / (value[leaf] * treeCredit);
        int node = root;
        int l;
        while ((l = left[node]) >= 0) {
          int base = node * features;
          int child = l + (ExtendedIsolationTree.project(normal, base, row, offset, features) > intercept[node] ? 1 : 0);
          double spread = 0;
          for (int f = 0; f < features; f++) {
            spread += Math.abs(normal[base + f] * (row[offset + f] - center[f]));
          }
          if (spread > 0 && Double.isFinite(spread)) {
            double credit = Math.log((samples[node] + 1.0) / (samples[child] + 1.0));
            if (pass == 0) {
              treeCredit += credit;
            } else if (credit > 0) {
              double perSpread = scale * credit / spread;
              for (int f = 0; f < features; f++) {
                out[f] += perSpread * Math.abs(normal[base + f] * (row[offset + f] - center[f]));
              }
            }
          }
          node = child;
        }
        if (treeCredit <= 0) {
          break;
        }
      }
      if (treeCredit > 0) {
        total += 1.0 / value[leaf];
      }
    }
    if (total > 0) {
      for (int f = 0; f < features; f++) {
        out[f] /= total;
      }
    }
  }

  private int leafOf(int root, float[] row, int offset) {
    int node = root;
    int l;
    while ((l = left[node]) >= 0) {
      node = l + (ExtendedIsolationTree.project(normal, node * features, row, offset, features) > intercept[node] ? 1 : 0);
    }
    return node;
  }

  /**
   * Writes this forest into {@code archive}: its parameters as the object
   * {@code manifest.detectors.<prefix>} and its trees as six arrays named {@code <prefix>.<name>}.
   *
   * <p>Parameters: {@code kind} ("iforest"), {@code version} (1), {@code features},
   * {@code trees}, {@code sample_size} (ψ used), {@code max_features}, {@code seed},
   * {@code max_depth}, {@code nodes} (total). Arrays, one entry per node, trees concatenated:
   * <ul>
   *   <li>{@code tree_offsets} int32[trees + 1]: first node of each tree, then {@code nodes};
   *   <li>{@code feature} int32: split feature, −1 for a leaf;
   *   <li>{@code threshold} float32: split threshold ({@code x > threshold} goes right), 0 in leaves;
   *   <li>{@code left} int32: index of the left child within its tree (right = left + 1, always
   *       greater than the node's own index), −1 in leaves;
   *   <li>{@code value} float64: leaf path length {@code depth + c(n)}, 0 in inner nodes;
   *   <li>{@code samples} int32: training subsample rows that reached the node (for attribution).
   * </ul>
   * The tree's root is its first node. Read back with {@link #readFrom(ModelArchive, JsonNode, String)}.
   *
   * <p>An extended forest is written as {@code version} 2 with the same parameters plus
   * {@code extension_level}, and the arrays {@code tree_offsets}, {@code left}, {@code value} and
   * {@code samples} as above (a leaf may have 0 samples) plus, instead of {@code feature} and
   * {@code threshold}:
   * <ul>
   *   <li>{@code normal} float32[nodes · features]: each node's split normal, zeros in leaves;
   *   <li>{@code intercept} float64[nodes]: {@code x · normal > intercept} goes right, 0 in leaves;
   *   <li>{@code center} float64[features]: the training mean used by attributions.
   * </ul>
   *
   * @throws IllegalArgumentException if {@code prefix} is already used in the manifest or is not a
   *     valid array name prefix
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
    params.put("version", normal == null ? ARCHIVE_VERSION : EXTENDED_ARCHIVE_VERSION);
    params.put("features", features);
    params.put("trees", roots.length);
    params.put("sample_size", sampleSize);
    params.put("max_features", maxFeatures);
    params.put("seed", seed);
    params.put("max_depth", maxDepth);
    params.put("nodes", feature.length);
    if (normal != null) {
      params.put("extension_level", extensionLevel);
    }

    int[] offsets = Arrays.copyOf(roots, roots.length + 1);
    offsets[roots.length] = feature.length;
    int[] localLeft = new int[left.length];
    for (int t = 0; t < roots.length; t++) {
      for (int i = offsets[t]; i < offsets[t + 1]; i++) {
        localLeft[i] = left[i] < 0 ? -1 : left[i] - offsets[t];
      }
    }
    archive.put(prefix + ".tree_offsets", offsets);
    if (normal == null) {
      archive.put(prefix + ".feature", feature.clone());
      archive.put(prefix + ".threshold", threshold.clone());
    }
    archive.put(prefix + ".left", localLeft);
    archive.put(prefix + ".value", value.clone());
    archive.put(prefix + ".samples", samples.clone());
    if (normal != null) {
      archive.put(prefix + ".normal", normal.clone());
      archive.put(prefix + ".intercept", intercept.clone());
      archive.put(prefix + ".center", center.clone());
    }
  }

  /** Reads the forest written under {@code prefix}, its parameters at {@code manifest.detectors.<prefix>}. */
  public static IsolationForest readFrom(ModelArchive archive, String prefix) throws ModelFormatException {
    return readFrom(archive, archive.manifest().path("detectors").path(prefix), prefix);
  }

  /**
   * Reads a forest written by {@link #writeTo}, {@code params} being the object it wrote to the
   * manifest. Every parameter, array length, feature id and child index is checked, and the nodes
   * must form trees no deeper than {@code ceil(log2 ψ)}; a forest that fails any check is
   * rejected. The forest scores with one thread per processor ({@link #withThreads} changes it).
   *
   * @throws ModelFormatException if a parameter or array is missing, malformed or inconsistent
   */
  public static IsolationForest readFrom(ModelArchive archive, JsonNode params, String prefix)
      throws ModelFormatException {
    Objects.requireNonNull(archive, "archive");
    Objects.requireNonNull(prefix, "prefix");
    if (params == null || !params.isObject()) {
      throw new ModelFormatException("iforest '" + prefix + "': parameters missing or not an object");
    }
    String kind = params.path("kind").asText("");
    if (!KIND.equals(kind)) {
      throw new ModelFormatException("iforest '" + prefix + "': kind is '" + kind + "', expected '" + KIND + "'");
    }
    long version = integer(params, prefix, "version", 1, Integer.MAX_VALUE);
    if (version != ARCHIVE_VERSION && version != EXTENDED_ARCHIVE_VERSION) {
      throw new ModelFormatException("iforest '" + prefix + "': unsupported version " + version);
    }
    boolean hyperplanes = version == EXTENDED_ARCHIVE_VERSION;
    int features = (int) integer(params, prefix, "features", 1, Integer.MAX_VALUE);
    int trees = (int) integer(params, prefix, "trees", 1, Integer.MAX_VALUE);
    int sampleSize = (int) integer(params, prefix, "sample_size", 2, 1 << 30);
    long seed = integer(params, prefix, "seed", Long.MIN_VALUE, Long.MAX_VALUE);
    JsonNode mf = params.get("max_features");
    if (mf == null || !mf.isNumber() || !(mf.doubleValue() > 0 && mf.doubleValue() <= 1)) {
      throw new ModelFormatException("iforest '" + prefix + "': max_features must be a number in (0, 1]");
    }
    double maxFeatures = mf.doubleValue();
    int maxDepth = maxDepthFor(sampleSize);
    if (integer(params, prefix, "max_depth", 0, Integer.MAX_VALUE) != maxDepth) {
      throw new ModelFormatException("iforest '" + prefix + "': max_depth does not match sample_size " + sampleSize);
    }
    long declaredNodes = integer(params, prefix, "nodes", 1, Integer.MAX_VALUE);
    int extensionLevel = hyperplanes ? (int) integer(params, prefix, "extension_level", 0, features - 1) : -1;

    int[] offsets = archive.ints(prefix + ".tree_offsets");
    int[] localLeft = archive.ints(prefix + ".left");
    double[] value = archive.doubles(prefix + ".value").clone();
    int[] samples = archive.ints(prefix + ".samples").clone();
    int nodes = localLeft.length;
    int[] feature;
    float[] threshold;
    float[] normal = null;
    double[] intercept = null;
    double[] center = null;
    if (hyperplanes) {
      normal = archive.floats(prefix + ".normal").clone();
      intercept = archive.doubles(prefix + ".intercept").clone();
      center = archive.doubles(prefix + ".center").clone();
      if ((long) nodes * features != normal.length || intercept.length != nodes || center.length != features) {
        throw new ModelFormatException("iforest '" + prefix + "': normal, intercept or center has the wrong length");
      }
      checkFinite(prefix, "normal", normal);
      checkFinite(prefix, "intercept", intercept);
      checkFinite(prefix, "center", center);
      // leaves are −1, inner nodes 0: the structural check below only needs that distinction
      feature = new int[nodes];
      for (int i = 0; i < nodes; i++) {
        feature[i] = localLeft[i] == -1 ? -1 : 0;
      }
      threshold = null;
    } else {
      feature = archive.ints(prefix + ".feature").clone();
      threshold = archive.floats(prefix + ".threshold").clone();
      nodes = feature.length;
      if (threshold.length != nodes || localLeft.length != nodes) {
        throw new ModelFormatException("iforest '" + prefix + "': node arrays disagree in length (feature " + nodes
            + ", threshold " + threshold.length + ", left " + localLeft.length + ")");
      }
    }
    if (nodes != declaredNodes || value.length != nodes || samples.length != nodes) {
      throw new ModelFormatException("iforest '" + prefix + "': node arrays disagree in length (declared "
          + declaredNodes + ", nodes " + nodes + ", value " + value.length + ", samples " + samples.length + ")");
    }
    if (offsets.length != trees + 1 || offsets[0] != 0 || offsets[trees] != nodes) {
      throw new ModelFormatException("iforest '" + prefix + "': tree_offsets must have trees + 1 entries from 0 to nodes");
    }
    long maxNodesPerTree = hyperplanes ? ExtendedIsolationTree.maxNodes(sampleSize, maxDepth) : 2L * sampleSize - 1;
    int[] roots = Arrays.copyOf(offsets, trees);
    int[] left = new int[nodes];
    int[] depth = new int[nodes];
    for (int t = 0; t < trees; t++) {
      int base = offsets[t];
      int size = offsets[t + 1] - base;
      if (size < 1 || size > maxNodesPerTree) {
        throw new ModelFormatException("iforest '" + prefix + "': tree " + t + " has " + size + " nodes, allowed 1 to "
            + maxNodesPerTree);
      }
      checkTree(prefix, t, base, size, features, sampleSize, maxDepth, feature, threshold, localLeft, value, samples,
          left, depth);
    }
    return new IsolationForest(features, sampleSize, maxFeatures, seed, defaultThreads(), roots, feature, threshold,
        left, value, samples, extensionLevel, normal, intercept, center, null);
  }

  private static void checkFinite(String prefix, String name, float[] a) throws ModelFormatException {
    for (int i = 0; i < a.length; i++) {
      if (!Float.isFinite(a[i])) {
        throw new ModelFormatException("iforest '" + prefix + "': " + name + "[" + i + "] is " + a[i]);
      }
    }
  }

  private static void checkFinite(String prefix, String name, double[] a) throws ModelFormatException {
    for (int i = 0; i < a.length; i++) {
      if (!Double.isFinite(a[i])) {
        throw new ModelFormatException("iforest '" + prefix + "': " + name + "[" + i + "] is " + a[i]);
      }
    }
  }

  /**
   * Checks one tree's nodes and fills its global {@code left} indices: leaves have −1 children
   * and a finite non-negative value, inner nodes a feature in range, a finite threshold and a
   * child pair after themselves, every node but the root has exactly one parent, no leaf is
   * deeper than {@code maxDepth}, and sample counts are 1 to ψ with each split's children (both
   * non-empty) adding up to it. Children after parents make every walk end. With
   * {@code threshold == null} (an extended forest) thresholds are not checked, leaves may hold 0
   * samples and inner nodes must hold at least 2.
   */
  private static void checkTree(String prefix, int t, int base, int size, int features, int sampleSize, int maxDepth,
      int[] feature, float[] threshold, int[] localLeft, double[] value, int[] samples, int[] left, int[] depth)
      throws ModelFormatException {
    String where = "iforest '" + prefix + "' tree " + t + " node ";
    // depth[] doubles as the "has a parent" mark: −1 until a parent claims the node
    for (int i = 1; i < size; i++) {
      depth[base + i] = -1;
    }
    depth[base] = 0;
    for (int i = 0; i < size; i++) {
      int g = base + i;
      if (depth[g] < 0) {
        throw new ModelFormatException(where + i + " has no parent");
      }
      int f = feature[g];
      int l = localLeft[g];
      int fewestSamples = threshold != null ? 1 : f == -1 ? 0 : 2;
      if (samples[g] < fewestSamples || samples[g] > sampleSize) {
        throw new ModelFormatException(where + i + " has " + samples[g] + " samples of " + sampleSize);
      }
      if (f == -1) {
        if (l != -1) {
          throw new ModelFormatException(where + i + " is a leaf with a child");
        }
        if (!(value[g] >= 0) || Double.isInfinite(value[g])) {
          throw new ModelFormatException(where + i + " has path length " + value[g]);
        }
        left[g] = -1;
        continue;
      }
      if (f < 0 || f >= features) {
        throw new ModelFormatException(where + i + " splits on feature " + f + " of " + features);
      }
      if (threshold != null && !Float.isFinite(threshold[g])) {
        throw new ModelFormatException(where + i + " has threshold " + threshold[g]);
      }
      if (l <= i || l >= size - 1) {
        throw new ModelFormatException(where + i + " has child index " + l + " outside (" + i + ", " + (size - 1) + ")");
      }
      if (depth[g] >= maxDepth) {
        throw new ModelFormatException(where + i + " splits below max depth " + maxDepth);
      }
      if (depth[base + l] >= 0 || depth[base + l + 1] >= 0) {
        throw new ModelFormatException(where + i + " shares a child with another node");
      }
      if ((long) samples[base + l] + samples[base + l + 1] != samples[g]) {
        throw new ModelFormatException(where + i + " has children whose samples do not add up");
      }
      depth[base + l] = depth[g] + 1;
      depth[base + l + 1] = depth[g] + 1;
      left[g] = base + l;
    }
  }

  private static long integer(JsonNode params, String prefix, String name, long min, long max)
      throws ModelFormatException {
    JsonNode n = params.get(name);
    if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
      throw new ModelFormatException("iforest '" + prefix + "': " + name + " missing or not an integer");
    }
    long v = n.longValue();
    if (v < min || v > max) {
      throw new ModelFormatException("iforest '" + prefix + "': " + name + " = " + v + " out of range [" + min + ", "
          + max + "]");
    }
    return v;
  }

  private static int defaultThreads() {
    return Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  @Override
  public String toString() {
    return "IsolationForest[features=" + features + ", trees=" + roots.length + ", sampleSize=" + sampleSize
        + ", maxFeatures=" + maxFeatures + ", seed=" + seed + ", nodes=" + feature.length
        + (normal == null ? "" : ", extensionLevel=" + extensionLevel) + "]";
  }

  /**
   * Settings for fitting an {@link IsolationForest}. Not thread-safe; {@link #fit} may be called
   * several times (each call builds an independent forest).
   */
  public static final class Builder {
    private int trees = 100;
    private int sampleSize = 256;
    private double maxFeatures = 1.0;
    private long seed = 0;
    private int threads = defaultThreads();
    /** −1: standard forest; else the requested extension level (capped at fit time). */
    private int extensionLevel = -1;

    private Builder() {}

    /**
     * Whether to grow an Extended Isolation Forest with fully extended splits (extension level
     * {@code features - 1}: every allowed feature in every normal), the paper's recommended
     * setting; {@code false} (the default) grows the standard forest.
     */
    public Builder extended(boolean extended) {
      this.extensionLevel = extended ? Integer.MAX_VALUE : -1;
      return this;
    }

    /**
     * Grows an Extended Isolation Forest whose split normals have {@code level + 1} non-zero
     * components, {@code level ≥ 0}; capped at the features each tree may use minus one. Level 0
     * gives axis-parallel hyperplanes (close to, but not stored like, the standard forest).
     */
    public Builder extensionLevel(int level) {
      if (level < 0) {
        throw new IllegalArgumentException("extension level must be ≥ 0: " + level);
      }
      this.extensionLevel = level;
      return this;
    }

    /** Number of trees, ≥ 1 (default 100). */
    public Builder trees(int trees) {
      if (trees < 1) {
        throw new IllegalArgumentException("trees must be ≥ 1: " + trees);
      }
      this.trees = trees;
      return this;
    }

    /** Subsample size ψ per tree, ≥ 2 (default 256); capped at the number of training rows. */
    public Builder sampleSize(int sampleSize) {
      if (sampleSize < 2) {
        throw new IllegalArgumentException("sampleSize must be ≥ 2: " + sampleSize);
      }
      this.sampleSize = sampleSize;
      return this;
    }

    /**
     * Fraction of features each tree may split on, in (0, 1] (default 1): each tree draws
     * {@code max(1, floor(fraction · features))} distinct features, like scikit-learn's
     * {@code max_features}.
     */
    public Builder maxFeatures(double fraction) {
      if (!(fraction > 0 && fraction <= 1)) {
        throw new IllegalArgumentException("maxFeatures must be in (0, 1]: " + fraction);
      }
      this.maxFeatures = fraction;
      return this;
    }

    /** Random seed (default 0); the same seed gives the same trees for any thread count. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Threads for fitting and for scoring large batches, ≥ 1 (default: one per processor). */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be ≥ 1: " + threads);
      }
      this.threads = threads;
      return this;
    }

    /**
     * Grows the forest on the rows of {@code x} (not retained), trees in parallel.
     *
     * @throws IllegalArgumentException if {@code x} has fewer than 2 rows
     */
    public IsolationForest fit(Matrix x) {
      Objects.requireNonNull(x, "x");
      int rows = x.rows();
      int cols = x.cols();
      if (rows < 2) {
        throw new IllegalArgumentException("need at least 2 rows to fit, got " + rows);
      }
      int psi = Math.min(sampleSize, rows);
      int depth = maxDepthFor(psi);
      int featureCount = Math.max(1, Math.min(cols, (int) (maxFeatures * cols)));
      SplittableRandom root = new SplittableRandom(seed);
      SplittableRandom[] rngs = new SplittableRandom[trees];
      for (int t = 0; t < trees; t++) {
        rngs[t] = root.split();
      }
      float[] data = x.data();
      if (extensionLevel >= 0) {
        return fitExtended(data, rows, cols, psi, depth, featureCount, rngs);
      }
      IsolationTree[] grown = new IsolationTree[trees];
      AtomicInteger nextTree = new AtomicInteger();
      DetectorWorkers.run(Math.min(threads, trees), () -> {
        int t;
        while ((t = nextTree.getAndIncrement()) < trees) {
          grown[t] = IsolationTree.grow(data, rows, cols, psi, featureCount, depth, rngs[t]);
        }
      });

      int total = 0;
      int[] roots = new int[trees];
      for (int t = 0; t < trees; t++) {
        roots[t] = total;
        total += grown[t].nodes();
      }
      int[] feature = new int[total];
      float[] threshold = new float[total];
      int[] left = new int[total];
      double[] value = new double[total];
      int[] samples = new int[total];
      for (int t = 0; t < trees; t++) {
        IsolationTree tree = grown[t];
        int base = roots[t];
        int n = tree.nodes();
        System.arraycopy(tree.feature, 0, feature, base, n);
        System.arraycopy(tree.threshold, 0, threshold, base, n);
        System.arraycopy(tree.value, 0, value, base, n);
        System.arraycopy(tree.samples, 0, samples, base, n);
        for (int i = 0; i < n; i++) {
          left[base + i] = tree.left[i] < 0 ? -1 : base + tree.left[i];
        }
      }
      return new IsolationForest(cols, psi, maxFeatures, seed, threads, roots, feature, threshold, left, value, samples,
          null);
    }

    private IsolationForest fitExtended(float[] data, int rows, int cols, int psi, int depth, int featureCount,
        SplittableRandom[] rngs) {
      int level = Math.min(extensionLevel, featureCount - 1);
      ExtendedIsolationTree[] grown = new ExtendedIsolationTree[trees];
      AtomicInteger nextTree = new AtomicInteger();
      DetectorWorkers.run(Math.min(threads, trees), () -> {
        int t;
        while ((t = nextTree.getAndIncrement()) < trees) {
          grown[t] = ExtendedIsolationTree.grow(data, rows, cols, psi, featureCount, level, depth, rngs[t]);
        }
      });
      int total = 0;
      int[] roots = new int[trees];
      for (int t = 0; t < trees; t++) {
        roots[t] = total;
        total += grown[t].nodes();
      }
      int[] feature = new int[total];
      int[] left = new int[total];
      double[] value = new double[total];
      int[] samples = new int[total];
      float[] normal = new float[total * cols];
      double[] intercept = new double[total];
      for (int t = 0; t < trees; t++) {
        ExtendedIsolationTree tree = grown[t];
        int base = roots[t];
        int n = tree.nodes();
        System.arraycopy(tree.value, 0, value, base, n);
        System.arraycopy(tree.samples, 0, samples, base, n);
        System.arraycopy(tree.intercept, 0, intercept, base, n);
        System.arraycopy(tree.normal, 0, normal, base * cols, n * cols);
        for (int i = 0; i < n; i++) {
          left[base + i] = tree.left[i] < 0 ? -1 : base + tree.left[i];
          feature[base + i] = tree.left[i] < 0 ? -1 : 0;
        }
      }
      return new IsolationForest(cols, psi, maxFeatures, seed, threads, roots, feature, null, left, value, samples,
          level, normal, intercept, meanOf(data, rows, cols), null);
    }
  }

  /** Per-column mean over the finite values (0 for a column with none). */
  private static double[] meanOf(float[] data, int rows, int cols) {
    double[] sum = new double[cols];
    long[] count = new long[cols];
    for (int r = 0; r < rows; r++) {
      int off = r * cols;
      for (int c = 0; c < cols; c++) {
        float v = data[off + c];
        if (Float.isFinite(v)) {
          sum[c] += v;
          count[c]++;
        }
      }
    }
    for (int c = 0; c < cols; c++) {
      sum[c] = count[c] == 0 ? 0 : sum[c] / count[c];
    }
    return sum;
  }
}
