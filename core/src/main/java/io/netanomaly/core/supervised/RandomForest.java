package io.netanomaly.core.supervised;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netanomaly.core.detect.Matrix;
import io.netanomaly.core.detect.iforest.DetectorParams;
import io.netanomaly.core.detect.DetectorWorkers;
import io.netanomaly.core.model.ModelArchive;
import io.netanomaly.core.model.ModelFormatException;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Random forest classifier (Breiman 2001): CART trees on bootstrap samples, Gini splits among
 * √features randomly drawn features per node, grown until leaves are pure (or the depth / leaf
 * size limits); class weights enter the Gini counts. The probability of a class is the mean over
 * trees of the class share in the row's leaf (as scikit-learn). Split search uses up to 256
 * quantile bins per feature, with thresholds midway between neighbouring training values.
 *
 * <p>Deterministic: tree {@code t} draws only from the {@code t}-th split of
 * {@code new SplittableRandom(seed)}, and probabilities are summed in tree order, so results are
 * bit-identical for any thread count. Immutable and thread-safe.
 */
public final class RandomForest implements Classifier {
  /** The {@link #kind()} of this family. */
  public static final String KIND = "rf";
  /** Version of the parameters and arrays this class writes (and reads). */
  public static final int ARCHIVE_VERSION = 1;

  private final List<String> classes;
  private final int features;
  private final long seed;
  private final TreeArrays trees;

  private RandomForest(List<String> classes, int features, long seed, TreeArrays trees) {
    this.classes = classes;
    this.features = features;
    this.seed = seed;
    this.trees = trees;
  }

  static RandomForest train(Matrix x, int[] y, List<String> classes, ClassifierOptions o) {
    int k = classes.size();
    int n = x.rows();
    int f = x.cols();
    FeatureBins bins = new FeatureBins(x, o.threads());
    double[] classWeight = o.classWeights(y, k);
    int mtry = o.maxFeatures() > 0 ? Math.min(f, o.maxFeatures()) : Math.max(1, (int) Math.sqrt(f));
    int maxDepth = o.maxDepth() > 0 ? o.maxDepth() : Integer.MAX_VALUE;
    SplittableRandom root = new SplittableRandom(o.seed());
    SplittableRandom[] rngs = new SplittableRandom[o.trees()];
    for (int t = 0; t < rngs.length; t++) {
      rngs[t] = root.split();
    }
    TreeGrower.Tree[] grown = new TreeGrower.Tree[o.trees()];
    AtomicInteger next = new AtomicInteger();
    DetectorWorkers.run(Math.min(o.threads(), o.trees()), () -> {
      double[] w = new double[n];
      for (int t; (t = next.getAndIncrement()) < grown.length; ) {
        SplittableRandom rng = rngs[t];
        java.util.Arrays.fill(w, 0);
        for (int i = 0; i < n; i++) {
          w[rng.nextInt(n)] += 1;
        }
        int m = 0;
        for (int i = 0; i < n; i++) {
          m += w[i] > 0 ? 1 : 0;
        }
        int[] idx = new int[m];
        m = 0;
        for (int i = 0; i < n; i++) {
          if (w[i] > 0) {
            idx[m++] = i;
            w[i] *= classWeight[y[i]];
          }
        }
        grown[t] = TreeGrower.classification(bins, y, k, w, idx, mtry, maxDepth, o.minLeaf(), rng);
      }
    });
    return new RandomForest(List.copyOf(classes), f, o.seed(), Classifiers.concat(grown, k));
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public List<String> classes() {
    return classes;
  }

  @Override
  public int features() {
    return features;
  }

  /** Number of trees. */
  public int trees() {
    return trees.trees();
  }

  /** Total number of nodes over all trees. */
  public int nodes() {
    return trees.nodes();
  }

  @Override
  public void predictProba(Matrix x, double[] out) {
    int k = classes.size();
    Classifiers.checkBatch(this, x, out);
    float[] data = x.data();
    int cols = x.cols();
    double[] value = trees.value;
    double scale = 1.0 / trees.trees();
    Classifiers.forRowBlocks(x.rows(), (from, to) -> {
      for (int r = from; r < to; r++) {
        int o = r * k;
        java.util.Arrays.fill(out, o, o + k, 0);
        for (int t = 0; t < trees.trees(); t++) {
          int leaf = trees.leaf(t, data, r * cols) * k;
          for (int c = 0; c < k; c++) {
            out[o + c] += value[leaf + c];
          }
        }
        for (int c = 0; c < k; c++) {
          out[o + c] *= scale;
        }
      }
    });
  }

  @Override
  public void writeTo(ModelArchive.Builder archive, String prefix) {
    ObjectNode p = Classifiers.paramsNode(archive, prefix, this, ARCHIVE_VERSION);
    p.put("seed", seed);
    p.put("trees", trees.trees());
    p.put("nodes", trees.nodes());
    trees.writeTo(archive, prefix);
  }

  /**
   * Reads a forest written by {@link #writeTo}; every parameter, array length, feature id, child
   * index and leaf probability is checked.
   *
   * @throws ModelFormatException if anything is missing, malformed or inconsistent
   */
  public static RandomForest readFrom(ModelArchive archive, String prefix) throws ModelFormatException {
    DetectorParams p = Classifiers.params(archive, prefix, KIND, ARCHIVE_VERSION);
    List<String> classes = Classifiers.readClasses(archive, prefix, p);
    int features = (int) p.integer("features", 1, Integer.MAX_VALUE);
    long seed = p.integer("seed", Long.MIN_VALUE, Long.MAX_VALUE);
    int count = (int) p.integer("trees", 1, Integer.MAX_VALUE);
    TreeArrays trees = TreeArrays.readFrom(archive, prefix, p, count, features, classes.size());
    if (p.integer("nodes", 1, Integer.MAX_VALUE) != trees.nodes()) {
      throw p.error("nodes does not match the arrays");
    }
    int k = classes.size();
    for (int i = 0; i < trees.nodes(); i++) {
      if (trees.feature[i] >= 0) {
        continue;
      }
      double sum = 0;
      for (int c = 0; c < k; c++) {
        double v = trees.value[i * k + c];
        if (v < 0 || v > 1) {
          throw p.error("leaf " + i + " holds a probability outside [0, 1]");
        }
        sum += v;
      }
      if (Math.abs(sum - 1) > 1e-9) {
        throw p.error("leaf " + i + " probabilities do not sum to 1");
      }
    }
    return new RandomForest(classes, features, seed, trees);
  }

  @Override
  public String toString() {
    return "RandomForest[" + trees.trees() + " trees, " + trees.nodes() + " nodes, " + features + " features, classes "
        + classes + "]";
  }
}
