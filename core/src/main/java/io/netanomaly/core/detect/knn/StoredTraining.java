package io.netanomaly.core.detect.knn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netanomaly.core.detect.Matrix;
import io.netanomaly.core.model.ModelArchive;
import io.netanomaly.core.model.ModelFormatException;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The training rows a neighbour detector keeps, and the parameters kNN and LOF share: how the rows
 * were chosen at fit time and how they are written to and read from a model archive.
 *
 * <p>Immutable: {@link #data} is never modified after construction.
 */
final class StoredTraining {
  final int features;
  final int k;
  final int maxTrainingRows;
  final long seed;
  /** Row-major {@code count × features}, as given to fit (or a subsample). */
  final float[] data;
  final int count;

  private StoredTraining(int features, int k, int maxTrainingRows, long seed, float[] data, int count) {
    this.features = features;
    this.k = k;
    this.maxTrainingRows = maxTrainingRows;
    this.seed = seed;
    this.data = data;
    this.count = count;
  }

  /**
   * Copies the rows of {@code x}, or, if there are more than {@code maxTrainingRows}, a subsample of
   * exactly {@code maxTrainingRows} rows drawn without replacement with
   * {@code new SplittableRandom(seed)} (a partial Fisher–Yates shuffle of the row indices) and kept
   * in their original order.
   *
   * @throws IllegalArgumentException if there are fewer than {@code minRows} rows or a value is not finite
   */
  static StoredTraining of(Matrix x, int k, int maxTrainingRows, long seed, int minRows, String family) {
    Objects.requireNonNull(x, "x");
    int cols = x.cols();
    int rows = x.rows();
    if (rows < minRows) {
      throw new IllegalArgumentException(family + " with k = " + k + " needs at least " + minRows
          + " training rows, got " + rows);
    }
    float[] src = x.data();
    for (int i = 0; i < rows * cols; i++) {
      if (!Float.isFinite(src[i])) {
        throw new IllegalArgumentException(family + ": training value at row " + i / cols + ", column " + i % cols
            + " is " + src[i]);
      }
    }
    if (rows <= maxTrainingRows) {
      return new StoredTraining(cols, k, maxTrainingRows, seed, Arrays.copyOf(src, rows * cols), rows);
    }
    int[] order = new int[rows];
    for (int i = 0; i < rows; i++) {
      order[i] = i;
    }
    SplittableRandom rng = new SplittableRandom(seed);
    for (int i = 0; i < maxTrainingRows; i++) {
      int j = i + rng.nextInt(rows - i);
      int tmp = order[i];
      order[i] = order[j];
      order[j] = tmp;
    }
    int[] chosen = Arrays.copyOf(order, maxTrainingRows);
    Arrays.sort(chosen);
    float[] data = new float[maxTrainingRows * cols];
    for (int i = 0; i < maxTrainingRows; i++) {
      System.arraycopy(src, chosen[i] * cols, data, i * cols, cols);
    }
    return new StoredTraining(cols, k, maxTrainingRows, seed, data, maxTrainingRows);
  }

  /** Writes the shared parameters to {@code params} and the rows as {@code <prefix>.training}. */
  void writeTo(ModelArchive.Builder archive, ObjectNode params, String prefix) {
    params.put("features", features);
    params.put("k", k);
    params.put("training_rows", count);
    params.put("max_training_rows", maxTrainingRows);
    params.put("seed", seed);
    archive.put(prefix + ".training", data.clone());
  }

  /** The parameter object at {@code manifest.detectors.<prefix>}, checked to be of {@code kind} and {@code version}. */
  static JsonNode params(ModelArchive archive, String prefix, String kind, int version) throws ModelFormatException {
    Objects.requireNonNull(archive, "archive");
    Objects.requireNonNull(prefix, "prefix");
    JsonNode params = archive.manifest().path("detectors").path(prefix);
    if (!params.isObject()) {
      throw new ModelFormatException(kind + " '" + prefix + "': parameters missing or not an object");
    }
    String found = params.path("kind").asText("");
    if (!kind.equals(found)) {
      throw new ModelFormatException(kind + " '" + prefix + "': kind is '" + found + "', expected '" + kind + "'");
    }
    long v = integer(params, kind, prefix, "version", 1, Integer.MAX_VALUE);
    if (v != version) {
      throw new ModelFormatException(kind + " '" + prefix + "': unsupported version " + v);
    }
    return params;
  }

  /**
   * Reads what {@link #writeTo} wrote, checking every parameter and that the training array holds
   * {@code training_rows × features} finite values, with {@code minRowsOverK + k ≤ training_rows}.
   */
  static StoredTraining readFrom(ModelArchive archive, JsonNode params, String prefix, String kind, int minRowsOverK)
      throws ModelFormatException {
    int features = (int) integer(params, kind, prefix, "features", 1, 1 << 20);
    int k = (int) integer(params, kind, prefix, "k", 1, 1 << 20);
    int count = (int) integer(params, kind, prefix, "training_rows", 1, Integer.MAX_VALUE);
    int maxRows = (int) integer(params, kind, prefix, "max_training_rows", 1, Integer.MAX_VALUE);
    long seed = integer(params, kind, prefix, "seed", Long.MIN_VALUE, Long.MAX_VALUE);
    if (count > maxRows) {
      throw new ModelFormatException(kind + " '" + prefix + "': training_rows " + count + " exceeds max_training_rows "
          + maxRows);
    }
    if ((long) k + minRowsOverK > count) {
      throw new ModelFormatException(kind + " '" + prefix + "': k = " + k + " needs more than " + count
          + " training rows");
    }
    float[] data = archive.floats(prefix + ".training");
    if ((long) count * features != data.length) {
      throw new ModelFormatException(kind + " '" + prefix + "': training array has " + data.length
          + " values, expected " + count + " × " + features);
    }
    for (float v : data) {
      if (!Float.isFinite(v)) {
        throw new ModelFormatException(kind + " '" + prefix + "': training array holds " + v);
      }
    }
    return new StoredTraining(features, k, maxRows, seed, data.clone(), count);
  }

  static long integer(JsonNode params, String kind, String prefix, String name, long min, long max)
      throws ModelFormatException {
    JsonNode n = params.get(name);
    if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
      throw new ModelFormatException(kind + " '" + prefix + "': " + name + " missing or not an integer");
    }
    long v = n.longValue();
    if (v < min || v > max) {
      throw new ModelFormatException(kind + " '" + prefix + "': " + name + " = " + v + " out of range [" + min + ", "
          + max + "]");
    }
    return v;
  }

  /**
   * Per-feature share of the squared distance between {@code row[offset ..]} and training row
   * {@code neighbour}, into {@code out}; all 0 if they coincide.
   */
  void shares(float[] row, int offset, int neighbour, double[] out) {
    Arrays.fill(out, 0, features, 0.0);
    if (neighbour < 0) {
      return;
    }
    double total = 0;
    for (int f = 0; f < features; f++) {
      double diff = (double) row[offset + f] - data[neighbour * features + f];
      out[f] = diff * diff;
      total += out[f];
    }
    if (total > 0 && Double.isFinite(total)) {
      for (int f = 0; f < features; f++) {
        out[f] /= total;
      }
    } else {
      Arrays.fill(out, 0, features, 0.0);
    }
  }

  static void checkBatch(Matrix batch, double[] out, int features, String kind) {
    Matrix.checkScoring(batch, out, features, kind);
  }

  static void checkRow(float[] row, int offset, double[] out, int features) {
    Objects.requireNonNull(row, "row");
    Objects.requireNonNull(out, "out");
    if (offset < 0 || offset + features > row.length) {
      throw new IllegalArgumentException("row of " + row.length + " floats has no " + features + " features at " + offset);
    }
    if (out.length < features) {
      throw new IllegalArgumentException("out has " + out.length + " entries for " + features + " features");
    }
  }
}
