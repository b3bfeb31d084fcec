package io.netanomaly.core.detect.dbscan;

import io.netanomaly.core.detect.Matrix;
import java.util.Arrays;
import java.util.Objects;

/**
 * Principal component analysis: the training mean, the eigenvalues of the sample covariance
 * (divisor {@code n − 1}) in descending order, and the leading unit eigenvectors ("components")
 * that together explain at least a requested fraction of the total variance. The covariance is
 * decomposed by the cyclic Jacobi method in double precision; each component's sign is fixed so
 * that its largest-magnitude entry (the first, on ties) is positive, making the result
 * deterministic.
 *
 * <p>Immutable and safe to use from several threads at once.
 */
public final class PrincipalComponents {
  private static final int MAX_SWEEPS = 100;

  private final double[] mean;
  private final double[] eigenvalues;
  /** Kept components, row-major: component {@code i} at {@code [i · features, (i + 1) · features)}. */
  private final double[] components;
  private final int features;
  private final int kept;

  private PrincipalComponents(double[] mean, double[] eigenvalues, double[] components, int kept) {
    this.mean = mean;
    this.eigenvalues = eigenvalues;
    this.components = components;
    this.features = mean.length;
    this.kept = kept;
  }

  /**
   * Fits on the rows of {@code x} and keeps the fewest leading components whose eigenvalues sum to
   * at least {@code varianceToKeep} of the total (at least one; one when the data are constant).
   *
   * @throws IllegalArgumentException if {@code x} has fewer than 2 rows, a non-finite value, or
   *     {@code varianceToKeep} is not in (0, 1]
   */
  public static PrincipalComponents fit(Matrix x, double varianceToKeep) {
    Objects.requireNonNull(x, "x");
    if (!(varianceToKeep > 0 && varianceToKeep <= 1)) {
      throw new IllegalArgumentException("varianceToKeep must be in (0, 1]: " + varianceToKeep);
    }
    int n = x.rows();
    int d = x.cols();
    if (n < 2) {
      throw new IllegalArgumentException("need at least 2 rows, got " + n);
    }
    float[] data = x.data();
    double[] mean = new double[d];
    for (int r = 0; r < n; r++) {
      for (int f = 0; f < d; f++) {
        float v = data[r * d + f];
        if (!Float.isFinite(v)) {
          throw new IllegalArgumentException("non-finite value at row " + r + ", column " + f);
        }
        mean[f] += v;
      }
    }
    for (int f = 0; f < d; f++) {
      mean[f] /= n;
    }
    double[] cov = new double[d * d];
    double[] centred = new double[d];
    for (int r = 0; r < n; r++) {
      for (int f = 0; f < d; f++) {
        centred[f] = data[r * d + f] - mean[f];
      }
      for (int i = 0; i < d; i++) {
        double ci = centred[i];
        for (int j = i; j < d; j++) {
          cov[i * d + j] += ci * centred[j];
        }
      }
    }
    for (int i = 0; i < d; i++) {
      for (int j = i; j < d; j++) {
        cov[i * d + j] /= n - 1;
        cov[j * d + i] = cov[i * d + j];
      }
    }
    double[] vectors = new double[d * d];
    double[] values = eigenSymmetric(cov, d, vectors);
    Integer[] order = new Integer[d];
    for (int i = 0; i < d; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(values[b], values[a]));
    double[] sortedValues = new double[d];
    double total = 0;
    for (int i = 0; i < d; i++) {
      sortedValues[i] = values[order[i]];
      total += Math.max(0, sortedValues[i]);
    }
    int keep = 1;
    if (total > 0) {
      double sum = Math.max(0, sortedValues[0]);
      // a relative tolerance so that "all components" is reached despite rounding
      while (keep < d && sum < varianceToKeep * total * (1 - 1e-12)) {
        sum += Math.max(0, sortedValues[keep]);
        keep++;
      }
    }
    double[] comps = new double[keep * d];
    for (int c = 0; c < keep; c++) {
      int col = order[c];
      int largest = 0;
      for (int f = 1; f < d; f++) {
        if (Math.abs(vectors[f * d + col]) > Math.abs(vectors[largest * d + col])) {
          largest = f;
        }
      }
      double sign = vectors[largest * d + col] < 0 ? -1 : 1;
      for (int f = 0; f < d; f++) {
        comps[c * d + f] = sign * vectors[f * d + col] + 0.0;
      }
    }
    return new PrincipalComponents(mean, sortedValues, comps, keep);
  }

