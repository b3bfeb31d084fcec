package io.netanomaly.core.detect.knn;

import static io.netanomaly.core.detect.ensemble.DetectorFixtures.PREFIX;
import static io.netanomaly.core.detect.ensemble.DetectorFixtures.archiveOf;
import static io.netanomaly.core.detect.ensemble.DetectorFixtures.blobWithOutliers;
import static io.netanomaly.core.detect.ensemble.DetectorFixtures.gaussianMatrix;
import static io.netanomaly.core.detect.ensemble.DetectorFixtures.outliersAmongTop;
import static io.netanomaly.core.detect.ensemble.DetectorFixtures.withArray;
import static io.netanomaly.core.detect.ensemble.DetectorFixtures.withParams;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netanomaly.core.detect.Matrix;
import io.netanomaly.core.detect.ensemble.DetectorFixtures;
import io.netanomaly.core.model.ModelArchive;
import io.netanomaly.core.model.ModelFormatException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

class LofDetectorTest {
  static final String GOLDEN = "lof-v1";

  /** A naive O(n²) LOF in novelty mode, straight from the definitions (scikit-learn's). */
  static final class NaiveLof {
    final Matrix train;
    final int k;
    final double[] kDistance;
    final double[] lrd;

    NaiveLof(Matrix train, int k) {
      this.train = train;
      this.k = k;
      int n = train.rows();
      kDistance = new double[n];
      lrd = new double[n];
      int[][] neighbours = new int[n][];
      for (int i = 0; i < n; i++) {
        neighbours[i] = nearest(train, i, true);
        kDistance[i] = distance(train, i, neighbours[i][k - 1]);
      }
      for (int i = 0; i < n; i++) {
        double reach = 0;
        for (int o : neighbours[i]) {
          reach += Math.max(kDistance[o], distance(train, i, o));
        }
        lrd[i] = 1 / (reach / k + 1e-10);
      }
    }

    double distance(Matrix queries, int q, int t) {
      double s = 0;
      for (int f = 0; f < train.cols(); f++) {
        double d = (double) queries.get(q, f) - train.get(t, f);
        s += d * d;
      }
      return Math.sqrt(s);
    }

    int[] nearest(Matrix queries, int q, boolean excludeSelf) {
      return IntStream.range(0, train.rows()).boxed().filter(t -> !excludeSelf || t != q)
          .sorted(Comparator.comparingDouble((Integer t) -> distance(queries, q, t)).thenComparing(t -> t))
          .limit(k).mapToInt(Integer::intValue).toArray();
    }

    double lof(Matrix queries, int q) {
      double reach = 0;
      double neighbourLrd = 0;
      for (int o : nearest(queries, q, false)) {
        reach += Math.max(kDistance[o], distance(queries, q, o));
        neighbourLrd += lrd[o];
      }
      return neighbourLrd / k / (1 / (reach / k + 1e-10));
    }
  }

  @Test
  void plantedOutliersGetTheHighestScores() {
    Matrix x = blobWithOutliers(5, false, 7);
    LofDetector lof = LofDetector.builder().fit(x);
    double[] scores = lof.score(x);
    assertThat(outliersAmongTop(scores, 20)).isGreaterThanOrEqualTo(18);
    assertThat(lof.kind()).isEqualTo("lof");
    assertThat(lof.k()).isEqualTo(20);
    // inliers sit near LOF 1
    double[] inliers = Arrays.copyOf(scores, DetectorFixtures.BLOB_ROWS);
    Arrays.sort(inliers);
    assertThat(inliers[inliers.length / 2]).isBetween(0.9, 1.2);
  }

