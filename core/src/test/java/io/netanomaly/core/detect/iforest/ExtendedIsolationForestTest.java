package io.netanomaly.core.detect.iforest;

import static io.netanomaly.core.detect.iforest.DetectorTestData.NORMAL;
import static io.netanomaly.core.detect.iforest.DetectorTestData.archiveOf;
import static io.netanomaly.core.detect.iforest.DetectorTestData.blobWithOutliers;
import static io.netanomaly.core.detect.iforest.DetectorTestData.outliersInTop;
import static io.netanomaly.core.detect.iforest.DetectorTestData.rebuild;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netanomaly.core.detect.Matrix;
import io.netanomaly.core.model.ModelArchive;
import io.netanomaly.core.model.ModelFormatException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

class ExtendedIsolationForestTest {
  private static final String PREFIX = "det0";
  private static final String GOLDEN = "eif-v2";

  private static ModelArchive archiveOfForest(IsolationForest forest) {
    return archiveOf(b -> forest.writeTo(b, PREFIX));
  }

  @Test
  void plantedOutliersGetTheHighestScores() {
    Matrix x = blobWithOutliers(5, false, 7);
    IsolationForest forest = IsolationForest.builder().extended(true).seed(3).fit(x);
    double[] scores = forest.score(x);
    assertThat(outliersInTop(scores, 20)).isGreaterThanOrEqualTo(18);
    assertThat(forest.extended()).isTrue();
    assertThat(forest.extensionLevel()).isEqualTo(4);
    assertThat(forest.kind()).isEqualTo("iforest");
    assertThat(Arrays.stream(scores).boxed()).allSatisfy(s -> assertThat(s).isGreaterThan(0.0).isLessThanOrEqualTo(1.0));
  }

  @Test
  void theStandardForestStaysTheDefaultAndIsWrittenAsVersion1() {
    Matrix x = blobWithOutliers(3, false, 2);
    IsolationForest standard = IsolationForest.builder().trees(5).fit(x);
    assertThat(standard.extended()).isFalse();
    assertThat(standard.extensionLevel()).isEqualTo(-1);
    ModelArchive a = archiveOfForest(standard);
    assertThat(a.manifest().path("detectors").path(PREFIX).path("version").asInt()).isEqualTo(1);
    assertThat(a.manifest().path("detectors").path(PREFIX).has("extension_level")).isFalse();
    assertThat(a.arrayNames()).doesNotContain(PREFIX + ".normal");
    IsolationForest off = IsolationForest.builder().trees(5).extensionLevel(1).extended(false).fit(x);
    assertThat(off.score(x)).isEqualTo(standard.score(x));
  }

  @Test
  void normalsHaveExtensionLevelPlusOneNonZeroComponents() throws Exception {
    Matrix x = DetectorTestData.uniform(1000, 6, 3);
    for (int level : new int[] {0, 2, 5}) {
      IsolationForest forest = IsolationForest.builder().extensionLevel(level).trees(10).seed(level).fit(x);
      assertThat(forest.extensionLevel()).isEqualTo(level);
      ModelArchive a = archiveOfForest(forest);
      float[] normal = a.floats(PREFIX + ".normal");
      int[] left = a.ints(PREFIX + ".left");
      for (int node = 0; node < left.length; node++) {
        int nonZero = 0;
        for (int f = 0; f < 6; f++) {
          nonZero += normal[node * 6 + f] != 0 ? 1 : 0;
        }
        assertThat(nonZero).as("level %d node %d", level, node).isEqualTo(left[node] < 0 ? 0 : level + 1);
      }
    }
    // capped at the features minus one
    assertThat(IsolationForest.builder().extensionLevel(50).trees(2).fit(x).extensionLevel()).isEqualTo(5);
  }

