package io.netanomaly.core.detect.ensemble;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netanomaly.core.detect.Detector;
import io.netanomaly.core.detect.Matrix;
import io.netanomaly.core.model.ModelArchive;
import io.netanomaly.core.model.ModelFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Data and archive helpers shared by the tests of the kNN, LOF, autoencoder and ensemble detectors:
 * a Gaussian blob with planted outliers, random matrices, archive tampering and golden files.
 */
public final class DetectorFixtures {
  /** Rows of the blob before the planted outliers. */
  public static final int BLOB_ROWS = 2000;
  /** Planted outliers after the blob. */
  public static final int OUTLIERS = 20;
  /** Prefix detectors are written under in these tests. */
  public static final String PREFIX = "det0";
  private static final ObjectMapper JSON = new ObjectMapper();

  private DetectorFixtures() {}

  /**
   * 2,000 points of a standard Gaussian blob in {@code dims} dimensions, then 20 outliers: at
   * distance 7 to 10 from the centre in random directions, or, if {@code alongFeatureZero}, at
   * ±(8 to 12) on feature 0 with the other features small.
   */
  public static Matrix blobWithOutliers(int dims, boolean alongFeatureZero, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int rows = BLOB_ROWS + OUTLIERS;
    float[] d = new float[rows * dims];
    for (int i = 0; i < BLOB_ROWS * dims; i++) {
      d[i] = (float) rng.nextGaussian();
    }
    double[] dir = new double[dims];
    for (int o = 0; o < OUTLIERS; o++) {
      int off = (BLOB_ROWS + o) * dims;
      if (alongFeatureZero) {
        for (int j = 1; j < dims; j++) {
          d[off + j] = (float) (0.3 * rng.nextGaussian());
        }
        d[off] = (float) ((o % 2 == 0 ? 1 : -1) * (8 + 4 * rng.nextDouble()));
      } else {
        double norm = 0;
        for (int j = 0; j < dims; j++) {
          dir[j] = rng.nextGaussian();
          norm += dir[j] * dir[j];
        }
        double radius = 7 + 3 * rng.nextDouble();
        for (int j = 0; j < dims; j++) {
          d[off + j] = (float) (radius * dir[j] / Math.sqrt(norm));
        }
      }
    }
    return new Matrix(d, rows, dims);
  }

  /** Standard Gaussian values times {@code spread}. */
  public static Matrix gaussianMatrix(int rows, int cols, double spread, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] d = new float[rows * cols];
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) (spread * rng.nextGaussian());
    }
    return new Matrix(d, rows, cols);
  }

  /** How many of the {@code top} highest scores belong to the planted outliers (rows ≥ 2,000). */
  public static long outliersAmongTop(double[] scores, int top) {
    return IntStream.range(0, scores.length).boxed()
        .sorted(Comparator.comparingDouble((Integer i) -> scores[i]).reversed())
        .limit(top).filter(i -> i >= BLOB_ROWS).count();
  }

  /** An archive holding only {@code detector} under {@link #PREFIX}. */
  public static ModelArchive archiveOf(Detector detector) {
    ModelArchive.Builder b = ModelArchive.builder();
    detector.writeTo(b, PREFIX);
    return b.build();
  }

  /**
   * A copy of {@code good} with array {@code name} replaced (if not null) and the parameters at
   * {@code manifest.detectors.<paramsOf>} edited.
   */
  public static ModelArchive rebuild(ModelArchive good, String name, Object replacement, String paramsOf,
      Consumer<ObjectNode> edit) {
    ModelArchive.Builder b = ModelArchive.builder();
    b.manifest().setAll((ObjectNode) good.manifest());
    edit.accept((ObjectNode) b.manifest().get("detectors").get(paramsOf));
    for (String n : good.arrayNames()) {
      Object a = n.equals(name) ? replacement : arrayOf(good, n);
      if (a instanceof int[] ints) {
        b.put(n, ints);
      } else if (a instanceof float[] floats) {
        b.put(n, floats);
      } else if (a instanceof double[] doubles) {
        b.put(n, doubles);
      } else {
        b.put(n, (long[]) a);
      }
    }
    return b.build();
  }

  /** A copy of {@code good} with array {@code name} replaced. */
  public static ModelArchive withArray(ModelArchive good, String name, Object replacement) {
    return rebuild(good, name, replacement, PREFIX, p -> { });
  }

  /** A copy of {@code good} with the parameters under {@link #PREFIX} edited. */
  public static ModelArchive withParams(ModelArchive good, Consumer<ObjectNode> edit) {
    return rebuild(good, null, null, PREFIX, edit);
  }

  /** The array {@code name} of {@code a}, whatever its element type. */
  public static Object arrayOf(ModelArchive a, String name) {
    for (int kind = 0; kind < 4; kind++) {
      try {
        return switch (kind) {
          case 0 -> a.ints(name);
          case 1 -> a.floats(name);
          case 2 -> a.doubles(name);
          default -> a.longs(name);
        };
      } catch (ModelFormatException wrongType) {
        // try the next element type
      }
    }
    throw new AssertionError("no array " + name);
  }

  /** Asserts both archives hold the same array names with equal contents. */
  public static void assertSameArrays(ModelArchive a, ModelArchive b) {
    assertThat(b.arrayNames()).containsExactlyElementsOf(a.arrayNames());
    for (String name : a.arrayNames()) {
      assertThat(arrayOf(b, name)).as(name).isEqualTo(arrayOf(a, name));
    }
  }

  /** The tiny training matrix every golden detector file is fitted on: 200 × 4 Gaussian, seed 21. */
  public static Matrix goldenTraining() {
    return gaussianMatrix(200, 4, 1.0, 21);
  }

  /** The 20 rows every golden file's expected scores are for: 20 × 4 Gaussian with spread 2, seed 22. */
  public static Matrix goldenRows() {
    return gaussianMatrix(20, 4, 2.0, 22);
  }

  /** The committed golden file {@code golden/<name>} on the test class path. */
  public static Path goldenResource(String name) throws Exception {
    var url = DetectorFixtures.class.getResource("/golden/" + name);
    assertThat(url).as("test resource golden/" + name).isNotNull();
    return Path.of(url.toURI());
  }

  /** The expected scores stored in {@code golden/<name>}. */
  public static double[] goldenScores(String name) throws Exception {
    JsonNode node = JSON.readTree(goldenResource(name).toFile()).get("scores");
    double[] s = new double[node.size()];
    for (int i = 0; i < s.length; i++) {
      s[i] = node.get(i).asDouble();
    }
    return s;
  }

  /**
   * Writes {@code detector} as {@code src/test/resources/golden/<base>.nam} and its scores of
   * {@link #goldenRows()} as {@code <base>-expected.json} (run from the core module folder, as
   * Maven does).
   */
  public static void writeGolden(Detector detector, String base, String howTrained) throws Exception {
    Path folder = Path.of("src/test/resources/golden");
    Files.createDirectories(folder);
    archiveOf(detector).write(folder.resolve(base + ".nam"));
    ObjectNode expected = JSON.createObjectNode();
    expected.put("model", base + ".nam");
    expected.put("trained", howTrained);
    expected.put("rows", "DetectorFixtures.goldenRows(): 20 x 4 Gaussian, spread 2, seed 22");
    ArrayNode scores = expected.putArray("scores");
    for (double s : detector.score(goldenRows())) {
      scores.add(s);
    }
    JSON.writer().with(SerializationFeature.INDENT_OUTPUT).writeValue(folder.resolve(base + "-expected.json").toFile(),
        expected);
  }
}
