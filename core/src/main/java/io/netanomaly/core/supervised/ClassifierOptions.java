package io.netanomaly.core.supervised;

import java.util.Locale;

/**
 * Training settings of the supervised families; each family uses the ones that apply to it.
 * Immutable: every {@code with…} method returns a changed copy.
 *
 * <ul>
 *   <li>all: {@code seed}, {@code threads}, {@code balanced} (class weights {@code n / (k · n_c)}
 *       so that every class weighs the same in total, capped at {@link #maxClassWeight()});</li>
 *   <li>{@code rf}: {@code trees} (100), {@code maxDepth} (0 = unlimited), {@code minLeaf} (1),
 *       features per split ({@code maxFeatures}, 0 = √features);</li>
 *   <li>{@code gbm}: {@code rounds} (150), {@code learningRate} (0.1), {@code boostDepth} (6),
 *       {@code lambda} (1, L2 on leaf values);</li>
 *   <li>{@code logreg}: {@code epochs} (40), {@code stepSize} (0.01, Adam), {@code l2} (1e-4),
 *       mini-batches of {@code batchSize} (256).</li>
 * </ul>
 */
public final class ClassifierOptions {
  private final long seed;
  private final int threads;
  private final boolean balanced;
  private final double maxClassWeight;
  private final int trees;
  private final int maxDepth;
  private final int minLeaf;
  private final int maxFeatures;
  private final int rounds;
  private final double learningRate;
  private final int boostDepth;
  private final double lambda;
  private final int epochs;
  private final double stepSize;
  private final double l2;
  private final int batchSize;

  private ClassifierOptions(long seed, int threads, boolean balanced, double maxClassWeight, int trees, int maxDepth,
      int minLeaf, int maxFeatures, int rounds, double learningRate, int boostDepth, double lambda, int epochs,
      double stepSize, double l2, int batchSize) {
    this.seed = seed;
    this.threads = threads;
    this.balanced = balanced;
    this.maxClassWeight = maxClassWeight;
    this.trees = trees;
    this.maxDepth = maxDepth;
    this.minLeaf = minLeaf;
    this.maxFeatures = maxFeatures;
    this.rounds = rounds;
    this.learningRate = learningRate;
    this.boostDepth = boostDepth;
    this.lambda = lambda;
    this.epochs = epochs;
    this.stepSize = stepSize;
    this.l2 = l2;
    this.batchSize = batchSize;
  }

  /** The defaults listed in the class comment, seed 0, one thread per processor, balanced weights capped at 10. */
  public static ClassifierOptions defaults() {
    return new ClassifierOptions(0, Runtime.getRuntime().availableProcessors(), true, 10, 100, 0, 1, 0, 150, 0.1, 6,
        1.0, 40, 0.01, 1e-4, 256);
  }

  private static int positive(String name, int v) {
    if (v < 1) {
      throw new IllegalArgumentException(name + ": expected a positive integer, got " + v);
    }
    return v;
  }

  private static double positive(String name, double v) {
    if (!(v > 0 && Double.isFinite(v))) {
      throw new IllegalArgumentException(name + ": expected a positive number, got " + v);
    }
    return v;
  }

  public ClassifierOptions withSeed(long seed) {
    return new ClassifierOptions(seed, threads, balanced, maxClassWeight, trees, maxDepth, minLeaf, maxFeatures,
        rounds, learningRate, boostDepth, lambda, epochs, stepSize, l2, batchSize);
  }

  /** Threads used for training and for scoring large batches (≥ 1). */
  public ClassifierOptions withThreads(int threads) {
    return new ClassifierOptions(seed, positive("threads", threads), balanced, maxClassWeight, trees, maxDepth,
        minLeaf, maxFeatures, rounds, learningRate, boostDepth, lambda, epochs, stepSize, l2, batchSize);
  }

  /** Whether classes are weighted inversely to their frequency, each weight at most {@code cap} (≥ 1). */
  public ClassifierOptions withBalanced(boolean balanced, double cap) {
    if (!(cap >= 1 && Double.isFinite(cap))) {
      throw new IllegalArgumentException("class weight cap: expected a number ≥ 1, got " + cap);
    }
    return new ClassifierOptions(seed, threads, balanced, cap, trees, maxDepth, minLeaf, maxFeatures, rounds,
        learningRate, boostDepth, lambda, epochs, stepSize, l2, batchSize);
  }

  /** Random forest: number of trees. */
  public ClassifierOptions withTrees(int trees) {
    return new ClassifierOptions(seed, threads, balanced, maxClassWeight, positive("trees", trees), maxDepth, minLeaf,
        maxFeatures, rounds, learningRate, boostDepth, lambda, epochs, stepSize, l2, batchSize);
  }

