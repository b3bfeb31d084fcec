package io.netanomaly.core.detect.autoencoder;

import io.netanomaly.core.detect.DetectorWorkers;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One training run of an autoencoder: mini-batch gradient descent with Adam (Kingma and Ba 2015),
 * L2 weight decay and early stopping on a held-out validation split.
 *
 * <p>Determinism: every random draw (validation split, weight initialisation, epoch shuffles)
 * comes from one {@link SplittableRandom} seeded once, and a mini-batch's gradient is computed in
 * fixed chunks of {@code max(16, ceil(batch / 64))} rows, each into its own buffer, then summed in chunk order on
 * one thread. Which thread computes a chunk never changes a bit of the result, so the trained
 * weights are identical for any thread count.
 *
 * <p>Not thread-safe: one instance is one run, used by one caller.
 */
final class AdamTraining {
  /** Least rows per gradient chunk, the unit of parallel work within a mini-batch. */
  static final int MIN_CHUNK_ROWS = 16;
  /** Most chunks per mini-batch: bounds the gradient buffers for large batches. */
  static final int MAX_CHUNKS = 64;
  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.999;
  private static final double EPSILON = 1e-8;

  private final Network net;
  private final double[] data;
  private final int features;
  private final int threads;
  private final int chunkRows;
  private final double[] weights;
  private final double[] biases;
  private final double[][] chunkGradW;
  private final double[][] chunkGradB;
  private final double[][] chunkAct;
  private final double[][] chunkDelta;
  private final double[][] chunkDeltaPrev;
  private final double[] mW;
  private final double[] vW;
  private final double[] mB;
  private final double[] vB;
  private long step;

  /** Result of {@link #run}: the weights kept and how training went. */
  record Outcome(double[] weights, double[] biases, int epochsTrained, double validationLoss) {}

  /**
   * @param data standardised training rows, row-major, {@code features} columns
   * @param batchSize rows per step (at most the training rows; sets the chunk size)
   */
  AdamTraining(Network net, double[] data, int threads, int batchSize) {
    this.net = net;
    this.data = data;
    this.features = net.inputs();
    this.threads = threads;
    this.weights = new double[net.weightCount];
    this.biases = new double[net.biasCount];
    this.chunkRows = Math.max(MIN_CHUNK_ROWS, (batchSize + MAX_CHUNKS - 1) / MAX_CHUNKS);
    int chunks = (batchSize + chunkRows - 1) / chunkRows;
    chunkGradW = new double[chunks][net.weightCount];
    chunkGradB = new double[chunks][net.biasCount];
    chunkAct = new double[chunks][net.unitCount];
    chunkDelta = new double[chunks][net.maxWidth];
    chunkDeltaPrev = new double[chunks][net.maxWidth];
    mW = new double[net.weightCount];
    vW = new double[net.weightCount];
    mB = new double[net.biasCount];
    vB = new double[net.biasCount];
  }

  /**
   * Trains and returns the weights of the epoch with the lowest validation loss (or of the last
   * epoch when there is no validation split).
   */
  Outcome run(int rows, long seed, int epochs, int batchSize, double learningRate, double l2,
      double validationFraction, int patience) {
    SplittableRandom rng = new SplittableRandom(seed);
    int[] order = new int[rows];
    for (int i = 0; i < rows; i++) {
      order[i] = i;
    }
    shuffle(order, 0, rows, rng);
    int validation = (int) Math.floor(validationFraction * rows);
    if (rows - validation < 2) {
      validation = 0;
    }
    int[] validationRows = Arrays.copyOf(order, validation);
    int[] trainRows = Arrays.copyOfRange(order, validation, rows);
    initialise(rng.split());

    double best = Double.POSITIVE_INFINITY;
    double[] bestW = validation > 0 ? weights.clone() : null;
    double[] bestB = validation > 0 ? biases.clone() : null;
    double[] validationErrors = new double[validation];
    int stale = 0;
    int epoch = 0;
    while (epoch < epochs) {
      epoch++;
      shuffle(trainRows, 0, trainRows.length, rng);
      for (int start = 0; start < trainRows.length; start += batchSize) {
        int size = Math.min(batchSize, trainRows.length - start);
        batchStep(trainRows, start, size, learningRate, l2);
      }
      if (validation > 0) {
        reconstructionErrors(validationRows, validationErrors);
        double loss = 0;
        for (double e : validationErrors) {
          loss += e;
        }
        loss /= validation;
        if (loss < best) {
          best = loss;
          System.arraycopy(weights, 0, bestW, 0, weights.length);
          System.arraycopy(biases, 0, bestB, 0, biases.length);
          stale = 0;
        } else if (++stale >= patience) {
          break;
        }
      }
    }
    if (validation > 0) {
      return new Outcome(bestW, bestB, epoch, best);
    }
    return new Outcome(weights.clone(), biases.clone(), epoch, Double.NaN);
  }

