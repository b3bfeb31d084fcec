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
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

class KnnDetectorTest {
  static final String GOLDEN = "knn-v1";

  /** Squared Euclidean distances from query row q to every training row, in double. */
  static double[] naiveSquaredDistances(Matrix train, Matrix queries, int q) {
    int d = train.cols();
    double[] out = new double[train.rows()];
    for (int t = 0; t < train.rows(); t++) {
      double s = 0;
      for (int f = 0; f < d; f++) {
        double diff = (double) queries.get(q, f) - train.get(t, f);
        s += diff * diff;
      }
      out[t] = s;
    }
    return out;
  }

  /** Training set with exact duplicates and a grid of equal distances, so ties occur. */
  static Matrix trainingWithTies() {
    Matrix g = gaussianMatrix(300, 4, 1.0, 5);
    float[] d = g.data().clone();
    for (int r = 0; r < 40; r++) {
      System.arraycopy(d, r * 4, d, (r + 200) * 4, 4);
    }
    for (int r = 250; r < 300; r++) {
      for (int f = 0; f < 4; f++) {
        d[r * 4 + f] = Math.round(d[r * 4 + f]);
      }
    }
    return new Matrix(d, 300, 4);
  }

  @Test
  void plantedOutliersGetTheHighestScores() {
    Matrix x = blobWithOutliers(5, false, 7);
    KnnDetector knn = KnnDetector.builder().fit(x);
    double[] scores = knn.score(x);
    assertThat(outliersAmongTop(scores, 20)).isGreaterThanOrEqualTo(18);
    assertThat(knn.kind()).isEqualTo("knn");
    assertThat(knn.features()).isEqualTo(5);
    assertThat(knn.k()).isEqualTo(10);
    assertThat(knn.trainingRows()).isEqualTo(2020);
  }

  @Test
  void scoresEqualTheKthSmallestDistanceOfANaiveSearch() {
    Matrix train = trainingWithTies();
    // several query blocks, integer-valued rows tie with the grid rows, and training rows themselves
    Matrix queries = gaussianMatrix(150, 4, 1.5, 6);
    float[] qd = queries.data();
    for (int r = 0; r < 10; r++) {
      System.arraycopy(train.data(), (250 + r) * 4, qd, r * 4, 4);
    }
    for (int k : new int[] {1, 7, 41}) {
      KnnDetector knn = KnnDetector.builder().k(k).threads(2).fit(train);
      double[] scores = knn.score(queries);
      for (int q = 0; q < queries.rows(); q++) {
        double[] dist = naiveSquaredDistances(train, queries, q);
        Arrays.sort(dist);
        assertThat(scores[q]).as("k=%d query %d", k, q).isCloseTo(Math.sqrt(dist[k - 1]), within(1e-9));
      }
    }
  }

  @Test
  void theNeighbourSearchReturnsTheKNearestIndicesWithTiesToTheLowestIndex() {
    Matrix train = trainingWithTies();
    Matrix queries = new Matrix(Arrays.copyOf(train.data(), 60 * 4), 60, 4);
    NeighbourSearch search = new NeighbourSearch(train.data(), train.rows(), 4);
    int k = 5;
    for (boolean excludeSelf : new boolean[] {false, true}) {
      double[] dist = new double[60 * k];
      int[] index = new int[60 * k];
      search.search(queries.data(), 60, k, excludeSelf, 2, dist, index);
      for (int q = 0; q < 60; q++) {
        double[] naive = naiveSquaredDistances(train, queries, q);
        int self = q;
        Integer[] order = new Integer[train.rows()];
        for (int i = 0; i < order.length; i++) {
          order[i] = i;
        }
        // the naive distances differ from the dot-product ones in the last bits: round before ranking ties
        Arrays.sort(order, (a, b) -> {
          int c = Double.compare(Math.round(naive[a] * 1e9), Math.round(naive[b] * 1e9));
          return c != 0 ? c : Integer.compare(a, b);
        });
        int[] expected = Arrays.stream(order).mapToInt(Integer::intValue)
            .filter(i -> !excludeSelf || i != self).limit(k).toArray();
        assertThat(Arrays.copyOfRange(index, q * k, q * k + k)).as("query %d exclude %s", q, excludeSelf)
            .isEqualTo(expected);
        for (int j = 0; j < k; j++) {
          assertThat(dist[q * k + j]).isCloseTo(naive[expected[j]], within(1e-9));
        }
      }
    }
  }

