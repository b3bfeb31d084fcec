package io.netanomaly.core.detect.autoencoder;

import io.netanomaly.core.detect.DetectorWorkers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netanomaly.core.detect.Detector;
import io.netanomaly.core.detect.Matrix;
import io.netanomaly.core.model.ModelArchive;
import io.netanomaly.core.model.ModelFormatException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Autoencoder detector: a fully connected network trained to reproduce normal rows through a
 * narrow code layer; the score of a row is its mean squared reconstruction error
 * {@code (1/d) Σ_f (x̂_f − x_f)²} over the {@code d} features, measured on standardised features
 * (each feature minus its training mean, divided by its training standard deviation, or by 1 if
 * that is 0), higher = more anomalous.
 *
 * <p>Layout: {@code d → hidden… → encoding → hidden (mirrored)… → d}; the hidden and code layers
 * use the chosen activation (tanh or ReLU), the output layer is linear. Training: mini-batches,
 * Adam, L2 weight decay, early stopping on a held-out validation split restoring the best epoch's
 * weights (see {@link Builder}); deterministic for a seed, for any thread count, and — since
 * tanh and the Adam bias corrections use {@link StrictMath} — the same on every JVM.
 *
 * <p>Scoring goes in blocks of rows with one activation buffer per thread and allocates nothing
 * per row; batches of at least 1,024 rows are split over {@link #threads()} threads. A row with a
 * NaN value scores NaN.
 *
 * <p>Immutable and safe to use from several threads at once.
 */
public final class Autoencoder implements Detector {
  /** The {@link #kind()} of this family. */
  public static final String KIND = "autoencoder";
  /** Version of the parameters and arrays this class writes to and reads from a model archive. */
  public static final int ARCHIVE_VERSION = 1;
  /** Largest layer width accepted from a model file. */
  static final int MAX_WIDTH = 1 << 16;
  private static final int BLOCK_ROWS = 256;
  private static final int PARALLEL_MIN_ROWS = 4 * BLOCK_ROWS;

  /** Activation of the hidden and code layers. */
  public enum Activation {
    /** Hyperbolic tangent. */
    TANH,
    /** Rectified linear unit, {@code max(0, z)}. */
    RELU;

    /** Name as written in model files and accepted on the command line ("tanh", "relu"). */
    public String externalName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@link #externalName()}, ignoring case.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Activation parse(String text) {
      for (Activation a : values()) {
        if (a.externalName().equalsIgnoreCase(text.trim())) {
          return a;
        }
      }
      throw new IllegalArgumentException("activation: got '" + text + "', expected tanh or relu");
    }
  }

  private final Network net;
  private final double[] mean;
  private final double[] scale;
  private final double[] weights;
  private final double[] biases;
  private final TrainingRecord record;
  private final int threads;

  /** Training settings and outcome, kept for the model file and for reports. */
  private record TrainingRecord(long seed, int epochs, int epochsTrained, int batchSize, double learningRate, double l2,
      double validationFraction, int patience, double validationLoss) {}

  private Autoencoder(Network net, double[] mean, double[] scale, double[] weights, double[] biases,
      TrainingRecord record, int threads) {
    this.net = net;
    this.mean = mean;
    this.scale = scale;
    this.weights = weights;
    this.biases = biases;
    this.record = record;
    this.threads = threads;
  }

  /**
   * A builder with defaults: encoding dimension {@code max(2, features / 4)}, one hidden layer of
   * {@code max(2 · encoding, features / 2)} units on each side, tanh, 50 epochs, batches of 64,
   * learning rate 0.001, L2 0, 10% validation split with patience 5, seed 0, one thread per processor.
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public int features() {
    return net.inputs();
  }

  /** Layer widths from input to output, e.g. {@code [30, 15, 7, 15, 30]}. */
  public int[] layerSizes() {
    return net.sizes.clone();
  }

  /** Activation of the hidden and code layers. */
  public Activation activation() {
    return net.activation;
  }

  /** Epochs actually run (fewer than requested if early stopping ended training). */
  public int epochsTrained() {
    return record.epochsTrained;
  }

  /** Mean reconstruction error on the validation split at the kept epoch; NaN without a split. */
  public double validationLoss() {
    return record.validationLoss;
  }

  /** The seed training drew from. */
  public long seed() {
    return record.seed;
  }

  /** Threads {@link #score(Matrix, double[])} uses for large batches. */
  public int threads() {
    return threads;
  }

  /** The same network (sharing its arrays) scoring large batches with {@code threads} threads. */
  public Autoencoder withThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be ≥ 1: " + threads);
    }
    return new Autoencoder(net, mean, scale, weights, biases, record, threads);
  }

  /** Scores every row: its mean squared reconstruction error on standardised features. */
  @Override
  public void score(Matrix batch, double[] out) {
    int d = net.inputs();
    Matrix.checkScoring(batch, out, d, "autoencoder");
    int rows = batch.rows();
    float[] x = batch.data();
    int blocks = (rows + BLOCK_ROWS - 1) / BLOCK_ROWS;
    AtomicInteger next = new AtomicInteger();
    int outBase = net.unitOffset[net.layers()];
    int workers = rows >= PARALLEL_MIN_ROWS ? Math.min(threads, blocks) : 1;
    DetectorWorkers.run(workers, () -> {
      double[] act = new double[net.unitCount];
      int b;
      while ((b = next.getAndIncrement()) < blocks) {
        int to = Math.min(rows, (b + 1) * BLOCK_ROWS);
        for (int r = b * BLOCK_ROWS; r < to; r++) {
          reconstruct(x, r * d, act);
          double sum = 0;
          for (int f = 0; f < d; f++) {
            double e = act[outBase + f] - act[f];
            sum += e * e;
          }
          out[r] = sum / d;
        }
      }
    });
  }

  private void reconstruct(float[] x, int offset, double[] act) {
    for (int f = 0; f < mean.length; f++) {
      act[f] = (x[offset + f] - mean[f]) / scale[f];
    }
    net.forward(weights, biases, act);
  }

  /**
   * Per-feature share of the reconstruction error: {@code (x̂_f − x_f)² / Σ_g (x̂_g − x_g)²} on
   * standardised features, so the shares sum to 1 (all 0 if the row is reproduced exactly or the
   * error is not finite). Allocates one activation buffer.
   */
  @Override
  public void attribute(float[] row, int offset, double[] out) {
    Objects.requireNonNull(row, "row");
    Objects.requireNonNull(out, "out");
    int d = net.inputs();
    if (offset < 0 || offset + d > row.length) {
      throw new IllegalArgumentException("row of " + row.length + " floats has no " + d + " features at " + offset);
    }
    if (out.length < d) {
      throw new IllegalArgumentException("out has " + out.length + " entries for " + d + " features");
    }
    double[] act = new double[net.unitCount];
    reconstruct(row, offset, act);
    int outBase = net.unitOffset[net.layers()];
    double total = 0;
    for (int f = 0; f < d; f++) {
      double e = act[outBase + f] - act[f];
      out[f] = e * e;
      total += out[f];
    }
    if (total > 0 && Double.isFinite(total)) {
      for (int f = 0; f < d; f++) {
        out[f] /= total;
      }
    } else {
      Arrays.fill(out, 0, d, 0.0);
    }
  }

  /**
   * Writes this network into {@code archive}: parameters at {@code manifest.detectors.<prefix>} —
   * {@code kind} ("autoencoder"), {@code version} (1), {@code features}, {@code layers} (widths
   * from input to output), {@code activation} ("tanh" or "relu"), and the training record
   * {@code seed}, {@code epochs}, {@code epochs_trained}, {@code batch_size},
   * {@code learning_rate}, {@code l2}, {@code validation_fraction}, {@code patience},
   * {@code validation_loss} (null without a split) — and four float64 arrays:
   * {@code <prefix>.mean} and {@code <prefix>.scale} (per feature), {@code <prefix>.weights} (layer
   * after layer, each output × input, row-major) and {@code <prefix>.biases} (layer after layer).
   *
   * @throws IllegalArgumentException if {@code prefix} is already used in the manifest
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
    params.put("version", ARCHIVE_VERSION);
    params.put("features", net.inputs());
    ArrayNode layers = params.putArray("layers");
    for (int s : net.sizes) {
      layers.add(s);
    }
    params.put("activation", net.activation.externalName());
    params.put("seed", record.seed);
    params.put("epochs", record.epochs);
    params.put("epochs_trained", record.epochsTrained);
    params.put("batch_size", record.batchSize);
    params.put("learning_rate", record.learningRate);
    params.put("l2", record.l2);
    params.put("validation_fraction", record.validationFraction);
    params.put("patience", record.patience);
    if (Double.isNaN(record.validationLoss)) {
      params.putNull("validation_loss");
    } else {
      params.put("validation_loss", record.validationLoss);
    }
    archive.put(prefix + ".mean", mean.clone());
    archive.put(prefix + ".scale", scale.clone());
    archive.put(prefix + ".weights", weights.clone());
    archive.put(prefix + ".biases", biases.clone());
  }

  /**
   * Reads a network written by {@link #writeTo}. Checked: kind and version, every parameter's type
   * and range, at least one layer between input and output, widths 1 to 65,536 with input and
   * output equal to {@code features}, array lengths matching the widths, all values finite and
   * scales positive. The network scores with one thread per processor ({@link #withThreads}
   * changes it).
   *
   * @throws ModelFormatException if a parameter or array is missing, malformed or inconsistent
   */
  public static Autoencoder readFrom(ModelArchive archive, String prefix) throws ModelFormatException {
    Objects.requireNonNull(archive, "archive");
    Objects.requireNonNull(prefix, "prefix");
    String where = "autoencoder '" + prefix + "': ";
    JsonNode params = archive.manifest().path("detectors").path(prefix);
    if (!params.isObject()) {
      throw new ModelFormatException(where + "parameters missing or not an object");
    }
    String kind = params.path("kind").asText("");
    if (!KIND.equals(kind)) {
      throw new ModelFormatException(where + "kind is '" + kind + "', expected '" + KIND + "'");
    }
    if (integer(params, where, "version", 1, Integer.MAX_VALUE) != ARCHIVE_VERSION) {
      throw new ModelFormatException(where + "unsupported version " + params.get("version"));
    }
    int features = (int) integer(params, where, "features", 1, MAX_WIDTH);
    JsonNode layers = params.get("layers");
    if (layers == null || !layers.isArray() || layers.size() < 3 || layers.size() > 64) {
      throw new ModelFormatException(where + "layers must be an array of 3 to 64 widths");
    }
    int[] sizes = new int[layers.size()];
    long weightCount = 0;
    long biasCount = 0;
    for (int l = 0; l < sizes.length; l++) {
      JsonNode n = layers.get(l);
      if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < 1 || n.intValue() > MAX_WIDTH) {
        throw new ModelFormatException(where + "layer width " + n + " is not an integer in [1, " + MAX_WIDTH + "]");
      }
      sizes[l] = n.intValue();
      if (l > 0) {
        weightCount += (long) sizes[l - 1] * sizes[l];
        biasCount += sizes[l];
      }
    }
    if (sizes[0] != features || sizes[sizes.length - 1] != features) {
      throw new ModelFormatException(where + "input and output widths must equal features " + features);
    }
    JsonNode act = params.get("activation");
    Activation activation;
    try {
      activation = Activation.parse(act == null || !act.isTextual() ? "" : act.asText());
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(where + e.getMessage());
    }
    long seed = integer(params, where, "seed", Long.MIN_VALUE, Long.MAX_VALUE);
    int epochs = (int) integer(params, where, "epochs", 1, Integer.MAX_VALUE);
    int epochsTrained = (int) integer(params, where, "epochs_trained", 1, epochs);
    int batchSize = (int) integer(params, where, "batch_size", 1, Integer.MAX_VALUE);
    double learningRate = number(params, where, "learning_rate");
    double l2 = number(params, where, "l2");
    double validationFraction = number(params, where, "validation_fraction");
    int patience = (int) integer(params, where, "patience", 1, Integer.MAX_VALUE);
    if (!(learningRate > 0) || l2 < 0 || validationFraction < 0 || validationFraction > 0.5) {
      throw new ModelFormatException(where + "learning_rate must be > 0, l2 ≥ 0, validation_fraction in [0, 0.5]");
    }
    JsonNode vl = params.get("validation_loss");
    double validationLoss;
    if (vl != null && vl.isNull()) {
      validationLoss = Double.NaN;
    } else {
      validationLoss = number(params, where, "validation_loss");
      if (validationLoss < 0) {
        throw new ModelFormatException(where + "validation_loss is negative");
      }
    }

    double[] mean = archive.doubles(prefix + ".mean").clone();
    double[] scale = archive.doubles(prefix + ".scale").clone();
    double[] weights = archive.doubles(prefix + ".weights").clone();
    double[] biases = archive.doubles(prefix + ".biases").clone();
    if (mean.length != features || scale.length != features || weights.length != weightCount
        || biases.length != biasCount) {
      throw new ModelFormatException(where + "array lengths (mean " + mean.length + ", scale " + scale.length
          + ", weights " + weights.length + ", biases " + biases.length + ") do not match layers "
          + Arrays.toString(sizes));
    }
    for (int f = 0; f < features; f++) {
      if (!Double.isFinite(mean[f]) || !(scale[f] > 0) || Double.isInfinite(scale[f])) {
        throw new ModelFormatException(where + "mean or scale of feature " + f + " is invalid");
      }
    }
    checkFinite(weights, where + "weights");
    checkFinite(biases, where + "biases");
    TrainingRecord record = new TrainingRecord(seed, epochs, epochsTrained, batchSize, learningRate, l2,
        validationFraction, patience, validationLoss);
    return new Autoencoder(new Network(sizes, activation), mean, scale, weights, biases, record, defaultThreads());
  }

  private static void checkFinite(double[] a, String what) throws ModelFormatException {
    for (int i = 0; i < a.length; i++) {
      if (!Double.isFinite(a[i])) {
        throw new ModelFormatException(what + "[" + i + "] = " + a[i]);
      }
    }
  }

  private static long integer(JsonNode params, String where, String name, long min, long max)
      throws ModelFormatException {
    JsonNode n = params.get(name);
    if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
      throw new ModelFormatException(where + name + " missing or not an integer");
    }
    long v = n.longValue();
    if (v < min || v > max) {
      throw new ModelFormatException(where + name + " = " + v + " out of range [" + min + ", " + max + "]");
    }
    return v;
  }

  private static double number(JsonNode params, String where, String name) throws ModelFormatException {
    JsonNode n = params.get(name);
    if (n == null || !n.isNumber() || !Double.isFinite(n.doubleValue())) {
      throw new ModelFormatException(where + name + " missing or not a finite number");
    }
    return n.doubleValue();
  }

  private static int defaultThreads() {
    return Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  @Override
  public String toString() {
    return "Autoencoder[layers=" + Arrays.toString(net.sizes) + ", activation=" + net.activation.externalName()
        + ", epochsTrained=" + record.epochsTrained + ", seed=" + record.seed + "]";
  }

  /**
   * Settings for training an {@link Autoencoder}. Not thread-safe; {@link #fit} may be called
   * several times (each call trains an independent network).
   */
  public static final class Builder {
    private int encoding = 0;
    private int[] hidden = null;
    private Activation activation = Activation.TANH;
    private int epochs = 50;
    private int batchSize = 64;
    private double learningRate = 1e-3;
    private double l2 = 0;
    private double validationFraction = 0.1;
    private int patience = 5;
    private long seed = 0;
    private int threads = defaultThreads();

    private Builder() {}

    /** Width of the code layer, ≥ 1 (default {@code max(2, features / 4)}). */
    public Builder encodingDimension(int width) {
      if (width < 1) {
        throw new IllegalArgumentException("encoding dimension must be ≥ 1: " + width);
      }
      this.encoding = width;
      return this;
    }

    /**
     * Widths of the encoder's hidden layers from input towards the code layer, each ≥ 1; the
     * decoder mirrors them. None is allowed ({@code d → encoding → d}). Default: one layer of
     * {@code max(2 · encoding, features / 2)}.
     */
    public Builder hiddenLayers(int... widths) {
      for (int w : widths) {
        if (w < 1 || w > MAX_WIDTH) {
          throw new IllegalArgumentException("hidden layer width must be in [1, " + MAX_WIDTH + "]: " + w);
        }
      }
      this.hidden = widths.clone();
      return this;
    }

    /** Activation of the hidden and code layers (default tanh). */
    public Builder activation(Activation activation) {
      this.activation = Objects.requireNonNull(activation, "activation");
      return this;
    }

    /** Most passes over the training rows, ≥ 1 (default 50). */
    public Builder epochs(int epochs) {
      if (epochs < 1) {
        throw new IllegalArgumentException("epochs must be ≥ 1: " + epochs);
      }
      this.epochs = epochs;
      return this;
    }

    /** Rows per gradient step, ≥ 1 (default 64). */
    public Builder batchSize(int batchSize) {
      if (batchSize < 1 || batchSize > 1 << 20) {
        throw new IllegalArgumentException("batch size must be in [1, 2^20]: " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    /** Adam's step size, > 0 (default 0.001). */
    public Builder learningRate(double rate) {
      if (!(rate > 0) || Double.isInfinite(rate)) {
        throw new IllegalArgumentException("learning rate must be a positive number: " + rate);
      }
      this.learningRate = rate;
      return this;
    }

    /** L2 penalty {@code (λ/2) Σ w²} on the weights (not biases), ≥ 0 (default 0). */
    public Builder l2(double lambda) {
      if (!(lambda >= 0) || Double.isInfinite(lambda)) {
        throw new IllegalArgumentException("l2 must be a number ≥ 0: " + lambda);
      }
      this.l2 = lambda;
      return this;
    }

    /**
     * Share of rows held out for early stopping, in [0, 0.5] (default 0.1); 0 trains on all rows
     * for every epoch. With a split, training stops after {@code patience} epochs without a lower
     * validation loss and keeps the best epoch's weights.
     */
    public Builder validationFraction(double fraction) {
      if (!(fraction >= 0 && fraction <= 0.5)) {
        throw new IllegalArgumentException("validation fraction must be in [0, 0.5]: " + fraction);
      }
      this.validationFraction = fraction;
      return this;
    }

    /** Epochs without improvement before early stopping, ≥ 1 (default 5). */
    public Builder patience(int epochs) {
      if (epochs < 1) {
        throw new IllegalArgumentException("patience must be ≥ 1: " + epochs);
      }
      this.patience = epochs;
      return this;
    }

    /** Random seed (default 0); the same seed gives the same network for any thread count. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Threads for training and for scoring large batches, ≥ 1 (default: one per processor). */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be ≥ 1: " + threads);
      }
      this.threads = threads;
      return this;
    }

    /**
     * Trains a network on the rows of {@code x} (not retained).
     *
     * @throws IllegalArgumentException if {@code x} has fewer than 2 rows or a non-finite value
     */
    public Autoencoder fit(Matrix x) {
      Objects.requireNonNull(x, "x");
      int rows = x.rows();
      int d = x.cols();
      if (rows < 2) {
        throw new IllegalArgumentException("need at least 2 rows to fit, got " + rows);
      }
      float[] src = x.data();
      double[] mean = new double[d];
      double[] scale = new double[d];
      for (int r = 0; r < rows; r++) {
        for (int f = 0; f < d; f++) {
          float v = src[r * d + f];
          if (!Float.isFinite(v)) {
            throw new IllegalArgumentException("autoencoder: training value at row " + r + ", column " + f + " is " + v);
          }
          mean[f] += v;
        }
      }
      for (int f = 0; f < d; f++) {
        mean[f] /= rows;
      }
      for (int r = 0; r < rows; r++) {
        for (int f = 0; f < d; f++) {
          double c = src[r * d + f] - mean[f];
          scale[f] += c * c;
        }
      }
      for (int f = 0; f < d; f++) {
        double sd = Math.sqrt(scale[f] / rows);
        scale[f] = sd > 0 ? sd : 1;
      }
      double[] data = new double[rows * d];
      for (int r = 0; r < rows; r++) {
        for (int f = 0; f < d; f++) {
          data[r * d + f] = (src[r * d + f] - mean[f]) / scale[f];
        }
      }
      Network net = new Network(layerSizes(d), activation);
      AdamTraining.Outcome o = new AdamTraining(net, data, threads, Math.min(batchSize, rows))
          .run(rows, seed, epochs, batchSize, learningRate, l2, validationFraction, patience);
      TrainingRecord record = new TrainingRecord(seed, epochs, o.epochsTrained(), batchSize, learningRate, l2,
          validationFraction, patience, o.validationLoss());
      return new Autoencoder(net, mean, scale, o.weights(), o.biases(), record, threads);
    }

    private int[] layerSizes(int d) {
      int code = encoding > 0 ? encoding : Math.max(2, d / 4);
      int[] encoder = hidden != null ? hidden : new int[] {Math.max(2 * code, d / 2)};
      int[] sizes = new int[2 * encoder.length + 3];
      sizes[0] = d;
      for (int i = 0; i < encoder.length; i++) {
        sizes[1 + i] = encoder[i];
        sizes[sizes.length - 2 - i] = encoder[i];
      }
      sizes[encoder.length + 1] = code;
      sizes[sizes.length - 1] = d;
      return sizes;
    }
  }
}