  @Test
  void sameSeedGivesIdenticalForestsForAnyThreadCount() {
    Matrix x = blobWithOutliers(4, false, 9);
    IsolationForest one = IsolationForest.builder().extended(true).seed(42).threads(1).fit(x);
    IsolationForest two = IsolationForest.builder().extended(true).seed(42).threads(2).fit(x);
    ModelArchive a = archiveOfForest(one);
    ModelArchive b = archiveOfForest(two);
    for (String name : a.arrayNames()) {
      assertThat(DetectorTestData.arrayOf(b, name)).as(name).isEqualTo(DetectorTestData.arrayOf(a, name));
    }
    double[] s1 = new double[x.rows()];
    double[] s2 = new double[x.rows()];
    one.score(x, s1, 1);
    one.score(x, s2, 2);
    assertThat(s2).isEqualTo(s1);
    IsolationForest other = IsolationForest.builder().extended(true).seed(43).fit(x);
    assertThat(other.score(x)).isNotEqualTo(s1);
  }

  @Test
  void batchScoresAgreeWithAReferenceScorerOnTheArchive() throws Exception {
    Matrix x = blobWithOutliers(4, false, 19);
    IsolationForest forest = IsolationForest.builder().extended(true).trees(20).seed(5).fit(x);
    ModelArchive a = archiveOfForest(forest);
    JsonNode params = a.manifest().path("detectors").path(PREFIX);
    int trees = params.get("trees").intValue();
    int psi = params.get("sample_size").intValue();
    int[] offsets = a.ints(PREFIX + ".tree_offsets");
    int[] left = a.ints(PREFIX + ".left");
    double[] value = a.doubles(PREFIX + ".value");
    float[] normal = a.floats(PREFIX + ".normal");
    double[] intercept = a.doubles(PREFIX + ".intercept");
    double[] actual = forest.score(x);
    for (int r = 0; r < x.rows(); r += 7) {
      double sum = 0;
      for (int t = 0; t < trees; t++) {
        int node = 0;
        int depth = 0;
        while (left[offsets[t] + node] >= 0) {
          int g = offsets[t] + node;
          double[] part = new double[4];
          for (int f = 0; f < 4; f++) {
            part[f % 4] += (double) normal[g * 4 + f] * x.get(r, f);
          }
          double dot = (part[0] + part[1]) + (part[2] + part[3]);
          node = left[g] + (dot > intercept[g] ? 1 : 0);
          depth++;
        }
        assertThat(value[offsets[t] + node]).isGreaterThanOrEqualTo(depth);
        sum += value[offsets[t] + node];
      }
      double expected = Math.pow(2, -(sum / trees) / IsolationForest.averagePathLength(psi));
      assertThat(actual[r]).as("row %d", r).isCloseTo(expected, within(1e-12));
    }
  }

  /**
   * 11 columns (a tail past the last group of four): Gaussians, a one-hot category and a rarely
   * non-zero column, so deep nodes see few varying features and their normals are sparse.
   */
  private static Matrix mixedColumns(int rows, long seed) {
    java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
    float[] d = new float[rows * 11];
    for (int r = 0; r < rows; r++) {
      int o = r * 11;
      for (int f : new int[] {0, 1, 2, 3, 10}) {
        d[o + f] = (float) rng.nextGaussian();
      }
      d[o + 4 + rng.nextInt(5)] = 1;
      d[o + 9] = rng.nextInt(50) == 0 ? (float) rng.nextDouble(10) : 0;
    }
    return new Matrix(d, rows, 11);
  }

  /** Scores by walking the archived trees with the dense projection, summing path lengths in tree order. */
  private static double[] denseReferenceScores(IsolationForest forest, Matrix x) throws Exception {
    ModelArchive a = archiveOfForest(forest);
    int[] offsets = a.ints(PREFIX + ".tree_offsets");
    int[] left = a.ints(PREFIX + ".left");
    double[] value = a.doubles(PREFIX + ".value");
    float[] normal = a.floats(PREFIX + ".normal");
    double[] intercept = a.doubles(PREFIX + ".intercept");
    int cols = x.cols();
    int trees = forest.trees();
    double scale = Math.log(2) / (trees * IsolationForest.averagePathLength(forest.sampleSize()));
    double[] scores = new double[x.rows()];
    for (int r = 0; r < x.rows(); r++) {
      double sum = 0;
      for (int t = 0; t < trees; t++) {
        int g = offsets[t];
        while (left[g] >= 0) {
          double dot = ExtendedIsolationTree.project(normal, g * cols, x.data(), r * cols, cols);
          g = offsets[t] + left[g] + (dot > intercept[g] ? 1 : 0);
        }
        sum += value[g];
      }
      scores[r] = Math.exp(-sum * scale);
    }
    return scores;
  }

