package io.netanomaly.core.detect.ocsvm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netanomaly.core.detect.Detector;
import io.netanomaly.core.detect.Matrix;
import io.netanomaly.core.detect.iforest.DetectorParams;
import io.netanomaly.core.detect.DetectorWorkers;
import io.netanomaly.core.detect.iforest.RowSample;
import io.netanomaly.core.model.ModelArchive;
import io.netanomaly.core.model.ModelFormatException;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import libsvm.svm;
import libsvm.svm_model;
import libsvm.svm_node;
import libsvm.svm_parameter;
import libsvm.svm_problem;

/**
 * One-Class SVM (Schölkopf et al. 2001) with an RBF kernel {@code K(x, y) = exp(−γ ‖x − y‖²)},
 * trained by libsvm and scored in-house from the support vectors: the score of a row is
 * {@code −f(x) = ρ − Σ_i α_i K(sv_i, x)}, libsvm's (and scikit-learn's) decision function negated,
 * so higher = more anomalous and rows outside the learned support score above 0.
 *
 * <p>Large training sets are subsampled: libsvm's solver is roughly quadratic in the rows, so at
 * most {@link Builder#maxRows(int)} rows (default 10,000) are drawn uniformly without replacement,
 * deterministically from the seed. Nothing else is random: the same rows and parameters give the
 * same model.
 *
 * <p>The model is kept as plain arrays (support vectors, coefficients α, ρ, γ); libsvm's own file
 * format and Java serialization are never used. Scoring goes in blocks of rows, large batches over
 * several threads, and allocates one row buffer per block, nothing per row.
 *
 * <p>Immutable and safe to use from several threads at once.
 */
public final class OneClassSvm implements Detector {
  /** The {@link #kind()} of this family. */
  public static final String KIND = "ocsvm";
  /** Version of the parameters and arrays this class writes to and reads from a model archive. */
  public static final int ARCHIVE_VERSION = 1;
  /** Default cap on training rows. */
  public static final int DEFAULT_MAX_ROWS = 10_000;

  private static final int BLOCK_ROWS = 256;
  /** α at or above this counts as bounded (libsvm's α reach 1 up to rounding). */
  private static final double FREE_BELOW = 1 - 1e-9;
  /** Batches smaller than this are scored on the calling thread. */
  private static final int PARALLEL_MIN_ROWS = 2048;

  /** How γ was chosen. */
  public enum GammaMode {
    /** {@code 1 / (features · var(X))}, the variance over all training values (scikit-learn's "scale"). */
    SCALE,
    /** {@code 1 / features} (scikit-learn's "auto"). */
    AUTO,
    /** A value given by the caller. */
    VALUE
  }

  private final int features;
  private final double nu;
  private final double gamma;
  private final GammaMode gammaMode;
  private final long seed;
  private final int maxRows;
  private final int trainingRows;
  private final double rho;
  /** Support vectors, row-major, {@code features} per vector. */
  private final double[] supportVectors;
  private final double[] coefficients;
  private final int threads;

  private OneClassSvm(int features, double nu, double gamma, GammaMode gammaMode, long seed, int maxRows,
      int trainingRows, double rho, double[] supportVectors, double[] coefficients, int threads) {
    this.features = features;
    this.nu = nu;
    this.gamma = gamma;
    this.gammaMode = gammaMode;
    this.seed = seed;
    this.maxRows = maxRows;
    this.trainingRows = trainingRows;
    this.rho = rho;
    this.supportVectors = supportVectors;
    this.coefficients = coefficients;
    this.threads = threads;
  }

  /** A builder with defaults: ν = 0.05, γ "scale", at most 10,000 training rows, seed 0. */
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

  /** ν: an upper bound on the fraction of training rows outside the support, a lower bound on support vectors. */
  public double nu() {
    return nu;
  }

  /** The RBF kernel's γ actually used (per squared feature unit). */
  public double gamma() {
    return gamma;
  }

  /** How {@link #gamma()} was chosen. */
  public GammaMode gammaMode() {
    return gammaMode;
  }

