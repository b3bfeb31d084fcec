package io.netanomaly.core.supervised;

import io.netanomaly.core.detect.DetectorWorkers;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Grows one tree on {@link FeatureBins} by histogram split search, in pre-order (a node's left
 * subtree directly follows it), without recursion. Two criteria: weighted Gini for classification
 * trees (leaves hold class probabilities) and the second-order gain of gradient boosting for
 * regression trees (leaves hold {@code -G / (H + λ)} times the learning rate). Not thread-safe: one
 * grower per tree being grown.
 */
final class TreeGrower {
  private final FeatureBins bins;
  private final int width;
  private int nodes;
  private int[] feature = new int[64];
  private float[] threshold = new float[64];
  private int[] left = new int[64];
  private int[] right = new int[64];
  private double[] value = new double[64];

  private TreeGrower(FeatureBins bins, int width) {
    this.bins = bins;
    this.width = width;
    this.value = new double[64 * width];
  }

  /** One grown tree: node arrays with tree-local child indices. */
  record Tree(int[] feature, float[] threshold, int[] left, int[] right, double[] value) {
    int nodes() {
      return feature.length;
    }
  }

  private int newNode(int parent, boolean isLeft) {
    if (nodes == feature.length) {
      int n = nodes * 2;
      feature = Arrays.copyOf(feature, n);
      threshold = Arrays.copyOf(threshold, n);
      left = Arrays.copyOf(left, n);
      right = Arrays.copyOf(right, n);
      value = Arrays.copyOf(value, n * width);
    }
    int id = nodes++;
    feature[id] = -1;
    left[id] = -1;
    right[id] = -1;
    if (parent >= 0) {
      if (isLeft) {
        left[parent] = id;
      } else {
        right[parent] = id;
      }
    }
    return id;
  }

  private Tree finish() {
    return new Tree(Arrays.copyOf(feature, nodes), Arrays.copyOf(threshold, nodes), Arrays.copyOf(left, nodes),
        Arrays.copyOf(right, nodes), Arrays.copyOf(value, nodes * width));
  }

  /** Pending node: rows idx[start, end) at depth, child of parent on one side. */
  private record Task(int start, int end, int depth, int parent, boolean isLeft) {}

  /** Moves rows of idx[start, end) with bin ≤ bin in feature f to the front; returns the split point. */
  private int partition(int[] idx, int start, int end, int f, int bin) {
    byte[] c = bins.codes[f];
    int i = start;
    int j = end - 1;
    while (i <= j) {
      if ((c[idx[i]] & 0xFF) <= bin) {
        i++;
      } else {
        int t = idx[i];
        idx[i] = idx[j];
        idx[j--] = t;
      }
    }
    return i;
  }

  /**
   * A classification tree over rows {@code idx} (reordered in place) with labels {@code y} in
   * [0, k) and row weights {@code w}: Gini splits among {@code mtry} randomly drawn non-constant
   * features per node (more are drawn while the ones drawn are constant), leaves of at least
   * {@code minLeaf} rows, depth at most {@code maxDepth}.
   */
  static Tree classification(FeatureBins bins, int[] y, int k, double[] w, int[] idx, int mtry, int maxDepth,
      int minLeaf, SplittableRandom rng) {
    TreeGrower g = new TreeGrower(bins, k);
    int features = bins.features;
    int[] perm = new int[features];
    for (int i = 0; i < features; i++) {
      perm[i] = i;
    }
    double[] hist = new double[FeatureBins.MAX_BINS * k];
    int[] count = new int[FeatureBins.MAX_BINS];
    double[] totals = new double[k];
    double[] leftSum = new double[k];
    java.util.ArrayDeque<Task> stack = new java.util.ArrayDeque<>();
    stack.push(new Task(0, idx.length, 0, -1, true));
    while (!stack.isEmpty()) {
      Task task = stack.pop();
      int node = g.newNode(task.parent, task.isLeft);
      Arrays.fill(totals, 0);
      for (int i = task.start; i < task.end; i++) {
        totals[y[idx[i]]] += w[idx[i]];
      }
      double total = 0;
      double parentScore = 0;
      int present = 0;
      for (double t : totals) {
        total += t;
        parentScore += t * t;
        present += t > 0 ? 1 : 0;
      }
      int rows = task.end - task.start;
      int bestFeature = -1;
      int bestBin = -1;
      double bestScore = Double.NEGATIVE_INFINITY;
      if (present > 1 && rows >= 2 * minLeaf && task.depth < maxDepth) {
        int visited = 0;
        for (int i = 0; i < features && visited < mtry; i++) {
          int swap = i + rng.nextInt(features - i);
          int f = perm[swap];
          perm[swap] = perm[i];
          perm[i] = f;
          int nb = bins.bins(f);
          if (nb < 2) {
            continue;
          }
          Arrays.fill(hist, 0, nb * k, 0);
          Arrays.fill(count, 0, nb, 0);
          byte[] c = bins.codes[f];
          int occupied = 0;
          for (int j = task.start; j < task.end; j++) {
            int r = idx[j];
            int b = c[r] & 0xFF;
            occupied += count[b] == 0 ? 1 : 0;
            count[b]++;
            hist[b * k + y[r]] += w[r];
          }
          if (occupied < 2) {
            continue;
          }
          visited++;
          Arrays.fill(leftSum, 0);
          double wl = 0;
          double sqL = 0;
          double sqR = parentScore;
          int nl = 0;
          for (int b = 0; b < nb - 1; b++) {
            if (count[b] == 0) {
              continue;
            }
            nl += count[b];
            for (int cl = 0; cl < k; cl++) {
              double h = hist[b * k + cl];
              if (h != 0) {
                double lo = leftSum[cl];
                double hi = totals[cl] - lo;
                sqL += h * (2 * lo + h);
                sqR += h * (h - 2 * hi);
                leftSum[cl] = lo + h;
                wl += h;
              }
            }
            if (nl < minLeaf || rows - nl < minLeaf) {
              continue;
            }
            double wr = total - wl;
            if (wl <= 0 || wr <= 0) {
              continue;
            }
            double score = sqL / wl + sqR / wr;
            if (score > bestScore) {
              bestScore = score;
              bestFeature = f;
              bestBin = b;
            }
          }
        }
      }
      if (bestFeature < 0) {
        for (int cl = 0; cl < k; cl++) {
          g.value[node * k + cl] = totals[cl] / total;
        }
        continue;
      }
      g.feature[node] = bestFeature;
      g.threshold[node] = bins.edges[bestFeature][bestBin];
      int mid = g.partition(idx, task.start, task.end, bestFeature, bestBin);
      stack.push(new Task(mid, task.end, task.depth + 1, node, false));
      stack.push(new Task(task.start, mid, task.depth + 1, node, true));
    }
    return g.finish();
  }