  @Test
  void sparseNormalsScoreExactlyAsTheDenseProjection() throws Exception {
    Matrix x = mixedColumns(2_000, 12);
    IsolationForest forest = IsolationForest.builder().extended(true).trees(30).seed(6).threads(1).fit(x);
    ModelArchive a = archiveOfForest(forest);
    int[] left = a.ints(PREFIX + ".left");
    float[] normal = a.floats(PREFIX + ".normal");
    long zeros = IntStream.range(0, left.length).filter(i -> left[i] >= 0)
        .mapToLong(i -> IntStream.range(0, 11).filter(f -> normal[i * 11 + f] == 0).count()).sum();
    assertThat(zeros).as("zero components of inner-node normals").isPositive();

    assertThat(forest.score(x)).isEqualTo(denseReferenceScores(forest, x));
  }

  @Test
  void nonFiniteRowsScoreAsTheDenseProjectionAndLeaveTheirBlockMatesUnchanged() throws Exception {
    Matrix x = mixedColumns(2_000, 12);
    IsolationForest forest = IsolationForest.builder().extended(true).trees(30).seed(6).threads(1).fit(x);
    double[] clean = forest.score(x);
    float[] d = x.data().clone();
    d[300 * 11 + 9] = Float.NaN;
    d[700 * 11 + 2] = Float.POSITIVE_INFINITY;
    Matrix dirtyRows = new Matrix(d, 2_000, 11);
    double[] dirty = forest.score(dirtyRows);

    assertThat(dirty).isEqualTo(denseReferenceScores(forest, dirtyRows));
    for (int r = 0; r < 2_000; r++) {
      if (r != 300 && r != 700) {
        assertThat(dirty[r]).as("row %d", r).isEqualTo(clean[r]);
      }
    }
    // every projection of a row holding NaN is NaN: it goes left everywhere, like an all-NaN row
    float[] allNaN = new float[11];
    Arrays.fill(allNaN, Float.NaN);
    assertThat(dirty[300]).isEqualTo(forest.score(new Matrix(allNaN, 1, 11))[0]);
  }

  @Test
  void writeThenReadGivesIdenticalScoresAndAttributions() throws Exception {
    Matrix x = blobWithOutliers(5, true, 31);
    IsolationForest forest = IsolationForest.builder().extensionLevel(2).maxFeatures(0.8).trees(30).seed(-5).fit(x);
    ModelArchive archive = archiveOfForest(forest);
    assertThat(archive.manifest().path("detectors").path(PREFIX).path("version").asInt()).isEqualTo(2);
    IsolationForest back = IsolationForest.readFrom(archive, PREFIX);
    assertThat(back.score(x)).isEqualTo(forest.score(x));
    assertThat(back.extended()).isTrue();
    assertThat(back.extensionLevel()).isEqualTo(2);
    assertThat(back.nodes()).isEqualTo(forest.nodes());
    double[] fa = new double[5];
    double[] fb = new double[5];
    forest.attribute(x.data(), 2003 * 5, fa);
    back.attribute(x.data(), 2003 * 5, fb);
    assertThat(fb).isEqualTo(fa);
  }

