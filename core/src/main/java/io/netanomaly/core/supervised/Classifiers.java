package io.netanomaly.core.supervised;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netanomaly.core.detect.Matrix;
import io.netanomaly.core.detect.iforest.DetectorParams;
import io.netanomaly.core.detect.DetectorWorkers;
import io.netanomaly.core.model.ModelArchive;
import io.netanomaly.core.model.ModelFormatException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Trains and reads the supervised families by their stable names ({@link #KINDS}). Reading is a
 * fixed switch on the {@code kind} written in the manifest, never a class name, so loading a model
 * cannot run arbitrary code. Classifier parameters live in the manifest object
 * {@code classifiers.<prefix>}. Stateless and thread-safe.
 */
public final class Classifiers {
  /** Family names accepted by {@link #train}. */
  public static final List<String> KINDS = List.of(RandomForest.KIND, GradientBoosting.KIND, LogisticRegression.KIND);

  /** Batches smaller than this are scored on the calling thread. */
  private static final int PARALLEL_MIN_ROWS = 16 * 1024;
  private static final int BLOCK_ROWS = 1024;

  private Classifiers() {}

  /**
   * Trains a classifier of family {@code kind} ("rf", "gbm" or "logreg") on the rows of {@code x}
   * with class ids {@code y} (indexes into {@code classes}). Deterministic for a seed.
   *
   * @throws IllegalArgumentException for an unknown kind, fewer than two classes, duplicate class
   *     names, a label out of range, a length mismatch or no rows
   */
  public static Classifier train(String kind, Matrix x, int[] y, List<String> classes, ClassifierOptions options) {
    Objects.requireNonNull(options, "options");
    checkClasses(classes);
    if (y.length != x.rows() || x.rows() == 0) {
      throw new IllegalArgumentException("expected one label per row and at least one row, got " + y.length
          + " labels for " + x.rows() + " rows");
    }
    for (int i = 0; i < y.length; i++) {
      if (y[i] < 0 || y[i] >= classes.size()) {
        throw new IllegalArgumentException("label of row " + i + " is " + y[i] + ", expected a class id in [0, "
            + classes.size() + ")");
      }
    }
    return switch (kind.trim().toLowerCase(Locale.ROOT)) {
      case RandomForest.KIND -> RandomForest.train(x, y, classes, options);
      case GradientBoosting.KIND -> GradientBoosting.train(x, y, classes, options);
      case LogisticRegression.KIND -> LogisticRegression.train(x, y, classes, options);
      default -> throw new IllegalArgumentException("supervised: unknown model '" + kind + "', expected one of "
          + String.join(", ", KINDS));
    };
  }

  /**
   * Reads the classifier written under {@code prefix}, of whichever family its manifest names.
   *
   * @throws ModelFormatException if it is missing, of an unknown family, or malformed
   */
  public static Classifier readFrom(ModelArchive archive, String prefix) throws ModelFormatException {
    JsonNode node = archive.manifest().path("classifiers").path(prefix);
    String kind = node.path("kind").asText("");
    return switch (kind) {
      case RandomForest.KIND -> RandomForest.readFrom(archive, prefix);
      case GradientBoosting.KIND -> GradientBoosting.readFrom(archive, prefix);
      case LogisticRegression.KIND -> LogisticRegression.readFrom(archive, prefix);
      default -> throw new ModelFormatException("classifier '" + prefix + "': unknown or missing kind '" + kind + "'");
    };
  }

  /** Index of the largest of {@code p[from .. from + k)}, the first on a tie. */
  public static int argmax(double[] p, int from, int k) {
    int best = 0;
    for (int c = 1; c < k; c++) {
      if (p[from + c] > p[from + best]) {
        best = c;
      }
    }
    return best;
  }

  private static void checkClasses(List<String> classes) {
    if (classes.size() < 2) {
      throw new IllegalArgumentException("expected at least two classes, got " + classes);
    }
    if (new HashSet<>(classes).size() != classes.size() || classes.stream().anyMatch(c -> c == null || c.isEmpty())) {
      throw new IllegalArgumentException("class names must be distinct and non-empty, got " + classes);
    }
  }

  static void checkBatch(Classifier c, Matrix x, double[] out) {
    if (x.cols() != c.features()) {
      throw new IllegalArgumentException(c.kind() + ": batch has " + x.cols() + " features, expected " + c.features());
    }
    if (out.length < (long) x.rows() * c.classes().size()) {
      throw new IllegalArgumentException(c.kind() + ": output holds " + out.length + " values, expected "
          + (long) x.rows() * c.classes().size());
    }
  }

  /** Work on a range of rows [from, to). */
  interface RowRange {
    void run(int from, int to);
  }

  /** Runs {@code body} over [0, rows) in blocks, on all processors when the batch is large. */
  static void forRowBlocks(int rows, RowRange body) {
    if (rows < PARALLEL_MIN_ROWS) {
      body.run(0, rows);
      return;
    }
    AtomicInteger next = new AtomicInteger();
    int blocks = (rows + BLOCK_ROWS - 1) / BLOCK_ROWS;
    DetectorWorkers.run(Runtime.getRuntime().availableProcessors(), () -> {
      for (int b; (b = next.getAndIncrement()) < blocks; ) {
        body.run(b * BLOCK_ROWS, Math.min(rows, (b + 1) * BLOCK_ROWS));
      }
    });
  }

  /** Joins grown trees into flat arrays with global child indices. */
  static TreeArrays concat(TreeGrower.Tree[] grown, int width) {
    int nodes = 0;
    for (TreeGrower.Tree t : grown) {
      nodes += t.nodes();
    }
    int[] roots = new int[grown.length];
    int[] feature = new int[nodes];
    float[] threshold = new float[nodes];
    int[] left = new int[nodes];
    int[] right = new int[nodes];
    double[] value = new double[nodes * width];
    int base = 0;
    for (int t = 0; t < grown.length; t++) {
      TreeGrower.Tree g = grown[t];
      roots[t] = base;
      for (int i = 0; i < g.nodes(); i++) {
        feature[base + i] = g.feature()[i];
        threshold[base + i] = g.threshold()[i];
        left[base + i] = g.left()[i] < 0 ? -1 : base + g.left()[i];
        right[base + i] = g.right()[i] < 0 ? -1 : base + g.right()[i];
      }
      System.arraycopy(g.value(), 0, value, base * width, g.nodes() * width);
      base += g.nodes();
    }
    return new TreeArrays(width, roots, feature, threshold, left, right, value);
  }

  /** Creates {@code classifiers.<prefix>} with kind, version, features and classes. */
  static ObjectNode paramsNode(ModelArchive.Builder archive, String prefix, Classifier c, int version) {
    Objects.requireNonNull(archive, "archive");
    Objects.requireNonNull(prefix, "prefix");
    ObjectNode all = archive.manifest().withObjectProperty("classifiers");
    if (all.has(prefix)) {
      throw new IllegalArgumentException("classifier '" + prefix + "' already written");
    }
    ObjectNode p = all.putObject(prefix);
    p.put("kind", c.kind());
    p.put("version", version);
    p.put("features", c.features());
    ArrayNode names = p.putArray("classes");
    c.classes().forEach(names::add);
    return p;
  }

  /** The checked parameters of the classifier under {@code prefix}. */
  static DetectorParams params(ModelArchive archive, String prefix, String kind, int version)
      throws ModelFormatException {
    Objects.requireNonNull(archive, "archive");
    Objects.requireNonNull(prefix, "prefix");
    DetectorParams p = new DetectorParams(archive.manifest().path("classifiers").get(prefix), kind, prefix);
    p.requireKindAndVersion(version);
    return p;
  }

  /** The class names written by {@link #paramsNode}: at least two, distinct, non-empty. */
  static List<String> readClasses(ModelArchive archive, String prefix, DetectorParams p) throws ModelFormatException {
    JsonNode names = archive.manifest().path("classifiers").path(prefix).get("classes");
    if (names == null || !names.isArray()) {
      throw p.error("classes missing or not an array");
    }
    List<String> classes = new ArrayList<>();
    for (JsonNode n : names) {
      if (!n.isTextual() || n.textValue().isEmpty()) {
        throw p.error("classes must be non-empty strings");
      }
      classes.add(n.textValue());
    }
    if (classes.size() < 2 || new HashSet<>(classes).size() != classes.size()) {
      throw p.error("classes must be at least two distinct names");
    }
    return List.copyOf(classes);
  }
}