  /** The seed of the training subsample. */
  public long seed() {
    return seed;
  }

  /** The cap on training rows. */
  public int maxRows() {
    return maxRows;
  }

  /** Rows the SVM was actually trained on (the training rows, or {@link #maxRows()} if more). */
  public int trainingRows() {
    return trainingRows;
  }

  /** Number of support vectors. */
  public int supportVectorCount() {
    return coefficients.length;
  }

  /** ρ, the offset of the decision function. */
  public double rho() {
    return rho;
  }

  /** Threads {@link #score(Matrix, double[])} uses for large batches. */
  public int threads() {
    return threads;
  }

  /** The same model (sharing its arrays) scoring large batches with {@code threads} threads. */
  public OneClassSvm withThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be ≥ 1: " + threads);
    }
    return new OneClassSvm(features, nu, gamma, gammaMode, seed, maxRows, trainingRows, rho, supportVectors,
        coefficients, threads);
  }

  /** Scores every row; batches of at least 2,048 rows are split over {@link #threads()} threads. */
  @Override
  public void score(Matrix batch, double[] out) {
    score(batch, out, batch.rows() >= PARALLEL_MIN_ROWS ? threads : 1);
  }

  /**
   * Scores every row of {@code batch} into {@code out[0 .. batch.rows())} with up to
   * {@code threads} threads (the caller's included); results do not depend on {@code threads}.
   *
   * @throws IllegalArgumentException if the batch has the wrong number of columns, {@code out}
   *     is short, or {@code threads < 1}
   */
  public void score(Matrix batch, double[] out, int threads) {
    Matrix.checkScoring(batch, out, features, "SVM");
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be ≥ 1: " + threads);
    }
    int rows = batch.rows();
    float[] x = batch.data();
    int blocks = (rows + BLOCK_ROWS - 1) / BLOCK_ROWS;
    AtomicInteger nextBlock = new AtomicInteger();
    DetectorWorkers.run(Math.min(threads, blocks), () -> {
      double[] row = new double[features];
      int b;
      while ((b = nextBlock.getAndIncrement()) < blocks) {
        int to = Math.min(rows, (b + 1) * BLOCK_ROWS);
        for (int r = b * BLOCK_ROWS; r < to; r++) {
          out[r] = scoreRow(x, r * features, row);
        }
      }
    });
  }

  private double scoreRow(float[] x, int off, double[] row) {
    for (int f = 0; f < features; f++) {
      row[f] = x[off + f];
    }
    double sum = 0;
    int n = coefficients.length;
    for (int i = 0; i < n; i++) {
      int base = i * features;
      double d2 = 0;
      for (int f = 0; f < features; f++) {
        double diff = row[f] - supportVectors[base + f];
        d2 += diff * diff;
      }
      sum += coefficients[i] * Math.exp(-gamma * d2);
    }
    return rho - sum;
  }

  /**
   * Per-feature share in the anomaly of one row: the row's squared distance to the nearest
   * support vector on the boundary, split by feature, {@code (x_f − sv_f)² / ‖x − sv‖²}. Boundary
   * ("free") support vectors are those with α &lt; 1; they lie on the learned frontier, so the
   * shares name the features in which the row leaves the normal region. Training rows outside the
   * frontier are bounded support vectors (α = 1) themselves, which is why they are skipped (all
   * support vectors are used if none is free). All 0 when the row lies on that support vector or
   * holds a non-finite value. Allocates nothing.
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
    Arrays.fill(out, 0, features, 0.0);
    int nearest = nearestSupportVector(row, offset, true);
    if (nearest < 0) {
      nearest = nearestSupportVector(row, offset, false);
    }
    if (nearest < 0) {
      return;
    }
    int base = nearest * features;
    double total = 0;
    for (int f = 0; f < features; f++) {
      double diff = row[offset + f] - supportVectors[base + f];
      total += diff * diff;
    }
    if (!(total > 0) || Double.isInfinite(total)) {
      return;
    }
    for (int f = 0; f < features; f++) {
      double diff = row[offset + f] - supportVectors[base + f];
      out[f] = diff * diff / total;
    }
  }

  /** The support vector nearest to the row (only free ones, α &lt; 1, if {@code freeOnly}), or −1. */
  private int nearestSupportVector(float[] row, int offset, boolean freeOnly) {
    int nearest = -1;
    double best = Double.POSITIVE_INFINITY;
    for (int i = 0; i < coefficients.length; i++) {
      if (freeOnly && coefficients[i] >= FREE_BELOW) {
        continue;
      }
      int base = i * features;
      double d2 = 0;
      for (int f = 0; f < features && d2 < best; f++) {
        double diff = row[offset + f] - supportVectors[base + f];
        d2 += diff * diff;
      }
      if (d2 < best) {
        best = d2;
        nearest = i;
      }
    }
    return nearest;
  }

  /**
   * Writes the model: parameters at {@code manifest.detectors.<prefix>} — {@code kind} ("ocsvm"),
   * {@code version} (1), {@code features}, {@code nu}, {@code gamma}, {@code gamma_mode}
   * ("scale", "auto" or "value"), {@code rho}, {@code support_vectors} (count), {@code seed},
   * {@code max_rows}, {@code training_rows} — and two arrays: {@code <prefix>.support_vectors}
   * float64[count · features] (row-major) and {@code <prefix>.coefficients} float64[count] (the
   * α_i, each in (0, 1]).
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
    archive.put(prefix + ".support_vectors", supportVectors.clone());
    archive.put(prefix + ".coefficients", coefficients.clone());
    ObjectNode p = detectors.putObject(prefix);
    p.put("kind", KIND);
    p.put("version", ARCHIVE_VERSION);
    p.put("features", features);
    p.put("nu", nu);
    p.put("gamma", gamma);
    p.put("gamma_mode", gammaMode.name().toLowerCase(java.util.Locale.ROOT));
    p.put("rho", rho);
    p.put("support_vectors", coefficients.length);
    p.put("seed", seed);
    p.put("max_rows", maxRows);
    p.put("training_rows", trainingRows);
  }

  /**
   * Reads a model written by {@link #writeTo}, checking every parameter and array.
   *
   * @throws ModelFormatException if anything is missing, malformed or inconsistent
   */
  public static OneClassSvm readFrom(ModelArchive archive, String prefix) throws ModelFormatException {
    Objects.requireNonNull(archive, "archive");
    Objects.requireNonNull(prefix, "prefix");
    DetectorParams p = new DetectorParams(archive.manifest().path("detectors").path(prefix), KIND, prefix);
    p.requireKindAndVersion(ARCHIVE_VERSION);
    int features = (int) p.integer("features", 1, Integer.MAX_VALUE);
    double nu = p.number("nu", Double.MIN_VALUE, 1);
    double gamma = p.number("gamma", Double.MIN_VALUE, Double.MAX_VALUE);
    String mode = p.text("gamma_mode");
    GammaMode gammaMode = switch (mode) {
      case "scale" -> GammaMode.SCALE;
      case "auto" -> GammaMode.AUTO;
      case "value" -> GammaMode.VALUE;
      default -> throw p.error("gamma_mode '" + mode + "' is not scale, auto or value");
    };
    double rho = p.number("rho", -Double.MAX_VALUE, Double.MAX_VALUE);
    int count = (int) p.integer("support_vectors", 1, Integer.MAX_VALUE);
    long seed = p.integer("seed", Long.MIN_VALUE, Long.MAX_VALUE);
    int maxRows = (int) p.integer("max_rows", 1, Integer.MAX_VALUE);
    int trainingRows = (int) p.integer("training_rows", 1, maxRows);
    if (count > trainingRows) {
      throw p.error(count + " support vectors from " + trainingRows + " training rows");
    }
    double[] sv = archive.doubles(prefix + ".support_vectors").clone();
    double[] coef = archive.doubles(prefix + ".coefficients").clone();
    if (coef.length != count || (long) count * features != sv.length) {
      throw p.error("support_vectors has " + sv.length + " values and coefficients " + coef.length + " for " + count
          + " vectors of " + features + " features");
    }
    for (int i = 0; i < sv.length; i++) {
      if (!Double.isFinite(sv[i])) {
        throw p.error("support vector value " + i + " is " + sv[i]);
      }
    }
    for (int i = 0; i < coef.length; i++) {
      // libsvm's one-class α lie in (0, 1]; a little slack for the solver's rounding
      if (!(coef[i] > 0 && coef[i] <= 1 + 1e-9)) {
        throw p.error("coefficient " + i + " is " + coef[i] + ", not in (0, 1]");
      }
    }
    return new OneClassSvm(features, nu, gamma, gammaMode, seed, maxRows, trainingRows, rho, sv, coef,
        defaultThreads());
  }

  private static int defaultThreads() {
    return Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  @Override
  public String toString() {
    return "OneClassSvm[features=" + features + ", nu=" + nu + ", gamma=" + gamma + " (" + gammaMode + "), supportVectors="
        + coefficients.length + ", trainingRows=" + trainingRows + "]";
  }

  /**
   * Settings for training a {@link OneClassSvm}. Not thread-safe; {@link #fit} may be called
   * several times.
   */
  public static final class Builder {
    private double nu = 0.05;
    private GammaMode gammaMode = GammaMode.SCALE;
    private double gamma = Double.NaN;
    private int maxRows = DEFAULT_MAX_ROWS;
    private long seed = 0;
    private double cacheMegabytes = 200;
    private double tolerance = 1e-3;
    private int threads = defaultThreads();

    private Builder() {}

    /** ν in (0, 1] (default 0.05). */
    public Builder nu(double nu) {
      if (!(nu > 0 && nu <= 1)) {
        throw new IllegalArgumentException("nu must be in (0, 1]: " + nu);
      }
      this.nu = nu;
      return this;
    }

    /** γ = {@code 1 / (features · var(X))} over all training values, or 1 if they are constant (the default). */
    public Builder gammaScale() {
      this.gammaMode = GammaMode.SCALE;
      return this;
    }

    /** γ = {@code 1 / features}. */
    public Builder gammaAuto() {
      this.gammaMode = GammaMode.AUTO;
      return this;
    }

    /** A fixed γ > 0. */
    public Builder gamma(double gamma) {
      if (!(gamma > 0) || Double.isInfinite(gamma)) {
        throw new IllegalArgumentException("gamma must be a positive number: " + gamma);
      }
      this.gammaMode = GammaMode.VALUE;
      this.gamma = gamma;
      return this;
    }

    /**
     * γ from text as on a command line: "scale", "auto" or a positive number.
     *
     * @throws IllegalArgumentException for anything else
     */
    public Builder gamma(String gamma) {
      switch (gamma.trim().toLowerCase(java.util.Locale.ROOT)) {
        case "scale" -> gammaScale();
        case "auto" -> gammaAuto();
        default -> {
          double g;
          try {
            g = Double.parseDouble(gamma.trim());
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("gamma must be 'scale', 'auto' or a positive number: '" + gamma + "'");
          }
          gamma(g);
        }
      }
      return this;
    }

    /** Cap on training rows, ≥ 2 (default 10,000); more rows are subsampled by {@link #seed}. */
    public Builder maxRows(int maxRows) {
      if (maxRows < 2) {
        throw new IllegalArgumentException("maxRows must be ≥ 2: " + maxRows);
      }
      this.maxRows = maxRows;
      return this;
    }

    /** Seed of the training subsample (default 0). */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** libsvm's kernel cache in MB, > 0 (default 200, as scikit-learn). */
    public Builder cacheMegabytes(double megabytes) {
      if (!(megabytes > 0)) {
        throw new IllegalArgumentException("cache must be > 0 MB: " + megabytes);
      }
      this.cacheMegabytes = megabytes;
      return this;
    }

    /** libsvm's stopping tolerance, > 0 (default 1e-3, as scikit-learn). */
    public Builder tolerance(double tolerance) {
      if (!(tolerance > 0)) {
        throw new IllegalArgumentException("tolerance must be > 0: " + tolerance);
      }
      this.tolerance = tolerance;
      return this;
    }

    /** Threads for scoring large batches, ≥ 1 (default: one per processor); training is single-threaded. */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be ≥ 1: " + threads);
      }
      this.threads = threads;
      return this;
    }

    /**
     * Trains on the rows of {@code x} (not retained; at most {@link #maxRows} of them).
     *
     * @throws IllegalArgumentException if {@code x} has fewer than 2 rows or a non-finite value
     */
    public OneClassSvm fit(Matrix x) {
      Objects.requireNonNull(x, "x");
      int rows = x.rows();
      int cols = x.cols();
      if (rows < 2) {
        throw new IllegalArgumentException("need at least 2 rows to fit, got " + rows);
      }
      float[] data = x.data();
      for (int i = 0; i < rows * cols; i++) {
        if (!Float.isFinite(data[i])) {
          throw new IllegalArgumentException("non-finite value at row " + i / cols + ", column " + i % cols);
        }
      }
      double g = switch (gammaMode) {
        case SCALE -> {
          double var = variance(data, rows * cols);
          yield var > 0 ? 1.0 / (cols * var) : 1.0;
        }
        case AUTO -> 1.0 / cols;
        case VALUE -> gamma;
      };
      int[] picked = RowSample.pick(rows, Math.min(rows, maxRows), seed);
      int n = picked.length;

      svm_problem problem = new svm_problem();
      problem.l = n;
      problem.y = new double[n];
      problem.x = new svm_node[n][];
      for (int i = 0; i < n; i++) {
        int off = picked[i] * cols;
        int nonZero = 0;
        for (int f = 0; f < cols; f++) {
          if (data[off + f] != 0) {
            nonZero++;
          }
        }
        // sparse rows (zeros left out) give the same kernel values and a faster solver
        svm_node[] nodes = new svm_node[nonZero];
        int k = 0;
        for (int f = 0; f < cols; f++) {
          if (data[off + f] != 0) {
            svm_node node = new svm_node();
            node.index = f + 1;
            node.value = data[off + f];
            nodes[k++] = node;
          }
        }
        problem.x[i] = nodes;
        problem.y[i] = 1;
      }
      svm_parameter param = new svm_parameter();
      param.svm_type = svm_parameter.ONE_CLASS;
      param.kernel_type = svm_parameter.RBF;
      param.gamma = g;
      param.nu = nu;
      param.cache_size = cacheMegabytes;
      param.eps = tolerance;
      param.shrinking = 1;
      param.probability = 0;
      param.C = 1;
      param.nr_weight = 0;
      param.weight_label = new int[0];
      param.weight = new double[0];
      String problemText = svm.svm_check_parameter(problem, param);
      if (problemText != null) {
        throw new IllegalArgumentException("libsvm rejects the parameters: " + problemText);
      }
      // libsvm prints solver progress to stdout unless given a printer (a process-wide setting)
      svm.svm_set_print_string_function(text -> { });
      svm_model model = svm.svm_train(problem, param);

      int count = model.l;
      double[] sv = new double[count * cols];
      double[] coef = new double[count];
      for (int i = 0; i < count; i++) {
        for (svm_node node : model.SV[i]) {
          sv[i * cols + node.index - 1] = node.value;
        }
        coef[i] = model.sv_coef[0][i];
      }
      return new OneClassSvm(cols, nu, g, gammaMode, seed, maxRows, n, model.rho[0], sv, coef, threads);
    }

    private static double variance(float[] data, int n) {
      double mean = 0;
      for (int i = 0; i < n; i++) {
        mean += data[i];
      }
      mean /= n;
      double ss = 0;
      for (int i = 0; i < n; i++) {
        double d = data[i] - mean;
        ss += d * d;
      }
      return ss / n;
    }
  }
}