  @Test
  void tamperedArchivesAreRejected() throws Exception {
    IsolationForest forest = IsolationForest.builder().extended(true).trees(4).seed(1)
        .fit(blobWithOutliers(3, false, 41).slice(0, 600));
    ModelArchive good = archiveOfForest(forest);
    float[] normal = good.floats(PREFIX + ".normal");
    double[] intercept = good.doubles(PREFIX + ".intercept");
    int[] left = good.ints(PREFIX + ".left");
    int[] samples = good.ints(PREFIX + ".samples");
    int inner = IntStream.range(0, left.length).filter(i -> left[i] >= 0).findFirst().orElseThrow();
    int leaf = IntStream.range(0, left.length).filter(i -> left[i] < 0).findFirst().orElseThrow();

    float[] nanNormal = normal.clone();
    nanNormal[inner * 3] = Float.NaN;
    assertRejected(good, PREFIX + ".normal", nanNormal, p -> { });
    assertRejected(good, PREFIX + ".normal", Arrays.copyOf(normal, normal.length - 1), p -> { });
    assertRejected(good, PREFIX + ".normal", null, p -> { });
    double[] infIntercept = intercept.clone();
    infIntercept[inner] = Double.POSITIVE_INFINITY;
    assertRejected(good, PREFIX + ".intercept", infIntercept, p -> { });
    assertRejected(good, PREFIX + ".center", new double[2], p -> { });
    assertRejected(good, PREFIX + ".center", null, p -> { });
    int[] badLeft = left.clone();
    badLeft[inner] = left.length + 3;
    assertRejected(good, PREFIX + ".left", badLeft, p -> { });
    int[] leafWithChild = left.clone();
    leafWithChild[leaf] = -2;
    assertRejected(good, PREFIX + ".left", leafWithChild, p -> { });
    int[] badSamples = samples.clone();
    badSamples[inner] = 1;
    assertRejected(good, PREFIX + ".samples", badSamples, p -> { });
    assertRejected(good, null, null, p -> p.put("extension_level", 3));
    assertRejected(good, null, null, p -> p.put("extension_level", -1));
    assertRejected(good, null, null, p -> p.remove("extension_level"));
    assertRejected(good, null, null, p -> p.put("version", 1));
    assertRejected(good, null, null, p -> p.put("version", 3));
    assertRejected(good, null, null, p -> p.put("nodes", left.length + 1));
  }

  private static void assertRejected(ModelArchive good, String name, Object replacement, Consumer<ObjectNode> edit) {
    ModelArchive bad = rebuild(good, PREFIX, name, replacement, edit);
    assertThatThrownBy(() -> IsolationForest.readFrom(bad, PREFIX)).isInstanceOf(ModelFormatException.class);
  }

  @Test
  void attributionPointsAtTheFeatureOutliersDifferIn() {
    Matrix x = blobWithOutliers(5, true, 13);
    IsolationForest forest = IsolationForest.builder().extended(true).seed(8).fit(x);
    double[] share = new double[5];
    for (int r = NORMAL; r < x.rows(); r++) {
      forest.attribute(x.data(), r * 5, share);
      assertThat(Arrays.stream(share).sum()).isCloseTo(1.0, within(1e-9));
      assertThat(Arrays.stream(share).min().orElseThrow()).isGreaterThanOrEqualTo(0.0);
      int top = IntStream.range(0, 5).boxed().max(Comparator.comparingDouble(i -> share[i])).orElseThrow();
      assertThat(top).as("row %d shares %s", r, Arrays.toString(share)).isEqualTo(0);
    }
  }

  @Test
  void constantDataGivesSingleLeafTrees() {
    float[] d = new float[200 * 3];
    Arrays.fill(d, 2f);
    IsolationForest forest = IsolationForest.builder().extended(true).trees(6).fit(new Matrix(d, 200, 3));
    assertThat(forest.nodes()).isEqualTo(6);
    assertThat(forest.score(new Matrix(d, 200, 3))[0]).isCloseTo(0.5, within(1e-12));
    double[] share = {9, 9, 9};
    forest.attribute(d, 0, share);
    assertThat(share).containsExactly(0.0, 0.0, 0.0);
  }

  /** The committed golden file loads and scores as when it was written (format pin for extended "iforest" v2). */
  @Test
  void goldenFileScoresAsWhenWritten() throws Exception {
    IsolationForest forest = IsolationForest.readFrom(DetectorTestData.readGolden(GOLDEN), PREFIX);
    assertThat(forest.extended()).isTrue();
    DetectorTestData.assertGoldenScores(GOLDEN, forest.score(DetectorTestData.goldenQueries(3)));
  }

  @Test
  @EnabledIfSystemProperty(named = DetectorTestData.REGENERATE, matches = "true")
  void regenerateGoldenFile() throws Exception {
    IsolationForest forest = IsolationForest.builder().extended(true).trees(8).sampleSize(32).seed(4).threads(1)
        .fit(blobWithOutliers(3, false, 21).slice(1800, 2020));
    DetectorTestData.writeGolden(GOLDEN, archiveOfForest(forest), forest.score(DetectorTestData.goldenQueries(3)),
        "blobWithOutliers(3, false, 21) rows 1800..2019, extended, 8 trees, sample size 32, seed 4");
  }
}
