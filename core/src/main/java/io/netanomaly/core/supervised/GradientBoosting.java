package io.netanomaly.core.supervised;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netanomaly.core.detect.Matrix;
import io.netanomaly.core.detect.iforest.DetectorParams;
import io.netanomaly.core.model.ModelArchive;
import io.netanomaly.core.model.ModelFormatException;
import java.util.Arrays;
import java.util.List;

/**
 * Gradient-boosted trees with Newton steps (as XGBoost): binary logistic loss for two classes (one
 * tree per round on the log-odds of class 1) and softmax cross-entropy for more (one tree per
 * class per round). Each tree is grown depth-first to a fixed depth over histogram bins, choosing
 * splits by second-order gain with an L2 penalty λ on leaf values; leaves hold the Newton step
 * {@code −G/(H+λ)} times the learning rate. Class weights scale each row's gradient and Hessian.
 * Raw scores start at the log of the (weighted) class priors.
 *
 * <p>Deterministic: no randomness, and histograms are reduced in feature order, so the model does
 * not depend on the thread count. Immutable and thread-safe.
 */
public final class GradientBoosting implements Classifier {
  /** The {@link #kind()} of this family. */
  public static final String KIND = "gbm";
  /** Version of the parameters and arrays this class writes (and reads). */
  public static final int ARCHIVE_VERSION = 1;

  /** Fewest summed Hessian on each side of a split, so that leaves are not fitted to a handful of certain rows. */
  private static final double MIN_CHILD_WEIGHT = 0.1;
  private static final double MIN_HESSIAN = 1e-6;

  private final List<String> classes;
  private final int features;
  private final int rounds;
  private final double learningRate;
  private final int depth;
  private final double lambda;
  /** Trees per round: 1 for two classes, else the number of classes. */
  private final int perRound;
  private final double[] base;
  private final TreeArrays trees;

  private GradientBoosting(List<String> classes, int features, int rounds, double learningRate, int depth,
      double lambda, double[] base, TreeArrays trees) {
    this.classes = classes;
    this.features = features;
    this.rounds = rounds;
    this.learningRate = learningRate;
    this.depth = depth;
    this.lambda = lambda;
    this.perRound = classes.size() == 2 ? 1 : classes.size();
    this.base = base;
    this.trees = trees;
  }

  static GradientBoosting train(Matrix x, int[] y, List<String> classes, ClassifierOptions o) {
    int k = classes.size();
    int n = x.rows();
    int cols = x.cols();
    int perRound = k == 2 ? 1 : k;
    FeatureBins bins = new FeatureBins(x, o.threads());
    double[] classWeight = o.classWeights(y, k);
    double[] prior = new double[k];
    double total = 0;
    for (int v : y) {
      prior[v] += classWeight[v];
      total += classWeight[v];
    }
    double[] base = new double[perRound];
    if (k == 2) {
      double p = Math.min(1 - 1e-6, Math.max(1e-6, prior[1] / total));
      base[0] = Math.log(p / (1 - p));
    } else {
      for (int c = 0; c < k; c++) {
        base[c] = Math.log(Math.max(1e-6, prior[c] / total));
      }
    }
    double[] raw = new double[n * perRound];
    for (int r = 0; r < n; r++) {
      System.arraycopy(base, 0, raw, r * perRound, perRound);
    }
    double[] grad = new double[n];
    double[] hess = new double[n];
    // softmax of the raw scores at the start of a round: all k trees of a round fit the same gradients
    double[] prob = new double[k == 2 ? 0 : n * k];
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    float[] data = x.data();
    TreeGrower.Tree[] grown = new TreeGrower.Tree[o.rounds() * perRound];
    for (int round = 0; round < o.rounds(); round++) {
      if (k > 2) {
        for (int r = 0; r < n; r++) {
          softmax(raw, r * k, k, prob, r * k);
        }
      }
      for (int c = 0; c < perRound; c++) {
        for (int r = 0; r < n; r++) {
          double p;
          double target;
          if (k == 2) {
            p = 1 / (1 + Math.exp(-raw[r]));
            target = y[r] == 1 ? 1 : 0;
          } else {
            p = prob[r * k + c];
            target = y[r] == c ? 1 : 0;
          }
          double w = classWeight[y[r]];
          grad[r] = w * (p - target);
          hess[r] = w * Math.max(MIN_HESSIAN, p * (1 - p));
        }
        TreeGrower.Tree tree = TreeGrower.regression(bins, grad, hess, idx, o.boostDepth(), o.lambda(),
            MIN_CHILD_WEIGHT, o.learningRate(), o.threads());
        grown[round * perRound + c] = tree;
        for (int r = 0; r < n; r++) {
          raw[r * perRound + c] += tree.value()[leaf(tree, data, r * cols)];
        }
      }
    }
    return new GradientBoosting(List.copyOf(classes), cols, o.rounds(), o.learningRate(), o.boostDepth(), o.lambda(),
        base, Classifiers.concat(grown, 1));
  }

