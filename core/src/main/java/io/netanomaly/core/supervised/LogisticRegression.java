package io.netanomaly.core.supervised;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netanomaly.core.detect.Matrix;
import io.netanomaly.core.detect.iforest.DetectorParams;
import io.netanomaly.core.model.ModelArchive;
import io.netanomaly.core.model.ModelFormatException;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Multinomial logistic regression (softmax over {@code k} linear scores) on standardised inputs
 * ({@code (x − mean) / sd} per feature, from the training rows; constant features get sd 1),
 * trained by mini-batch Adam on class-weighted cross-entropy plus an L2 penalty on the weights
 * (not the biases). Non-finite inputs count as the training mean.
 *
 * <p>Deterministic: batches are drawn from {@code new SplittableRandom(seed)} and training runs on
 * one thread. Immutable and thread-safe.
 */
public final class LogisticRegression implements Classifier {
  /** The {@link #kind()} of this family. */
  public static final String KIND = "logreg";
  /** Version of the parameters and arrays this class writes (and reads). */
  public static final int ARCHIVE_VERSION = 1;

  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.999;
  private static final double EPSILON = 1e-8;

  private final List<String> classes;
  private final int features;
  private final double[] mean;
  private final double[] scale;
  /** weights[c * features + j]: weight of standardised feature j in the score of class c. */
  private final double[] weights;
  private final double[] bias;

  private LogisticRegression(List<String> classes, int features, double[] mean, double[] scale, double[] weights,
      double[] bias) {
    this.classes = classes;
    this.features = features;
    this.mean = mean;
    this.scale = scale;
    this.weights = weights;
    this.bias = bias;
  }