  /** Glorot-uniform weights for tanh, He-uniform for ReLU; biases 0. */
  private void initialise(SplittableRandom rng) {
    for (int l = 0; l < net.layers(); l++) {
      int in = net.sizes[l];
      int out = net.sizes[l + 1];
      double limit = net.activation == Autoencoder.Activation.RELU && l < net.layers() - 1
          ? Math.sqrt(6.0 / in)
          : Math.sqrt(6.0 / (in + out));
      int base = net.weightOffset[l];
      for (int i = 0; i < in * out; i++) {
        weights[base + i] = (2 * rng.nextDouble() - 1) * limit;
      }
    }
  }

  private static void shuffle(int[] a, int from, int to, SplittableRandom rng) {
    for (int i = to - 1; i > from; i--) {
      int j = from + rng.nextInt(i - from + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  private void batchStep(int[] rows, int start, int size, double learningRate, double l2) {
    int chunks = (size + chunkRows - 1) / chunkRows;
    double scale = 1.0 / ((double) features * size);
    AtomicInteger next = new AtomicInteger();
    DetectorWorkers.run(Math.min(threads, chunks), () -> {
      int c;
      while ((c = next.getAndIncrement()) < chunks) {
        double[] gW = chunkGradW[c];
        double[] gB = chunkGradB[c];
        double[] act = chunkAct[c];
        Arrays.fill(gW, 0.0);
        Arrays.fill(gB, 0.0);
        int from = start + c * chunkRows;
        int to = Math.min(start + size, from + chunkRows);
        for (int r = from; r < to; r++) {
          System.arraycopy(data, rows[r] * features, act, 0, features);
          net.forward(weights, biases, act);
          net.backward(weights, act, scale, gW, gB, chunkDelta[c], chunkDeltaPrev[c]);
        }
      }
    });
    double[] gW = chunkGradW[0];
    double[] gB = chunkGradB[0];
    for (int c = 1; c < chunks; c++) {
      double[] w = chunkGradW[c];
      for (int i = 0; i < gW.length; i++) {
        gW[i] += w[i];
      }
      double[] b = chunkGradB[c];
      for (int i = 0; i < gB.length; i++) {
        gB[i] += b[i];
      }
    }
    step++;
    double correction1 = 1 - StrictMath.pow(BETA1, step);
    double correction2 = 1 - StrictMath.pow(BETA2, step);
    double rate = learningRate * Math.sqrt(correction2) / correction1;
    for (int i = 0; i < weights.length; i++) {
      double g = gW[i] + l2 * weights[i];
      mW[i] = BETA1 * mW[i] + (1 - BETA1) * g;
      vW[i] = BETA2 * vW[i] + (1 - BETA2) * g * g;
      weights[i] -= rate * mW[i] / (Math.sqrt(vW[i]) + EPSILON);
    }
    for (int i = 0; i < biases.length; i++) {
      double g = gB[i];
      mB[i] = BETA1 * mB[i] + (1 - BETA1) * g;
      vB[i] = BETA2 * vB[i] + (1 - BETA2) * g * g;
      biases[i] -= rate * mB[i] / (Math.sqrt(vB[i]) + EPSILON);
    }
  }

  /** Mean squared reconstruction error of each of {@code rows} into {@code out}, in parallel chunks. */
  private void reconstructionErrors(int[] rows, double[] out) {
    int chunks = (rows.length + chunkRows - 1) / chunkRows;
    AtomicInteger next = new AtomicInteger();
    int outBase = net.unitOffset[net.layers()];
    DetectorWorkers.run(Math.min(threads, chunks), () -> {
      double[] act = new double[net.unitCount];
      int c;
      while ((c = next.getAndIncrement()) < chunks) {
        for (int r = c * chunkRows; r < Math.min(rows.length, (c + 1) * chunkRows); r++) {
          System.arraycopy(data, rows[r] * features, act, 0, features);
          net.forward(weights, biases, act);
          double sum = 0;
          for (int f = 0; f < features; f++) {
            double e = act[outBase + f] - act[f];
            sum += e * e;
          }
          out[r] = sum / features;
        }
      }
    });
  }
}