  /**
   * A regression tree for one boosting step over rows {@code idx} (reordered in place) with
   * gradients {@code grad} and Hessians {@code hess}: splits over all features maximise
   * {@code GL²/(HL+λ) + GR²/(HR+λ) − G²/(H+λ)} with at least {@code minChildWeight} Hessian on each
   * side, depth at most {@code maxDepth}; leaves hold {@code −G/(H+λ) · rate}. Histograms of a
   * node are built on {@code threads} threads, one feature at a time, and reduced in feature
   * order, so the tree does not depend on the thread count.
   */
  static Tree regression(FeatureBins bins, double[] grad, double[] hess, int[] idx, int maxDepth, double lambda,
      double minChildWeight, double rate, int threads) {
    TreeGrower g = new TreeGrower(bins, 1);
    int features = bins.features;
    double[] bestGain = new double[features];
    int[] bestBin = new int[features];
    java.util.ArrayDeque<Task> stack = new java.util.ArrayDeque<>();
    stack.push(new Task(0, idx.length, 0, -1, true));
    while (!stack.isEmpty()) {
      Task task = stack.pop();
      int node = g.newNode(task.parent, task.isLeft);
      double sg = 0;
      double sh = 0;
      for (int i = task.start; i < task.end; i++) {
        sg += grad[idx[i]];
        sh += hess[idx[i]];
      }
      int f = -1;
      int bin = -1;
      if (task.depth < maxDepth && task.end - task.start >= 2) {
        double totalG = sg;
        double totalH = sh;
        double parent = sg * sg / (sh + lambda);
        AtomicInteger next = new AtomicInteger();
        int workers = Math.max(1, Math.min(threads, (task.end - task.start) * features / 65_536));
        DetectorWorkers.run(workers, () -> {
          double[] hg = new double[FeatureBins.MAX_BINS];
          double[] hh = new double[FeatureBins.MAX_BINS];
          for (int ff; (ff = next.getAndIncrement()) < features; ) {
            bestGain[ff] = splitGain(bins, ff, idx, task.start, task.end, grad, hess, hg, hh, totalG, totalH, parent,
                lambda, minChildWeight, bestBin);
          }
        });
        double best = 1e-12;
        for (int ff = 0; ff < features; ff++) {
          if (bestGain[ff] > best) {
            best = bestGain[ff];
            f = ff;
            bin = bestBin[ff];
          }
        }
      }
      if (f < 0) {
        g.value[node] = -sg / (sh + lambda) * rate;
        continue;
      }
      g.feature[node] = f;
      g.threshold[node] = bins.edges[f][bin];
      int mid = g.partition(idx, task.start, task.end, f, bin);
      stack.push(new Task(mid, task.end, task.depth + 1, node, false));
      stack.push(new Task(task.start, mid, task.depth + 1, node, true));
    }
    return g.finish();
  }

  /** Best gain of feature f (−∞ when it cannot split), its bin stored in bestBin[f]. */
  private static double splitGain(FeatureBins bins, int f, int[] idx, int start, int end, double[] grad,
      double[] hess, double[] hg, double[] hh, double totalG, double totalH, double parent, double lambda,
      double minChildWeight, int[] bestBin) {
    int nb = bins.bins(f);
    if (nb < 2) {
      return Double.NEGATIVE_INFINITY;
    }
    Arrays.fill(hg, 0, nb, 0);
    Arrays.fill(hh, 0, nb, 0);
    byte[] c = bins.codes[f];
    for (int j = start; j < end; j++) {
      int r = idx[j];
      int b = c[r] & 0xFF;
      hg[b] += grad[r];
      hh[b] += hess[r];
    }
    double best = Double.NEGATIVE_INFINITY;
    double gl = 0;
    double hl = 0;
    for (int b = 0; b < nb - 1; b++) {
      if (hh[b] == 0) {
        continue;
      }
      gl += hg[b];
      hl += hh[b];
      double hr = totalH - hl;
      if (hl < minChildWeight || hr < minChildWeight) {
        continue;
      }
      double gr = totalG - gl;
      double gain = gl * gl / (hl + lambda) + gr * gr / (hr + lambda) - parent;
      if (gain > best) {
        best = gain;
        bestBin[f] = b;
      }
    }
    return best;
  }
}