  @Test
  void scoresDoNotDependOnTheThreadCount() {
    Matrix train = gaussianMatrix(1000, 6, 1.0, 8);
    Matrix queries = gaussianMatrix(700, 6, 1.2, 9);
    KnnDetector knn = KnnDetector.builder().k(5).fit(train);
    double[] one = knn.withThreads(1).score(queries);
    double[] two = knn.withThreads(2).score(queries);
    assertThat(two).isEqualTo(one);
  }

  @Test
  void largeTrainingSetsAreSubsampledDeterministically() {
    Matrix x = gaussianMatrix(2000, 3, 1.0, 10);
    Matrix queries = gaussianMatrix(50, 3, 1.0, 11);
    KnnDetector a = KnnDetector.builder().maxTrainingRows(500).seed(3).fit(x);
    KnnDetector b = KnnDetector.builder().maxTrainingRows(500).seed(3).fit(x);
    KnnDetector c = KnnDetector.builder().maxTrainingRows(500).seed(4).fit(x);
    assertThat(a.trainingRows()).isEqualTo(500);
    assertThat(a.score(queries)).isEqualTo(b.score(queries));
    assertThat(c.score(queries)).isNotEqualTo(a.score(queries));
    // every kept row is one of the training rows, in their original order
    float[] kept = (float[]) DetectorFixtures.arrayOf(archiveOf(a), PREFIX + ".training");
    int from = 0;
    for (int r = 0; r < 500; r++) {
      float[] row = Arrays.copyOfRange(kept, r * 3, r * 3 + 3);
      int found = -1;
      for (int t = from; t < 2000 && found < 0; t++) {
        if (Arrays.equals(row, Arrays.copyOfRange(x.data(), t * 3, t * 3 + 3))) {
          found = t;
        }
      }
      assertThat(found).as("kept row %d", r).isGreaterThanOrEqualTo(0);
      from = found + 1;
    }
  }