  @Test
  void fitAndScoresAgreeWithANaiveImplementation() throws Exception {
    Matrix train = gaussianMatrix(260, 3, 1.0, 20);
    Matrix queries = gaussianMatrix(70, 3, 1.8, 21);
    int k = 6;
    NaiveLof naive = new NaiveLof(train, k);
    LofDetector lof = LofDetector.builder().k(k).threads(2).fit(train);
    ModelArchive a = archiveOf(lof);
    double[] kd = a.doubles(PREFIX + ".k_distance");
    double[] lrd = a.doubles(PREFIX + ".lrd");
    for (int i = 0; i < train.rows(); i++) {
      assertThat(kd[i]).as("k-distance %d", i).isCloseTo(naive.kDistance[i], within(1e-9));
      assertThat(lrd[i]).as("lrd %d", i).isCloseTo(naive.lrd[i], within(1e-9 * naive.lrd[i]));
    }
    double[] scores = lof.score(queries);
    for (int q = 0; q < queries.rows(); q++) {
      double want = naive.lof(queries, q);
      assertThat(scores[q]).as("query %d", q).isCloseTo(want, within(1e-9 * want));
    }
  }

  @Test
  void duplicatesGiveFiniteDensities() throws Exception {
    // 30 copies of one point: its k-distance is 0 and the 1e-10 guard keeps lrd finite
    float[] d = new float[60 * 2];
    Matrix spread = gaussianMatrix(30, 2, 1.0, 22);
    System.arraycopy(spread.data(), 0, d, 60, 60);
    LofDetector lof = LofDetector.builder().k(5).fit(new Matrix(d, 60, 2));
    double[] lrd = archiveOf(lof).doubles(PREFIX + ".lrd");
    assertThat(lrd[0]).isCloseTo(1e10, within(1.0));
    double[] s = lof.score(new Matrix(new float[] {0, 0, 0.05f, 0.05f}, 2, 2));
    assertThat(s[0]).isCloseTo(1.0, within(1e-9));
    // next to the duplicates, whose density is huge, a row's LOF is huge but finite
    assertThat(s[1]).isFinite().isGreaterThan(1e6);
  }

  @Test
  void fitAndScoresDoNotDependOnTheThreadCount() {
    Matrix train = gaussianMatrix(900, 5, 1.0, 23);
    Matrix queries = gaussianMatrix(500, 5, 1.3, 24);
    LofDetector one = LofDetector.builder().k(10).threads(1).fit(train);
    LofDetector two = LofDetector.builder().k(10).threads(2).fit(train);
    DetectorFixtures.assertSameArrays(archiveOf(one), archiveOf(two));
    assertThat(two.score(queries)).isEqualTo(one.score(queries));
    assertThat(one.withThreads(2).score(queries)).isEqualTo(one.score(queries));
  }