  static LogisticRegression train(Matrix x, int[] y, List<String> classes, ClassifierOptions o) {
    int k = classes.size();
    int n = x.rows();
    int f = x.cols();
    float[] data = x.data();
    double[] mean = new double[f];
    double[] scale = new double[f];
    for (int j = 0; j < f; j++) {
      double s = 0;
      int m = 0;
      for (int r = 0; r < n; r++) {
        double v = data[r * f + j];
        if (Double.isFinite(v)) {
          s += v;
          m++;
        }
      }
      mean[j] = m == 0 ? 0 : s / m;
      double ss = 0;
      for (int r = 0; r < n; r++) {
        double v = data[r * f + j];
        if (Double.isFinite(v)) {
          ss += (v - mean[j]) * (v - mean[j]);
        }
      }
      double sd = m == 0 ? 0 : Math.sqrt(ss / m);
      scale[j] = sd > 1e-12 ? sd : 1;
    }
    double[] z = new double[n * f];
    for (int r = 0; r < n; r++) {
      standardise(data, r * f, f, mean, scale, z, r * f);
    }
    double[] classWeight = o.classWeights(y, k);
    double[] w = new double[k * f];
    double[] b = new double[k];
    double[] gw = new double[k * f];
    double[] gb = new double[k];
    double[] mw = new double[k * f];
    double[] vw = new double[k * f];
    double[] mb = new double[k];
    double[] vb = new double[k];
    double[] p = new double[k];
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    SplittableRandom rng = new SplittableRandom(o.seed());
    int batch = Math.min(o.batchSize(), n);
    long step = 0;
    for (int epoch = 0; epoch < o.epochs(); epoch++) {
      for (int i = n - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
      for (int from = 0; from < n; from += batch) {
        int to = Math.min(n, from + batch);
        Arrays.fill(gw, 0);
        Arrays.fill(gb, 0);
        for (int i = from; i < to; i++) {
          int r = order[i];
          scores(w, b, z, r * f, f, k, p);
          double rw = classWeight[y[r]];
          for (int c = 0; c < k; c++) {
            double d = rw * (p[c] - (y[r] == c ? 1 : 0));
            if (d == 0) {
              continue;
            }
            gb[c] += d;
            int wo = c * f;
            int zo = r * f;
            for (int j = 0; j < f; j++) {
              gw[wo + j] += d * z[zo + j];
            }
          }
        }
        double inv = 1.0 / (to - from);
        step++;
        double c1 = 1 - Math.pow(BETA1, step);
        double c2 = 1 - Math.pow(BETA2, step);
        double lr = o.stepSize();
        for (int q = 0; q < w.length; q++) {
          double g = gw[q] * inv + o.l2() * w[q];
          mw[q] = BETA1 * mw[q] + (1 - BETA1) * g;
          vw[q] = BETA2 * vw[q] + (1 - BETA2) * g * g;
          w[q] -= lr * (mw[q] / c1) / (Math.sqrt(vw[q] / c2) + EPSILON);
        }
        for (int c = 0; c < k; c++) {
          double g = gb[c] * inv;
          mb[c] = BETA1 * mb[c] + (1 - BETA1) * g;
          vb[c] = BETA2 * vb[c] + (1 - BETA2) * g * g;
          b[c] -= lr * (mb[c] / c1) / (Math.sqrt(vb[c] / c2) + EPSILON);
        }
      }
    }
    return new LogisticRegression(List.copyOf(classes), f, mean, scale, w, b);
  }

  private static void standardise(float[] x, int from, int f, double[] mean, double[] scale, double[] out, int at) {
    for (int j = 0; j < f; j++) {
      double v = x[from + j];
      out[at + j] = Double.isFinite(v) ? (v - mean[j]) / scale[j] : 0;
    }
  }

  /** Softmax of the linear scores of standardised row z[at ..] into p. */
  private static void scores(double[] w, double[] b, double[] z, int at, int f, int k, double[] p) {
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < k; c++) {
      double s = b[c];
      int wo = c * f;
      for (int j = 0; j < f; j++) {
        s += w[wo + j] * z[at + j];
      }
      p[c] = s;
      max = Math.max(max, s);
    }
    double sum = 0;
    for (int c = 0; c < k; c++) {
      p[c] = Math.exp(p[c] - max);
      sum += p[c];
    }
    for (int c = 0; c < k; c++) {
      p[c] /= sum;
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

  @Override
  public void predictProba(Matrix x, double[] out) {
    Classifiers.checkBatch(this, x, out);
    int k = classes.size();
    float[] data = x.data();
    Classifiers.forRowBlocks(x.rows(), (from, to) -> {
      double[] z = new double[features];
      double[] p = new double[k];
      for (int r = from; r < to; r++) {
        standardise(data, r * features, features, mean, scale, z, 0);
        scores(weights, bias, z, 0, features, k, p);
        System.arraycopy(p, 0, out, r * k, k);
      }
    });
  }

  @Override
  public void writeTo(ModelArchive.Builder archive, String prefix) {
    Classifiers.paramsNode(archive, prefix, this, ARCHIVE_VERSION);
    archive.put(prefix + ".mean", mean.clone());
    archive.put(prefix + ".scale", scale.clone());
    archive.put(prefix + ".weights", weights.clone());
    archive.put(prefix + ".bias", bias.clone());
  }

  /**
   * Reads a model written by {@link #writeTo}; array lengths are checked against the features and
   * classes, every value must be finite and every scale positive.
   *
   * @throws ModelFormatException if anything is missing, malformed or inconsistent
   */
  public static LogisticRegression readFrom(ModelArchive archive, String prefix) throws ModelFormatException {
    DetectorParams p = Classifiers.params(archive, prefix, KIND, ARCHIVE_VERSION);
    List<String> classes = Classifiers.readClasses(archive, prefix, p);
    int features = (int) p.integer("features", 1, Integer.MAX_VALUE);
    int k = classes.size();
    double[] mean = archive.doubles(prefix + ".mean").clone();
    double[] scale = archive.doubles(prefix + ".scale").clone();
    double[] weights = archive.doubles(prefix + ".weights").clone();
    double[] bias = archive.doubles(prefix + ".bias").clone();
    if (mean.length != features || scale.length != features || weights.length != (long) k * features
        || bias.length != k) {
      throw p.error("mean, scale, weights or bias has the wrong length");
    }
    for (double[] a : new double[][] {mean, scale, weights, bias}) {
      for (double v : a) {
        if (!Double.isFinite(v)) {
          throw p.error("a parameter is not finite");
        }
      }
    }
    for (double s : scale) {
      if (!(s > 0)) {
        throw p.error("a feature scale is not positive");
      }
    }
    return new LogisticRegression(classes, features, mean, scale, weights, bias);
  }

  @Override
  public String toString() {
    return "LogisticRegression[" + features + " features, classes " + classes + "]";
  }
}