  /** Random forest: depth limit, 0 for none. */
  public ClassifierOptions withMaxDepth(int maxDepth) {
    if (maxDepth < 0) {
      throw new IllegalArgumentException("max depth: expected 0 (unlimited) or more, got " + maxDepth);
    }
    return new ClassifierOptions(seed, threads, balanced, maxClassWeight, trees, maxDepth, minLeaf, maxFeatures,
        rounds, learningRate, boostDepth, lambda, epochs, stepSize, l2, batchSize);
  }

  /** Random forest: fewest training rows in a leaf. */
  public ClassifierOptions withMinLeaf(int minLeaf) {
    return new ClassifierOptions(seed, threads, balanced, maxClassWeight, trees, maxDepth, positive("min leaf", minLeaf),
        maxFeatures, rounds, learningRate, boostDepth, lambda, epochs, stepSize, l2, batchSize);
  }

  /** Random forest: features tried per split, 0 for √features. */
  public ClassifierOptions withMaxFeatures(int maxFeatures) {
    if (maxFeatures < 0) {
      throw new IllegalArgumentException("max features: expected 0 (√features) or more, got " + maxFeatures);
    }
    return new ClassifierOptions(seed, threads, balanced, maxClassWeight, trees, maxDepth, minLeaf, maxFeatures,
        rounds, learningRate, boostDepth, lambda, epochs, stepSize, l2, batchSize);
  }

  /** Gradient boosting: rounds, learning rate (shrinkage), tree depth and L2 penalty λ on leaf values. */
  public ClassifierOptions withBoosting(int rounds, double learningRate, int depth, double lambda) {
    if (!(lambda >= 0 && Double.isFinite(lambda))) {
      throw new IllegalArgumentException("lambda: expected a number ≥ 0, got " + lambda);
    }
    return new ClassifierOptions(seed, threads, balanced, maxClassWeight, trees, maxDepth, minLeaf, maxFeatures,
        positive("rounds", rounds), positive("learning rate", learningRate), positive("depth", depth), lambda, epochs,
        stepSize, l2, batchSize);
  }

  /** Logistic regression: epochs, Adam step size, L2 penalty and mini-batch size. */
  public ClassifierOptions withLogistic(int epochs, double stepSize, double l2, int batchSize) {
    if (!(l2 >= 0 && Double.isFinite(l2))) {
      throw new IllegalArgumentException("l2: expected a number ≥ 0, got " + l2);
    }
    return new ClassifierOptions(seed, threads, balanced, maxClassWeight, trees, maxDepth, minLeaf, maxFeatures,
        rounds, learningRate, boostDepth, lambda, positive("epochs", epochs), positive("step size", stepSize), l2,
        positive("batch size", batchSize));
  }

  public long seed() {
    return seed;
  }

  public int threads() {
    return threads;
  }

  public boolean balanced() {
    return balanced;
  }

  public double maxClassWeight() {
    return maxClassWeight;
  }

  public int trees() {
    return trees;
  }

  public int maxDepth() {
    return maxDepth;
  }

  public int minLeaf() {
    return minLeaf;
  }

  public int maxFeatures() {
    return maxFeatures;
  }

  public int rounds() {
    return rounds;
  }

  public double learningRate() {
    return learningRate;
  }

  public int boostDepth() {
    return boostDepth;
  }

  public double lambda() {
    return lambda;
  }

  public int epochs() {
    return epochs;
  }

  public double stepSize() {
    return stepSize;
  }

  public double l2() {
    return l2;
  }

  public int batchSize() {
    return batchSize;
  }

  /** Per-class weights for labels {@code y} in [0, k): all 1, or balanced and capped. */
  double[] classWeights(int[] y, int k) {
    double[] wt = new double[k];
    java.util.Arrays.fill(wt, 1.0);
    if (!balanced) {
      return wt;
    }
    long[] count = new long[k];
    for (int v : y) {
      count[v]++;
    }
    for (int c = 0; c < k; c++) {
      if (count[c] > 0) {
        wt[c] = Math.min(maxClassWeight, (double) y.length / (k * count[c]));
      }
    }
    return wt;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT,
        "seed=%d threads=%d balanced=%s cap=%.3g rf(trees=%d depth=%d leaf=%d mtry=%d) gbm(rounds=%d lr=%.3g depth=%d λ=%.3g)"
            + " logreg(epochs=%d step=%.3g l2=%.3g batch=%d)",
        seed, threads, balanced, maxClassWeight, trees, maxDepth, minLeaf, maxFeatures, rounds, learningRate,
        boostDepth, lambda, epochs, stepSize, l2, batchSize);
  }
}