  @Test
  void fitNeedsMoreRowsThanK() {
    assertThatThrownBy(() -> LofDetector.builder().k(5).fit(gaussianMatrix(5, 2, 1, 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(LofDetector.builder().k(5).fit(gaussianMatrix(6, 2, 1, 1)).trainingRows()).isEqualTo(6);
    assertThatThrownBy(() -> LofDetector.builder().k(5).maxTrainingRows(5).fit(gaussianMatrix(50, 2, 1, 1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void largeTrainingSetsAreSubsampled() {
    Matrix x = gaussianMatrix(3000, 3, 1.0, 25);
    LofDetector lof = LofDetector.builder().k(10).maxTrainingRows(800).seed(2).fit(x);
    assertThat(lof.trainingRows()).isEqualTo(800);
    LofDetector again = LofDetector.builder().k(10).maxTrainingRows(800).seed(2).fit(x);
    DetectorFixtures.assertSameArrays(archiveOf(lof), archiveOf(again));
  }

  @Test
  void savedAndLoadedDetectorsScoreBitIdentically() throws Exception {
    Matrix x = blobWithOutliers(5, false, 26);
    LofDetector lof = LofDetector.builder().k(8).fit(x);
    ModelArchive archive = archiveOf(lof);
    LofDetector back = LofDetector.readFrom(archive, PREFIX);
    Matrix queries = gaussianMatrix(300, 5, 2.0, 27);
    assertThat(back.score(queries)).isEqualTo(lof.score(queries));
    DetectorFixtures.assertSameArrays(archive, archiveOf(back));
  }

  @Test
  void tamperedArchivesAreRejected() throws Exception {
    LofDetector lof = LofDetector.builder().k(3).fit(gaussianMatrix(40, 2, 1, 28));
    ModelArchive good = archiveOf(lof);
    LofDetector.readFrom(good, PREFIX);
    double[] kd = good.doubles(PREFIX + ".k_distance");
    double[] lrd = good.doubles(PREFIX + ".lrd");
    assertRejected(withArray(good, PREFIX + ".k_distance", Arrays.copyOf(kd, 39)));
    assertRejected(withArray(good, PREFIX + ".lrd", Arrays.copyOf(lrd, 41)));
    assertRejected(withArray(good, PREFIX + ".k_distance", with(kd, 3, Double.NaN)));
    assertRejected(withArray(good, PREFIX + ".k_distance", with(kd, 3, -1)));
    assertRejected(withArray(good, PREFIX + ".k_distance", with(kd, 3, Double.POSITIVE_INFINITY)));
    assertRejected(withArray(good, PREFIX + ".lrd", with(lrd, 0, 0)));
    assertRejected(withArray(good, PREFIX + ".lrd", with(lrd, 0, 2e10)));
    assertRejected(withArray(good, PREFIX + ".lrd", new float[40]));
    float[] training = good.floats(PREFIX + ".training");
    assertRejected(withArray(good, PREFIX + ".training", Arrays.copyOf(training, 78)));
    // k must stay below the training rows: a row is never its own neighbour at fit
    assertRejectedParams(good, p -> p.put("k", 40));
    assertRejectedParams(good, p -> p.put("kind", "knn"));
    assertRejectedParams(good, p -> p.put("training_rows", 41));
    assertRejectedParams(good, p -> p.put("features", -1));
    assertRejectedParams(good, p -> p.put("version", "1"));
    assertThatThrownBy(() -> LofDetector.readFrom(good, "other")).isInstanceOf(ModelFormatException.class);
  }

  private static double[] with(double[] a, int index, double v) {
    double[] c = a.clone();
    c[index] = v;
    return c;
  }

  private static void assertRejected(ModelArchive bad) {
    assertThatThrownBy(() -> LofDetector.readFrom(bad, PREFIX)).isInstanceOf(ModelFormatException.class);
  }

  private static void assertRejectedParams(ModelArchive good, Consumer<ObjectNode> edit) {
    assertRejected(withParams(good, edit));
  }

  @Test
  void attributionPointsAtTheFeatureOutliersDifferIn() {
    Matrix x = blobWithOutliers(5, true, 29);
    LofDetector lof = LofDetector.builder().fit(x.slice(0, DetectorFixtures.BLOB_ROWS));
    double[] share = new double[5];
    for (int r = DetectorFixtures.BLOB_ROWS; r < x.rows(); r++) {
      lof.attribute(x.data(), r * 5, share);
      assertThat(Arrays.stream(share).sum()).isCloseTo(1.0, within(1e-9));
      for (int f = 1; f < 5; f++) {
        assertThat(share[0]).as("row %d feature %d", r, f).isGreaterThan(share[f]);
      }
    }
  }

  @Test
  void theCommittedGoldenFileLoadsAndScoresAsWhenItWasWritten() throws Exception {
    LofDetector golden = LofDetector.readFrom(ModelArchive.read(DetectorFixtures.goldenResource(GOLDEN + ".nam")),
        PREFIX);
    double[] want = DetectorFixtures.goldenScores(GOLDEN + "-expected.json");
    double[] got = golden.score(DetectorFixtures.goldenRows());
    assertThat(got).hasSize(20);
    for (int i = 0; i < got.length; i++) {
      assertThat(got[i]).as("row %d", i).isCloseTo(want[i], within(1e-12));
    }
  }

  /**
   * Rewrites {@code golden/lof-v1.nam}; runs only with {@code -Dnetanomaly.regenerateGolden=true}.
   * Regenerating is a format break: bump {@link LofDetector#ARCHIVE_VERSION} and keep a reader instead.
   */
  @Test
  @EnabledIfSystemProperty(named = "netanomaly.regenerateGolden", matches = "true")
  void regenerate() throws Exception {
    LofDetector lof = LofDetector.builder().k(10).seed(1).threads(1).fit(DetectorFixtures.goldenTraining());
    DetectorFixtures.writeGolden(lof, GOLDEN, "LofDetector k=10 seed=1 on DetectorFixtures.goldenTraining()");
  }
}
