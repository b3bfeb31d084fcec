package io.netanomaly.core.detect.iforest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netanomaly.core.detect.Matrix;
import io.netanomaly.core.model.ModelArchive;
import io.netanomaly.core.model.ModelFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Data and checks shared by the detector tests: a Gaussian blob with planted outliers, archive
 * tampering, and per-detector golden files ({@code src/test/resources/golden/<name>.nam} plus
 * {@code <name>-expected.json} holding the scores of {@link #goldenQueries}).
 */
public final class DetectorTestData {
  /** Normal rows in {@link #blobWithOutliers}; the outliers follow them. */
  public static final int NORMAL = 2000;
  /** Planted outliers in {@link #blobWithOutliers}. */
  public static final int OUTLIERS = 20;
  /** System property that makes the golden tests rewrite their files. */
  public static final String REGENERATE = "netanomaly.regenerateGolden";
  private static final ObjectMapper JSON = new ObjectMapper();

  private DetectorTestData() {}

  /**
   * 2,000 standard Gaussian points in {@code dims} dimensions, then 20 outliers: at radius 8 to 12
   * in the plane of the first two features, or (alongFeatureZero) at ±8 to ±12 on feature 0 with
   * the other features at 0.3 σ.
   */
  public static Matrix blobWithOutliers(int dims, boolean alongFeatureZero, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int rows = NORMAL + OUTLIERS;
    float[] d = new float[rows * dims];
    for (int i = 0; i < NORMAL * dims; i++) {
      d[i] = (float) rng.nextGaussian();
    }
    for (int o = 0; o < OUTLIERS; o++) {
      int off = (NORMAL + o) * dims;
      if (alongFeatureZero) {
        for (int j = 1; j < dims; j++) {
          d[off + j] = (float) (0.3 * rng.nextGaussian());
        }
        d[off] = (float) ((o % 2 == 0 ? 1 : -1) * (8 + 4 * rng.nextDouble()));
      } else {
        double angle = 2 * Math.PI * o / OUTLIERS;
        double radius = 8 + 4 * rng.nextDouble();
        d[off] = (float) (radius * Math.cos(angle));
        d[off + 1] = (float) (radius * Math.sin(angle));
      }
    }
    return new Matrix(d, rows, dims);
  }

  /** Uniform values in [−1, 1): a matrix with no structure. */
  public static Matrix uniform(int rows, int cols, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] d = new float[rows * cols];
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) (2 * rng.nextDouble() - 1);
    }
    return new Matrix(d, rows, cols);
  }

  /** How many of the {@code k} highest scores belong to the planted outliers (rows ≥ 2,000). */
  public static long outliersInTop(double[] scores, int k) {
    return IntStream.range(0, scores.length).boxed()
        .sorted(Comparator.comparingDouble((Integer i) -> scores[i]).reversed())
        .limit(k).filter(i -> i >= NORMAL).count();
  }

  /** ROC-AUC of {@code scores} with rows ≥ {@code firstPositive} positive (ties count half). */
  public static double rocAuc(double[] scores, int firstPositive) {
    long pairs = 0;
    double wins = 0;
    for (int p = firstPositive; p < scores.length; p++) {
      for (int n = 0; n < firstPositive; n++) {
        pairs++;
        wins += scores[p] > scores[n] ? 1 : scores[p] == scores[n] ? 0.5 : 0;
      }
    }
    return wins / pairs;
  }

  /** Writes a detector into a fresh archive under {@code prefix}. */
  public static ModelArchive archiveOf(Consumer<ModelArchive.Builder> writer) {
    ModelArchive.Builder b = ModelArchive.builder();
    writer.accept(b);
    return b.build();
  }

  /** A copy of {@code good} with one array replaced (when {@code name} is not null) and the detector's parameters edited. */
  public static ModelArchive rebuild(ModelArchive good, String prefix, String name, Object replacement,
      Consumer<ObjectNode> edit) {
    ModelArchive.Builder b = ModelArchive.builder();
    b.manifest().setAll((ObjectNode) good.manifest());
    edit.accept((ObjectNode) b.manifest().get("detectors").get(prefix));
    for (String n : good.arrayNames()) {
      if (n.equals(name) && replacement == null) {
        continue;
      }
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

  /** The array named {@code name}, whatever its element type. */
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

  /** The 20 rows golden files are scored on: 12 from the blob, 8 far out, in {@code dims} dimensions. */
  public static Matrix goldenQueries(int dims) {
    SplittableRandom rng = new SplittableRandom(12345);
    float[] d = new float[20 * dims];
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) (rng.nextGaussian() * (i / dims < 12 ? 1 : 6));
    }
    return new Matrix(d, 20, dims);
  }

  private static Path goldenFolder() {
    return Path.of("src/test/resources/golden");
  }

  /** Writes {@code golden/<name>.nam} and its expected scores (run from the core module folder). */
  public static void writeGolden(String name, ModelArchive archive, double[] scores, String description)
      throws Exception {
    Files.createDirectories(goldenFolder());
    archive.write(goldenFolder().resolve(name + ".nam"));
    ObjectNode expected = JSON.createObjectNode();
    expected.put("model", name + ".nam");
    expected.put("trained_on", description);
    expected.put("rows", "DetectorTestData.goldenQueries");
    ArrayNode s = expected.putArray("scores");
    for (double v : scores) {
      s.add(v);
    }
    JSON.writer().with(SerializationFeature.INDENT_OUTPUT)
        .writeValue(goldenFolder().resolve(name + "-expected.json").toFile(), expected);
  }

  /** Reads the committed {@code golden/<name>.nam} from the test class path. */
  public static ModelArchive readGolden(String name) throws Exception {
    var url = DetectorTestData.class.getResource("/golden/" + name + ".nam");
    assertThat(url).as("golden file " + name + ".nam (regenerate with -D" + REGENERATE + "=true)").isNotNull();
    return ModelArchive.read(Path.of(url.toURI()));
  }

  /** Asserts {@code scores} equal the committed expected scores of {@code name} to 1e-12. */
  public static void assertGoldenScores(String name, double[] scores) throws Exception {
    var url = DetectorTestData.class.getResource("/golden/" + name + "-expected.json");
    assertThat(url).as("golden scores " + name).isNotNull();
    JsonNode want = JSON.readTree(Path.of(url.toURI()).toFile()).get("scores");
    assertThat(scores).hasSize(want.size());
    for (int i = 0; i < scores.length; i++) {
      assertThat(scores[i]).as(name + " score " + i).isCloseTo(want.get(i).asDouble(), within(1e-12));
    }
    assertThat(Arrays.stream(scores).allMatch(Double::isFinite)).isTrue();
  }
}