  /**
   * Rebuilds components read from a model file; the caller has checked the lengths
   * ({@code mean} and {@code eigenvalues} of length {@code features}, {@code components} of
   * {@code kept · features}) and that all values are finite.
   */
  static PrincipalComponents of(double[] mean, double[] eigenvalues, double[] components, int kept) {
    return new PrincipalComponents(mean, eigenvalues, components, kept);
  }

  /**
   * Eigen-decomposition of the symmetric {@code d × d} matrix {@code a} (row-major, destroyed) by
   * cyclic Jacobi rotations: returns the eigenvalues and writes the eigenvectors as the columns of
   * {@code vectors}.
   */
  static double[] eigenSymmetric(double[] a, int d, double[] vectors) {
    Arrays.fill(vectors, 0);
    for (int i = 0; i < d; i++) {
      vectors[i * d + i] = 1;
    }
    double scale = 0;
    for (double v : a) {
      scale += v * v;
    }
    for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
      double off = 0;
      for (int p = 0; p < d; p++) {
        for (int q = p + 1; q < d; q++) {
          off += a[p * d + q] * a[p * d + q];
        }
      }
      if (off <= 1e-30 * scale || off == 0) {
        break;
      }
      for (int p = 0; p < d; p++) {
        for (int q = p + 1; q < d; q++) {
          double apq = a[p * d + q];
          if (apq == 0) {
            continue;
          }
          double app = a[p * d + p];
          double aqq = a[q * d + q];
          double theta = (aqq - app) / (2 * apq);
          double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
          if (theta == 0) {
            t = 1;
          }
          double c = 1 / Math.sqrt(t * t + 1);
          double s = t * c;
          for (int k = 0; k < d; k++) {
            double akp = a[k * d + p];
            double akq = a[k * d + q];
            a[k * d + p] = c * akp - s * akq;
            a[k * d + q] = s * akp + c * akq;
          }
          for (int k = 0; k < d; k++) {
            double apk = a[p * d + k];
            double aqk = a[q * d + k];
            a[p * d + k] = c * apk - s * aqk;
            a[q * d + k] = s * apk + c * aqk;
          }
          for (int k = 0; k < d; k++) {
            double vkp = vectors[k * d + p];
            double vkq = vectors[k * d + q];
            vectors[k * d + p] = c * vkp - s * vkq;
            vectors[k * d + q] = s * vkp + c * vkq;
          }
        }
      }
    }
    double[] values = new double[d];
    for (int i = 0; i < d; i++) {
      values[i] = a[i * d + i];
    }
    return values;
  }

  /** Number of input features. */
  public int features() {
    return features;
  }

  /** Number of kept components. */
  public int components() {
    return kept;
  }

  /** All eigenvalues of the covariance, descending (a copy; variance units of the input). */
  public double[] eigenvalues() {
    return eigenvalues.clone();
  }

  /** The training mean (a copy). */
  public double[] mean() {
    return mean.clone();
  }

  /** Component {@code i} (a unit vector of {@link #features()} entries; a copy). */
  public double[] component(int i) {
    Objects.checkIndex(i, kept);
    return Arrays.copyOfRange(components, i * features, (i + 1) * features);
  }

  /** Fraction of the total variance the kept components explain (1 when the data are constant). */
  public double explainedVariance() {
    double total = 0;
    double kept = 0;
    for (int i = 0; i < eigenvalues.length; i++) {
      double v = Math.max(0, eigenvalues[i]);
      total += v;
      if (i < this.kept) {
        kept += v;
      }
    }
    return total > 0 ? kept / total : 1;
  }

  /** Writes the coordinates of {@code row[offset ..]} on the kept components into {@code out[0 .. components())}. */
  public void project(float[] row, int offset, double[] out) {
    for (int c = 0; c < kept; c++) {
      int base = c * features;
      double dot = 0;
      for (int f = 0; f < features; f++) {
        dot += (row[offset + f] - mean[f]) * components[base + f];
      }
      out[c] = dot;
    }
  }

  /**
   * Maps a vector of component coordinates {@code z[0 .. components())} back to input space
   * (without the mean): {@code out[f] = Σ_c z_c · component_c[f]}.
   */
  public void backProject(double[] z, double[] out) {
    Arrays.fill(out, 0, features, 0.0);
    for (int c = 0; c < kept; c++) {
      int base = c * features;
      for (int f = 0; f < features; f++) {
        out[f] += z[c] * components[base + f];
      }
    }
  }

  double[] meanArray() {
    return mean;
  }

  double[] eigenvalueArray() {
    return eigenvalues;
  }

  double[] componentArray() {
    return components;
  }
}