  private static int leaf(TreeGrower.Tree t, float[] x, int offset) {
    int n = 0;
    int f;
    while ((f = t.feature()[n]) >= 0) {
      n = x[offset + f] > t.threshold()[n] ? t.right()[n] : t.left()[n];
    }
    return n;
  }

  /** Writes softmax(raw[from .. from + k)) into out[at ..]. */
  private static void softmax(double[] raw, int from, int k, double[] out, int at) {
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < k; c++) {
      max = Math.max(max, raw[from + c]);
    }
    double sum = 0;
    for (int c = 0; c < k; c++) {
      double e = Math.exp(raw[from + c] - max);
      out[at + c] = e;
      sum += e;
    }
    for (int c = 0; c < k; c++) {
      out[at + c] /= sum;
    }
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

  /** Boosting rounds. */
  public int rounds() {
    return rounds;
  }

  @Override
  public void predictProba(Matrix x, double[] out) {
    Classifiers.checkBatch(this, x, out);
    int k = classes.size();
    float[] data = x.data();
    int cols = x.cols();
    Classifiers.forRowBlocks(x.rows(), (from, to) -> {
      double[] raw = new double[perRound];
      for (int r = from; r < to; r++) {
        System.arraycopy(base, 0, raw, 0, perRound);
        for (int t = 0; t < trees.trees(); t++) {
          raw[t % perRound] += trees.value[trees.leaf(t, data, r * cols)];
        }
        if (k == 2) {
          double p = 1 / (1 + Math.exp(-raw[0]));
          out[r * 2] = 1 - p;
          out[r * 2 + 1] = p;
        } else {
          softmax(raw, 0, k, out, r * k);
        }
      }
    });
  }

  @Override
  public void writeTo(ModelArchive.Builder archive, String prefix) {
    ObjectNode p = Classifiers.paramsNode(archive, prefix, this, ARCHIVE_VERSION);
    p.put("rounds", rounds);
    p.put("learning_rate", learningRate);
    p.put("depth", depth);
    p.put("lambda", lambda);
    p.put("nodes", trees.nodes());
    archive.put(prefix + ".base", base.clone());
    trees.writeTo(archive, prefix);
  }

  /**
   * Reads a model written by {@link #writeTo}; every parameter, array length, feature id, child
   * index and value is checked.
   *
   * @throws ModelFormatException if anything is missing, malformed or inconsistent
   */
  public static GradientBoosting readFrom(ModelArchive archive, String prefix) throws ModelFormatException {
    DetectorParams p = Classifiers.params(archive, prefix, KIND, ARCHIVE_VERSION);
    List<String> classes = Classifiers.readClasses(archive, prefix, p);
    int features = (int) p.integer("features", 1, Integer.MAX_VALUE);
    int rounds = (int) p.integer("rounds", 1, Integer.MAX_VALUE);
    double learningRate = p.number("learning_rate", Double.MIN_VALUE, Double.MAX_VALUE);
    int depth = (int) p.integer("depth", 1, 64);
    double lambda = p.number("lambda", 0, Double.MAX_VALUE);
    int perRound = classes.size() == 2 ? 1 : classes.size();
    if ((long) rounds * perRound > Integer.MAX_VALUE) {
      throw p.error("too many trees");
    }
    double[] base = archive.doubles(prefix + ".base").clone();
    if (base.length != perRound || Arrays.stream(base).anyMatch(v -> !Double.isFinite(v))) {
      throw p.error("base must hold " + perRound + " finite scores");
    }
    TreeArrays trees = TreeArrays.readFrom(archive, prefix, p, rounds * perRound, features, 1);
    if (p.integer("nodes", 1, Integer.MAX_VALUE) != trees.nodes()) {
      throw p.error("nodes does not match the arrays");
    }
    return new GradientBoosting(classes, features, rounds, learningRate, depth, lambda, base, trees);
  }

  @Override
  public String toString() {
    return "GradientBoosting[" + rounds + " rounds, " + trees.nodes() + " nodes, " + features + " features, classes "
        + classes + "]";
  }
}