  @Test
  void fitRejectsTooFewRowsAndNonFiniteValues() {
    assertThatThrownBy(() -> KnnDetector.builder().k(5).fit(gaussianMatrix(4, 2, 1, 1)))
        .isInstanceOf(IllegalArgumentException.class);
    Matrix x = gaussianMatrix(20, 2, 1, 1);
    x.data()[7] = Float.NaN;
    assertThatThrownBy(() -> KnnDetector.builder().k(2).fit(x)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KnnDetector.builder().k(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void savedAndLoadedDetectorsScoreBitIdentically() throws Exception {
    Matrix x = blobWithOutliers(5, false, 12);
    KnnDetector knn = KnnDetector.builder().k(4).fit(x);
    ModelArchive archive = archiveOf(knn);
    KnnDetector back = KnnDetector.readFrom(archive, PREFIX);
    Matrix queries = gaussianMatrix(300, 5, 2.0, 13);
    assertThat(back.score(queries)).isEqualTo(knn.score(queries));
    assertThat(back.k()).isEqualTo(4);
    assertThat(back.trainingRows()).isEqualTo(knn.trainingRows());
    DetectorFixtures.assertSameArrays(archive, archiveOf(back));
    assertThat(archive.manifest().path("detectors").path(PREFIX).path("kind").asText()).isEqualTo("knn");
  }

  @Test
  void tamperedArchivesAreRejected() throws Exception {
    KnnDetector knn = KnnDetector.builder().k(3).maxTrainingRows(1000).fit(gaussianMatrix(50, 2, 1, 14));
    ModelArchive good = archiveOf(knn);
    KnnDetector.readFrom(good, PREFIX);
    float[] training = good.floats(PREFIX + ".training");
    assertRejected(withArray(good, PREFIX + ".training", Arrays.copyOf(training, training.length - 1)));
    assertRejected(withArray(good, PREFIX + ".training", Arrays.copyOf(training, training.length + 2)));
    float[] nan = training.clone();
    nan[5] = Float.NaN;
    assertRejected(withArray(good, PREFIX + ".training", nan));
    assertRejected(withArray(good, PREFIX + ".training", new double[training.length]));
    assertRejectedParams(good, p -> p.put("k", 0));
    assertRejectedParams(good, p -> p.put("k", 51));
    assertRejectedParams(good, p -> p.put("features", 3));
    assertRejectedParams(good, p -> p.put("training_rows", 49));
    assertRejectedParams(good, p -> p.put("max_training_rows", 49));
    assertRejectedParams(good, p -> p.put("kind", "lof"));
    assertRejectedParams(good, p -> p.put("version", 2));
    assertRejectedParams(good, p -> p.put("seed", "zero"));
    assertRejectedParams(good, p -> p.put("k", 2.5));
    assertRejectedParams(good, p -> p.remove("features"));
    assertThatThrownBy(() -> KnnDetector.readFrom(good, "other")).isInstanceOf(ModelFormatException.class);
  }

  private static void assertRejected(ModelArchive bad) {
    assertThatThrownBy(() -> KnnDetector.readFrom(bad, PREFIX)).isInstanceOf(ModelFormatException.class);
  }

  private static void assertRejectedParams(ModelArchive good, Consumer<ObjectNode> edit) {
    assertRejected(withParams(good, edit));
  }

  @Test
  void attributionPointsAtTheFeatureOutliersDifferIn() {
    Matrix x = blobWithOutliers(5, true, 15);
    KnnDetector knn = KnnDetector.builder().fit(x.slice(0, DetectorFixtures.BLOB_ROWS));
    double[] share = new double[5];
    for (int r = DetectorFixtures.BLOB_ROWS; r < x.rows(); r++) {
      knn.attribute(x.data(), r * 5, share);
      assertThat(Arrays.stream(share).sum()).isCloseTo(1.0, within(1e-9));
      assertThat(Arrays.stream(share).min().orElseThrow()).isGreaterThanOrEqualTo(0.0);
      for (int f = 1; f < 5; f++) {
        assertThat(share[0]).as("row %d feature %d", r, f).isGreaterThan(share[f]);
      }
    }
    // a training row is its own nearest neighbour, but its k-th is another row: shares still sum to 1
    knn.attribute(x.data(), 0, share);
    assertThat(Arrays.stream(share).sum()).isCloseTo(1.0, within(1e-9));
  }

  @Test
  void rowsWithNaNScoreNaN() {
    KnnDetector knn = KnnDetector.builder().k(2).fit(gaussianMatrix(30, 2, 1, 16));
    double[] s = knn.score(new Matrix(new float[] {0, 0, Float.NaN, 1}, 2, 2));
    assertThat(s[0]).isFinite();
    assertThat(s[1]).isNaN();
  }

  @Test
  void theCommittedGoldenFileLoadsAndScoresAsWhenItWasWritten() throws Exception {
    KnnDetector golden = KnnDetector.readFrom(ModelArchive.read(DetectorFixtures.goldenResource(GOLDEN + ".nam")),
        PREFIX);
    double[] want = DetectorFixtures.goldenScores(GOLDEN + "-expected.json");
    double[] got = golden.score(DetectorFixtures.goldenRows());
    assertThat(got).hasSize(20);
    for (int i = 0; i < got.length; i++) {
      assertThat(got[i]).as("row %d", i).isCloseTo(want[i], within(1e-12));
    }
  }

  /**
   * Rewrites {@code golden/knn-v1.nam}; runs only with {@code -Dnetanomaly.regenerateGolden=true}.
   * Regenerating is a format break: bump {@link KnnDetector#ARCHIVE_VERSION} and keep a reader instead.
   */
  @Test
  @EnabledIfSystemProperty(named = "netanomaly.regenerateGolden", matches = "true")
  void regenerate() throws Exception {
    KnnDetector knn = KnnDetector.builder().k(5).seed(1).threads(1).fit(DetectorFixtures.goldenTraining());
    DetectorFixtures.writeGolden(knn, GOLDEN, "KnnDetector k=5 seed=1 on DetectorFixtures.goldenTraining()");
  }
}
