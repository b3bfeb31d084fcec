package io.netanomaly.core.detect.iforest;

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
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class IsolationForestTest {
  private static final String PREFIX = "det0";

  /** 2,000 points of a standard Gaussian blob in {@code dims} dimensions, then 20 outliers. */
  private static Matrix blobWithOutliers(int dims, boolean alongFeatureZeroOnly, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int normal = 2000;
    int rows = normal + 20;
    float[] d = new float[rows * dims];
    for (int i = 0; i < normal * dims; i++) {
      d[i] = (float) rng.nextGaussian();
    }
    for (int o = 0; o < 20; o++) {
      int off = (normal + o) * dims;
      if (alongFeatureZeroOnly) {
        for (int j = 1; j < dims; j++) {
          d[off + j] = (float) (0.3 * rng.nextGaussian());
        }
        d[off] = (float) ((o % 2 == 0 ? 1 : -1) * (8 + 4 * rng.nextDouble()));
      } else {
        double angle = 2 * Math.PI * o / 20;
        double radius = 8 + 4 * rng.nextDouble();
        d[off] = (float) (radius * Math.cos(angle));
        d[off + 1] = (float) (radius * Math.sin(angle));
      }
    }
    return new Matrix(d, rows, dims);
  }

  private static Matrix randomMatrix(int rows, int cols, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] d = new float[rows * cols];
    for (int i = 0; i < d.length; i++) {
      d[i] = (float) Math.exp(rng.nextGaussian());
    }
    return new Matrix(d, rows, cols);
  }

  private static ModelArchive archiveOf(IsolationForest forest) {
    ModelArchive.Builder b = ModelArchive.builder();
    forest.writeTo(b, PREFIX);
    return b.build();
  }

  private static int[] topIndices(double[] scores, int k) {
    return IntStream.range(0, scores.length).boxed()
        .sorted(Comparator.comparingDouble((Integer i) -> scores[i]).reversed())
        .limit(k).mapToInt(Integer::intValue).toArray();
  }

  @Test
  void plantedOutliersGetTheHighestScores() {
    Matrix x = blobWithOutliers(2, false, 7);
    IsolationForest forest = IsolationForest.builder().seed(3).fit(x);
    double[] scores = forest.score(x);
    long outliersInTop = Arrays.stream(topIndices(scores, 20)).filter(i -> i >= 2000).count();
    assertThat(outliersInTop).isGreaterThanOrEqualTo(18);
    assertThat(Arrays.stream(scores).boxed()).allSatisfy(s -> assertThat(s).isGreaterThan(0.0).isLessThanOrEqualTo(1.0));
    assertThat(forest.kind()).isEqualTo("iforest");
    assertThat(forest.features()).isEqualTo(2);
    assertThat(forest.trees()).isEqualTo(100);
    assertThat(forest.sampleSize()).isEqualTo(256);
    assertThat(forest.maxDepth()).isEqualTo(8);
  }

  @Test
  void sameSeedGivesIdenticalTreesAndScoresForAnyThreadCount() {
    Matrix x = randomMatrix(5000, 6, 1);
    IsolationForest one = IsolationForest.builder().seed(42).threads(1).fit(x);
    IsolationForest four = IsolationForest.builder().seed(42).threads(4).fit(x);
    ModelArchive a = archiveOf(one);
    ModelArchive b = archiveOf(four);
    for (String name : a.arrayNames()) {
      assertThat(arrayOf(b, name)).as(name).isEqualTo(arrayOf(a, name));
    }
    double[] s1 = new double[x.rows()];
    double[] s4 = new double[x.rows()];
    one.score(x, s1, 1);
    four.score(x, s4, 4);
    assertThat(s4).isEqualTo(s1);
    one.score(x, s4, 3);
    assertThat(s4).isEqualTo(s1);
  }

  @Test
  void differentSeedsGiveDifferentForests() throws Exception {
    Matrix x = randomMatrix(3000, 4, 2);
    IsolationForest a = IsolationForest.builder().seed(1).trees(20).fit(x);
    IsolationForest b = IsolationForest.builder().seed(2).trees(20).fit(x);
    assertThat(archiveOf(a).floats(PREFIX + ".threshold")).isNotEqualTo(archiveOf(b).floats(PREFIX + ".threshold"));
    assertThat(a.score(x)).isNotEqualTo(b.score(x));
  }

  @Test
  void constantFeaturesAreNeverSplitOn() throws Exception {
    SplittableRandom rng = new SplittableRandom(5);
    int rows = 1000;
    int cols = 4;
    float[] d = new float[rows * cols];
    for (int i = 0; i < rows; i++) {
      d[i * cols] = (float) rng.nextGaussian();
      d[i * cols + 1] = 3.5f;
      d[i * cols + 2] = (float) rng.nextGaussian();
      d[i * cols + 3] = -1f;
    }
    IsolationForest forest = IsolationForest.builder().seed(9).fit(new Matrix(d, rows, cols));
    int[] features = archiveOf(forest).ints(PREFIX + ".feature");
    Set<Integer> used = new HashSet<>();
    for (int f : features) {
      used.add(f);
    }
    assertThat(used).containsExactlyInAnyOrder(-1, 0, 2);
  }

  @Test
  void allConstantDataGivesSingleLeafTreesScoringOneHalf() throws Exception {
    float[] d = new float[300 * 3];
    Arrays.fill(d, 2f);
    Matrix x = new Matrix(d, 300, 3);
    IsolationForest forest = IsolationForest.builder().trees(10).fit(x);
    assertThat(forest.nodes()).isEqualTo(10);
    // every row ends at the root with h = c(ψ), so s = 2^-1
    assertThat(Arrays.stream(forest.score(x)).boxed()).allSatisfy(s -> assertThat(s).isCloseTo(0.5, within(1e-12)));
  }

  @Test
  void maxFeaturesLimitsEachTreeToASubsetOfFeatures() throws Exception {
    Matrix x = randomMatrix(2000, 5, 3);
    IsolationForest forest = IsolationForest.builder().maxFeatures(0.4).trees(30).seed(4).fit(x);
    ModelArchive a = archiveOf(forest);
    int[] offsets = a.ints(PREFIX + ".tree_offsets");
    int[] feature = a.ints(PREFIX + ".feature");
    Set<Integer> allTrees = new HashSet<>();
    for (int t = 0; t < 30; t++) {
      Set<Integer> inTree = new HashSet<>();
      for (int i = offsets[t]; i < offsets[t + 1]; i++) {
        if (feature[i] >= 0) {
          inTree.add(feature[i]);
        }
      }
      assertThat(inTree).hasSizeLessThanOrEqualTo(2);
      allTrees.addAll(inTree);
    }
    assertThat(allTrees).hasSizeGreaterThan(2);
    assertThat(forest.maxFeatures()).isEqualTo(0.4);
  }

  @Test
  void sampleSizeIsCappedAtTheTrainingRows() {
    IsolationForest forest = IsolationForest.builder().sampleSize(512).trees(5).fit(randomMatrix(100, 3, 8));
    assertThat(forest.sampleSize()).isEqualTo(100);
    assertThat(forest.maxDepth()).isEqualTo(7);
  }

  @Test
  void averagePathLengthMatchesScikitLearn() {
    assertThat(IsolationForest.averagePathLength(1)).isEqualTo(0.0);
    assertThat(IsolationForest.averagePathLength(2)).isEqualTo(1.0);
    // values printed by sklearn.ensemble._iforest._average_path_length
    assertThat(IsolationForest.averagePathLength(256)).isCloseTo(10.244770920119917, within(1e-12));
    assertThat(IsolationForest.averagePathLength(1000)).isCloseTo(12.969940887100174, within(1e-12));
  }

  @Test
  void batchScoresAgreeWithAReferenceRecursiveScorer() throws Exception {
    // ψ = 256 uses the padded kernel, ψ = 2048 (depth 11) the linked one
    for (int psi : new int[] {256, 2048}) {
      Matrix x = randomMatrix(4000, 5, psi);
      IsolationForest forest = IsolationForest.builder().sampleSize(psi).trees(25).seed(11).fit(x);
      ModelArchive a = archiveOf(forest);
      Matrix queries = queriesOnThresholds(a, x, 1003);
      double[] expected = referenceScores(a, queries);
      double[] actual = new double[queries.rows()];
      forest.score(queries, actual, 1);
      for (int r = 0; r < actual.length; r++) {
        assertThat(actual[r]).as("psi %d row %d", psi, r).isCloseTo(expected[r], within(1e-12));
      }
      forest.score(queries, actual, 2);
      for (int r = 0; r < actual.length; r++) {
        assertThat(actual[r]).as("psi %d row %d, 2 threads", psi, r).isCloseTo(expected[r], within(1e-12));
      }
    }
  }

  @Test
  void nanGoesLeftAtEverySplit() throws Exception {
    Matrix x = randomMatrix(2000, 3, 21);
    IsolationForest forest = IsolationForest.builder().trees(15).seed(2).fit(x);
    ModelArchive a = archiveOf(forest);
    float[] q = {Float.NaN, 1f, Float.intBitsToFloat(0xffc00000), 0.5f, Float.NaN, Float.NaN, 2f, 2f, 2f};
    Matrix queries = new Matrix(q, 3, 3);
    double[] expected = referenceScores(a, queries);
    double[] actual = forest.score(queries);
    for (int r = 0; r < 3; r++) {
      assertThat(actual[r]).isCloseTo(expected[r], within(1e-12));
    }
    // NaN everywhere behaves as −∞: left at every split
    float[] negInf = {Float.NEGATIVE_INFINITY, 1f, Float.NEGATIVE_INFINITY};
    float[] nan = {Float.NaN, 1f, Float.intBitsToFloat(0xffc00000)};
    assertThat(forest.score(new Matrix(nan, 1, 3))).isEqualTo(forest.score(new Matrix(negInf, 1, 3)));
  }

  /**
   * Rows mixing training values, the forest's own thresholds (so x == threshold is hit), ±0 and
   * ±∞; {@code rows} is not a multiple of the kernel's row group.
   */
  private static Matrix queriesOnThresholds(ModelArchive a, Matrix x, int rows) throws ModelFormatException {
    int cols = x.cols();
    int[] feature = a.ints(PREFIX + ".feature");
    float[] threshold = a.floats(PREFIX + ".threshold");
    float[][] byFeature = new float[cols][];
    for (int f = 0; f < cols; f++) {
      final int ff = f;
      int[] nodes = IntStream.range(0, feature.length).filter(i -> feature[i] == ff).toArray();
      byFeature[f] = new float[nodes.length];
      for (int k = 0; k < nodes.length; k++) {
        byFeature[f][k] = threshold[nodes[k]];
      }
    }
    SplittableRandom rng = new SplittableRandom(99);
    float[] special = {0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE, -Float.MAX_VALUE};
    float[] d = new float[rows * cols];
    for (int r = 0; r < rows; r++) {
      for (int f = 0; f < cols; f++) {
        int kind = rng.nextInt(4);
        float v;
        if (kind == 0 && byFeature[f].length > 0) {
          v = byFeature[f][rng.nextInt(byFeature[f].length)];
        } else if (kind == 1) {
          v = special[rng.nextInt(special.length)];
        } else {
          v = x.get(rng.nextInt(x.rows()), f);
        }
        d[r * cols + f] = v;
      }
    }
    return new Matrix(d, rows, cols);
  }

  /** Scores straight from the archive arrays by recursion, with scikit-learn's formula. */
  static double[] referenceScores(ModelArchive a, Matrix q) throws ModelFormatException {
    JsonNode params = a.manifest().path("detectors").path(PREFIX);
    int trees = params.get("trees").intValue();
    int psi = params.get("sample_size").intValue();
    int[] offsets = a.ints(PREFIX + ".tree_offsets");
    int[] feature = a.ints(PREFIX + ".feature");
    float[] threshold = a.floats(PREFIX + ".threshold");
    int[] left = a.ints(PREFIX + ".left");
    double[] value = a.doubles(PREFIX + ".value");
    double[] out = new double[q.rows()];
    for (int r = 0; r < q.rows(); r++) {
      double sum = 0;
      for (int t = 0; t < trees; t++) {
        sum += pathLength(offsets[t], 0, 0, feature, threshold, left, value, q, r);
      }
      out[r] = Math.pow(2, -(sum / trees) / IsolationForest.averagePathLength(psi));
    }
    return out;
  }

  private static double pathLength(int base, int node, int depth, int[] feature, float[] threshold, int[] left,
      double[] value, Matrix q, int row) {
    int g = base + node;
    if (feature[g] < 0) {
      assertThat(value[g]).isGreaterThanOrEqualTo(depth);
      return value[g];
    }
    float v = q.get(row, feature[g]);
    int next = v > threshold[g] ? left[g] + 1 : left[g];
    return pathLength(base, next, depth + 1, feature, threshold, left, value, q, row);
  }

  @Test
  void writeThenReadGivesBitIdenticalScores() throws Exception {
    for (int psi : new int[] {256, 2048}) {
      Matrix x = randomMatrix(3000, 4, 31);
      IsolationForest forest = IsolationForest.builder().sampleSize(psi).maxFeatures(0.75).trees(40).seed(-5).fit(x);
      ModelArchive archive = archiveOf(forest);
      IsolationForest back = IsolationForest.readFrom(archive, archive.manifest().path("detectors").path(PREFIX), PREFIX);
      assertThat(back.score(x)).isEqualTo(forest.score(x));
      assertThat(back.trees()).isEqualTo(40);
      assertThat(back.sampleSize()).isEqualTo(forest.sampleSize());
      assertThat(back.seed()).isEqualTo(-5);
      assertThat(back.maxFeatures()).isEqualTo(0.75);
      assertThat(back.features()).isEqualTo(4);
      assertThat(back.nodes()).isEqualTo(forest.nodes());
      double[] fa = new double[4];
      double[] fb = new double[4];
      forest.attribute(x.data(), 8, fa);
      back.attribute(x.data(), 8, fb);
      assertThat(fb).isEqualTo(fa);
      assertThat(IsolationForest.readFrom(archive, PREFIX).score(x)).isEqualTo(forest.score(x));
    }
  }

  @Test
  void writingTheSamePrefixTwiceIsRejected() {
    IsolationForest forest = IsolationForest.builder().trees(3).fit(randomMatrix(50, 2, 1));
    ModelArchive.Builder b = ModelArchive.builder();
    forest.writeTo(b, PREFIX);
    assertThatThrownBy(() -> forest.writeTo(b, PREFIX)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tamperedArchivesAreRejected() throws Exception {
    Matrix x = randomMatrix(1000, 3, 41);
    IsolationForest forest = IsolationForest.builder().trees(5).seed(1).fit(x);
    ModelArchive good = archiveOf(forest);
    int[] feature = good.ints(PREFIX + ".feature");
    int[] left = good.ints(PREFIX + ".left");
    int[] offsets = good.ints(PREFIX + ".tree_offsets");
    int inner = IntStream.range(0, feature.length).filter(i -> feature[i] >= 0).findFirst().orElseThrow();
    int leaf = IntStream.range(0, feature.length).filter(i -> feature[i] < 0).findFirst().orElseThrow();
    int treeSize = offsets[1];

    assertRejected(good, PREFIX + ".left", with(left, inner, treeSize + 5));
    assertRejected(good, PREFIX + ".left", with(left, inner, treeSize - 1));
    assertRejected(good, PREFIX + ".left", with(left, inner, inner - offsets[0]));
    assertRejected(good, PREFIX + ".left", with(left, inner, -1));
    assertRejected(good, PREFIX + ".left", with(left, leaf, 1));
    // two parents sharing children leaves another node without a parent
    assertRejected(good, PREFIX + ".left", with(left, 0, left[1] >= 0 ? left[1] : left[2]));
    assertRejected(good, PREFIX + ".feature", with(feature, inner, 3));
    assertRejected(good, PREFIX + ".feature", with(feature, inner, -2));
    assertRejected(good, PREFIX + ".feature", Arrays.copyOf(feature, feature.length - 1));
    assertRejected(good, PREFIX + ".tree_offsets", Arrays.copyOf(offsets, offsets.length - 1));
    assertRejected(good, PREFIX + ".tree_offsets", with(offsets, 1, offsets[2] + 1));
    assertRejected(good, PREFIX + ".left", Arrays.copyOf(left, left.length + 1));
    float[] threshold = good.floats(PREFIX + ".threshold").clone();
    threshold[inner] = Float.NaN;
    assertRejected(good, PREFIX + ".threshold", threshold);
    double[] value = good.doubles(PREFIX + ".value").clone();
    value[leaf] = Double.NaN;
    assertRejected(good, PREFIX + ".value", value);
    assertRejected(good, PREFIX + ".value", new float[feature.length]);
    int[] samples = good.ints(PREFIX + ".samples");
    assertRejected(good, PREFIX + ".samples", with(samples, left[inner] + offsets[0], samples[left[inner]] + 1));
    assertRejected(good, PREFIX + ".samples", with(samples, leaf, 0));

    assertRejectedParams(good, p -> p.put("trees", 6));
    assertRejectedParams(good, p -> p.put("features", 0));
    assertRejectedParams(good, p -> p.put("sample_size", 4));
    assertRejectedParams(good, p -> p.put("max_depth", 3));
    assertRejectedParams(good, p -> p.put("kind", "ocsvm"));
    assertRejectedParams(good, p -> p.put("version", 2));
    assertRejectedParams(good, p -> p.put("max_features", 1.5));
    assertRejectedParams(good, p -> p.put("seed", "zero"));
    assertRejectedParams(good, p -> p.remove("nodes"));
    // a lower feature count makes the stored feature ids out of range
    assertRejectedParams(good, p -> p.put("features", 1));
    assertThatThrownBy(() -> IsolationForest.readFrom(good, "other")).isInstanceOf(ModelFormatException.class);
  }

  @Test
  void aTooDeepTreeIsRejected() throws Exception {
    // grown with ψ = 1000 (depth 10), then declared as ψ = 8 (depth 3): node counts and depth no longer fit
    IsolationForest forest = IsolationForest.builder().trees(2).sampleSize(1000).fit(randomMatrix(1000, 2, 4));
    ModelArchive good = archiveOf(forest);
    assertRejectedParams(good, p -> p.put("sample_size", 8).put("max_depth", 3));
  }

  private static int[] with(int[] a, int index, int v) {
    int[] c = a.clone();
    c[index] = v;
    return c;
  }

  private static void assertRejected(ModelArchive good, String name, Object replacement) {
    ModelArchive bad = rebuild(good, name, replacement, p -> { });
    assertThatThrownBy(() -> IsolationForest.readFrom(bad, PREFIX)).isInstanceOf(ModelFormatException.class);
  }

  private static void assertRejectedParams(ModelArchive good, Consumer<ObjectNode> edit) {
    ModelArchive bad = rebuild(good, null, null, edit);
    assertThatThrownBy(() -> IsolationForest.readFrom(bad, PREFIX)).isInstanceOf(ModelFormatException.class);
  }

  private static ModelArchive rebuild(ModelArchive good, String name, Object replacement, Consumer<ObjectNode> edit) {
    ModelArchive.Builder b = ModelArchive.builder();
    b.manifest().setAll((ObjectNode) good.manifest());
    edit.accept((ObjectNode) b.manifest().get("detectors").get(PREFIX));
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

  private static Object arrayOf(ModelArchive a, String name) {
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

  @Test
  void attributionPointsAtTheFeatureOutliersDifferIn() {
    Matrix x = blobWithOutliers(5, true, 13);
    IsolationForest forest = IsolationForest.builder().seed(8).fit(x);
    double[] share = new double[5];
    for (int r = 2000; r < 2020; r++) {
      forest.attribute(x.data(), r * 5, share);
      assertThat(Arrays.stream(share).sum()).isCloseTo(1.0, within(1e-9));
      assertThat(Arrays.stream(share).min().orElseThrow()).isGreaterThanOrEqualTo(0.0);
      int top = IntStream.range(0, 5).boxed().max(Comparator.comparingDouble(i -> share[i])).orElseThrow();
      assertThat(top).as("row %d shares %s", r, Arrays.toString(share)).isEqualTo(0);
      double runnerUp = Arrays.stream(share, 1, 5).max().orElseThrow();
      // uniform would be 0.2 each: feature 0 must stand clearly apart
      assertThat(share[0]).isGreaterThan(0.5).isGreaterThan(3 * runnerUp);
    }
  }

  @Test
  void attributionOfSingleLeafForestIsAllZero() {
    float[] d = new float[100 * 2];
    Arrays.fill(d, 1f);
    IsolationForest forest = IsolationForest.builder().trees(4).fit(new Matrix(d, 100, 2));
    double[] share = {9, 9};
    forest.attribute(d, 0, share);
    assertThat(share).containsExactly(0.0, 0.0);
  }

  @Test
  void badInputsAreRejected() {
    IsolationForest forest = IsolationForest.builder().trees(3).fit(randomMatrix(50, 2, 1));
    assertThatThrownBy(() -> forest.score(randomMatrix(5, 3, 1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> forest.score(randomMatrix(5, 2, 1), new double[4])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> forest.score(randomMatrix(5, 2, 1), new double[5], 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> forest.attribute(new float[3], 2, new double[2])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> IsolationForest.builder().fit(randomMatrix(1, 2, 1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> IsolationForest.builder().maxFeatures(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> IsolationForest.builder().sampleSize(1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> IsolationForest.builder().trees(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> IsolationForest.builder().threads(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void withThreadsSharesTheTrees() {
    Matrix x = randomMatrix(20_000, 3, 6);
    IsolationForest forest = IsolationForest.builder().trees(10).threads(1).fit(x);
    IsolationForest wide = forest.withThreads(3);
    assertThat(wide.threads()).isEqualTo(3);
    assertThat(wide.score(x)).isEqualTo(forest.score(x));
  }
}
