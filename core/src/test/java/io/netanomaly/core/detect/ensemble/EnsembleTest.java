package io.netanomaly.core.detect.ensemble;

import static io.netanomaly.core.detect.ensemble.DetectorFixtures.PREFIX;
import static io.netanomaly.core.detect.ensemble.DetectorFixtures.archiveOf;
import static io.netanomaly.core.detect.ensemble.DetectorFixtures.blobWithOutliers;
import static io.netanomaly.core.detect.ensemble.DetectorFixtures.gaussianMatrix;
import static io.netanomaly.core.detect.ensemble.DetectorFixtures.outliersAmongTop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netanomaly.core.detect.Detector;
import io.netanomaly.core.detect.Matrix;
import io.netanomaly.core.detect.autoencoder.Autoencoder;
import io.netanomaly.core.detect.ensemble.Ensemble.Combination;
import io.netanomaly.core.detect.knn.KnnDetector;
import io.netanomaly.core.detect.knn.LofDetector;
import io.netanomaly.core.model.ModelArchive;
import io.netanomaly.core.model.ModelFormatException;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

class EnsembleTest {
  static final String GOLDEN = "ensemble-v1";

  /**
   * A detector whose score is the value of one column, and whose attribution is all on that
   * column: scores are known exactly, so normalisation and combination can be checked by hand.
   */
  static final class ColumnDetector implements Detector {
    final int features;
    final int column;

    ColumnDetector(int features, int column) {
      this.features = features;
      this.column = column;
    }

    @Override
    public String kind() {
      return "column";
    }

    @Override
    public int features() {
      return features;
    }

    @Override
    public void score(Matrix batch, double[] out) {
      for (int r = 0; r < batch.rows(); r++) {
        out[r] = batch.get(r, column);
      }
    }

    @Override
    public void attribute(float[] row, int offset, double[] out) {
      Arrays.fill(out, 0, features, 0.0);
      out[column] = 1;
    }

    @Override
    public void writeTo(ModelArchive.Builder archive, String prefix) {
      ObjectNode p = archive.manifest().withObjectProperty("detectors").putObject(prefix);
      p.put("kind", "column").put("features", features).put("column", column);
    }

    static ColumnDetector readFrom(ModelArchive archive, String prefix) throws ModelFormatException {
      JsonNode p = archive.manifest().path("detectors").path(prefix);
      if (!p.path("features").canConvertToInt() || !p.path("column").canConvertToInt()) {
        throw new ModelFormatException("column '" + prefix + "': bad parameters");
      }
      return new ColumnDetector(p.get("features").intValue(), p.get("column").intValue());
    }
  }

  /** The fixed switch a caller supplies: kind → reader; unknown kinds are a format error. */
  static Detector readMember(String kind, ModelArchive archive, String prefix) throws ModelFormatException {
    return switch (kind) {
      case "knn" -> KnnDetector.readFrom(archive, prefix);
      case "lof" -> LofDetector.readFrom(archive, prefix);
      case "autoencoder" -> Autoencoder.readFrom(archive, prefix);
      case "column" -> ColumnDetector.readFrom(archive, prefix);
      case "ensemble" -> Ensemble.readFrom(archive, prefix, EnsembleTest::readMember);
      default -> throw new ModelFormatException("unknown detector kind '" + kind + "' at " + prefix);
    };
  }

  /** Training rows whose column c holds 0, 1, …, rows − 1 in a column-specific shuffled order. */
  static Matrix rankColumns(int rows, int cols, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] d = new float[rows * cols];
    for (int c = 0; c < cols; c++) {
      int[] perm = new int[rows];
      for (int i = 0; i < rows; i++) {
        perm[i] = i;
      }
      for (int i = rows - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        int t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
      }
      for (int r = 0; r < rows; r++) {
        d[r * cols + c] = perm[r];
      }
    }
    return new Matrix(d, rows, cols);
  }

  @Test
  void theEmpiricalCdfInterpolatesBetweenQuantiles() {
    double[] q = {1, 2, 3};
    assertThat(Ensemble.cdf(q, 0.5)).isEqualTo(0.0);
    assertThat(Ensemble.cdf(q, 1)).isEqualTo(0.0);
    assertThat(Ensemble.cdf(q, 1.5)).isEqualTo(0.25);
    assertThat(Ensemble.cdf(q, 2.5)).isEqualTo(0.75);
    assertThat(Ensemble.cdf(q, 3)).isEqualTo(1.0);
    assertThat(Ensemble.cdf(q, 99)).isEqualTo(1.0);
    assertThat(Ensemble.cdf(q, Double.NaN)).isEqualTo(1.0);
    // a plateau: the CDF at a repeated value counts every copy
    double[] plateau = {0, 1, 1, 1, 2};
    assertThat(Ensemble.cdf(plateau, 1)).isEqualTo(0.75);
    assertThat(Ensemble.cdf(plateau, 0.5)).isEqualTo(0.125);
    assertThat(Ensemble.cdf(new double[] {4}, 3.9)).isEqualTo(0.0);
    assertThat(Ensemble.cdf(new double[] {4}, 4)).isEqualTo(1.0);
  }

  @Test
  void normalisationIsMonotoneAndWithinZeroAndOne() {
    SplittableRandom rng = new SplittableRandom(1);
    double[] training = new double[5000];
    for (int i = 0; i < training.length; i++) {
      // ties on purpose: a third of the scores are rounded to a coarse grid
      double v = Math.exp(rng.nextGaussian());
      training[i] = i % 3 == 0 ? Math.round(v * 4) / 4.0 : v;
    }
    Ensemble e = Ensemble.fromTrainingScores(List.of(new ColumnDetector(1, 0)), new double[][] {training},
        Combination.MEAN, 0.1);
    double[] q = e.quantiles(0);
    assertThat(q).hasSize(Ensemble.MAX_QUANTILES);
    double[] sorted = training.clone();
    Arrays.sort(sorted);
    assertThat(q[0]).isEqualTo(sorted[0]);
    assertThat(q[q.length - 1]).isEqualTo(sorted[sorted.length - 1]);
    double previous = -1;
    for (double s = -1; s < 20; s += 0.001) {
      double n = e.normalise(0, s);
      assertThat(n).isBetween(0.0, 1.0).isGreaterThanOrEqualTo(previous);
      previous = n;
    }
    // the normalised training scores are about uniform: the i-th smallest sits near i / (n − 1)
    for (int i = 1; i < sorted.length; i += 7) {
      if (sorted[i] != sorted[i - 1] && (i + 1 == sorted.length || sorted[i] != sorted[i + 1])) {
        assertThat(e.normalise(0, sorted[i])).isCloseTo((double) i / (sorted.length - 1), within(2e-3));
      }
    }
  }

  @Test
  void smallTrainingSetsKeepEveryScore() {
    Ensemble e = Ensemble.fromTrainingScores(List.of(new ColumnDetector(1, 0)), new double[][] {{3, 1, 2, 2}},
        Combination.MEAN, 0.1);
    assertThat(e.quantiles(0)).containsExactly(1, 2, 2, 3);
  }

  @Test
  void meanMaxAndVoteCombineTheNormalisedScoresOfTheMembers() {
    Matrix train = rankColumns(1000, 3, 2);
    List<Detector> members = List.of(new ColumnDetector(3, 0), new ColumnDetector(3, 1), new ColumnDetector(3, 2));
    Ensemble mean = Ensemble.fit(members, train, Combination.MEAN, 0.1);
    Ensemble max = Ensemble.fit(members, train, Combination.MAX, 0.1);
    Ensemble vote = Ensemble.fit(members, train, Combination.VOTE, 0.1);
    // training values 0..999, so a member's normalised score of v is v / 999
    Matrix rows = Matrix.of(new double[][] {
        {999, 0, 0}, {900, 900, 500}, {898, 950, 999}, {950, 960, 970}, {0, 0, 0}, {-5, 2000, 499.5}});
    double[] m = mean.score(rows);
    double[] x = max.score(rows);
    double[] v = vote.score(rows);
    for (int r = 0; r < rows.rows(); r++) {
      double[] n = new double[3];
      for (int c = 0; c < 3; c++) {
        n[c] = Math.min(1, Math.max(0, rows.get(r, c) / 999.0));
        assertThat(mean.normalise(c, rows.get(r, c))).isCloseTo(n[c], within(1e-12));
      }
      assertThat(m[r]).as("mean of row %d", r).isCloseTo((n[0] + n[1] + n[2]) / 3, within(1e-12));
      assertThat(x[r]).as("max of row %d", r).isCloseTo(Math.max(n[0], Math.max(n[1], n[2])), within(1e-12));
    }
    // votes: normalised ≥ 0.9, i.e. value ≥ 899.1 (900 votes, 898 does not)
    assertThat(v).containsExactly(1 / 3.0, 2 / 3.0, 2 / 3.0, 1.0, 0.0, 1 / 3.0);
    assertThat(vote.contamination()).isEqualTo(0.1);
    double[][] raw = vote.memberScores(rows);
    assertThat(raw[1]).containsExactly(0, 900, 950, 960, 0, 2000);
  }

  @Test
  void meanOfTwoRealDetectorsIsTheAverageOfTheirNormalisedScores() {
    Matrix x = blobWithOutliers(5, false, 3);
    KnnDetector knn = KnnDetector.builder().fit(x);
    Autoencoder ae = Autoencoder.builder().seed(1).fit(x);
    Ensemble e = Ensemble.fit(List.of(knn, ae), x, Combination.MEAN, 0.05);
    Matrix q = gaussianMatrix(100, 5, 2.0, 4);
    double[] combined = e.score(q);
    double[] k = knn.score(q);
    double[] a = ae.score(q);
    for (int r = 0; r < q.rows(); r++) {
      assertThat(combined[r]).isEqualTo((e.normalise(0, k[r]) + e.normalise(1, a[r])) / 2);
    }
  }

  @Test
  void plantedOutliersGetTheHighestScores() {
    Matrix x = blobWithOutliers(5, false, 7);
    List<Detector> members = List.of(KnnDetector.builder().fit(x), LofDetector.builder().fit(x),
        Autoencoder.builder().seed(1).fit(x));
    for (Combination c : Combination.values()) {
      Ensemble e = Ensemble.fit(members, x, c, 0.01);
      double[] s = e.score(x);
      assertThat(Arrays.stream(s).min().orElseThrow()).isGreaterThanOrEqualTo(0.0);
      assertThat(Arrays.stream(s).max().orElseThrow()).isLessThanOrEqualTo(1.0);
      if (c != Combination.VOTE) {
        assertThat(outliersAmongTop(s, 20)).as(c.toString()).isGreaterThanOrEqualTo(18);
      } else {
        // votes are coarse (0, 1/3, 2/3, 1): every outlier gets all three
        for (int r = DetectorFixtures.BLOB_ROWS; r < x.rows(); r++) {
          assertThat(s[r]).isEqualTo(1.0);
        }
      }
    }
  }

  @Test
  void attributionIsTheMeanOfTheMembersAttributions() {
    Ensemble cols = Ensemble.fit(List.of(new ColumnDetector(4, 0), new ColumnDetector(4, 2)), rankColumns(50, 4, 5),
        Combination.MAX, 0.1);
    double[] share = new double[4];
    cols.attribute(new float[] {9, 1, 2, 3, 4}, 1, share);
    assertThat(share).containsExactly(0.5, 0, 0.5, 0);

    Matrix x = blobWithOutliers(5, true, 6);
    Matrix normal = x.slice(0, DetectorFixtures.BLOB_ROWS);
    Ensemble e = Ensemble.fit(List.of(KnnDetector.builder().fit(normal), Autoencoder.builder().seed(2).fit(normal)),
        normal, Combination.MEAN, 0.05);
    double[] one = new double[5];
    double[] mixed = new double[5];
    for (int r = DetectorFixtures.BLOB_ROWS; r < x.rows(); r++) {
      e.attribute(x.data(), r * 5, mixed);
      double[] expected = new double[5];
      for (Detector d : e.members()) {
        d.attribute(x.data(), r * 5, one);
        for (int f = 0; f < 5; f++) {
          expected[f] += one[f] / 2;
        }
      }
      for (int f = 0; f < 5; f++) {
        assertThat(mixed[f]).isCloseTo(expected[f], within(1e-12));
      }
      assertThat(Arrays.stream(mixed).sum()).isCloseTo(1.0, within(1e-9));
      for (int f = 1; f < 5; f++) {
        assertThat(mixed[0]).isGreaterThan(mixed[f]);
      }
    }
  }

  @Test
  void fitRejectsBadMembersAndSettings() {
    Matrix x = rankColumns(20, 2, 7);
    assertThatThrownBy(() -> Ensemble.fit(List.of(), x, Combination.MEAN, 0.1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Ensemble.fit(List.of(new ColumnDetector(3, 0)), x, Combination.MEAN, 0.1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Ensemble.fit(List.of(new ColumnDetector(2, 0)), x, Combination.VOTE, 0))
        .isInstanceOf(IllegalArgumentException.class);
    x.data()[0] = Float.NaN;
    assertThatThrownBy(() -> Ensemble.fit(List.of(new ColumnDetector(2, 0)), x, Combination.MEAN, 0.1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Combination.parse(" Vote ")).isEqualTo(Combination.VOTE);
    assertThatThrownBy(() -> Combination.parse("median")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void savedAndLoadedEnsemblesScoreBitIdentically() throws Exception {
    Matrix x = blobWithOutliers(5, false, 8);
    Ensemble inner = Ensemble.fit(List.of(new ColumnDetector(5, 1), KnnDetector.builder().k(3).fit(x)), x,
        Combination.MAX, 0.05);
    Ensemble e = Ensemble.fit(List.of(KnnDetector.builder().fit(x), LofDetector.builder().k(10).fit(x),
        Autoencoder.builder().epochs(5).seed(3).fit(x), inner), x, Combination.VOTE, 0.05);
    ModelArchive archive = archiveOf(e);
    assertThat(archive.arrayNames()).contains(PREFIX + ".quantiles", PREFIX + ".m0.training", PREFIX + ".m2.weights",
        PREFIX + ".m3.quantiles", PREFIX + ".m3.m1.training");
    Ensemble back = Ensemble.readFrom(archive, PREFIX, EnsembleTest::readMember);
    Matrix q = gaussianMatrix(400, 5, 2.5, 9);
    assertThat(back.score(q)).isEqualTo(e.score(q));
    assertThat(back.combination()).isEqualTo(Combination.VOTE);
    assertThat(back.members()).extracting(Detector::kind).containsExactly("knn", "lof", "autoencoder", "ensemble");
    DetectorFixtures.assertSameArrays(archive, archiveOf(back));
    assertThat(archiveOf(back).manifest()).isEqualTo(archive.manifest());
  }

  @Test
  void tamperedArchivesAreRejected() throws Exception {
    Matrix x = rankColumns(200, 3, 10);
    Ensemble e = Ensemble.fit(List.of(new ColumnDetector(3, 0), KnnDetector.builder().k(2).fit(x)), x,
        Combination.MEAN, 0.1);
    ModelArchive good = archiveOf(e);
    Ensemble.readFrom(good, PREFIX, EnsembleTest::readMember);
    int[] offsets = good.ints(PREFIX + ".quantile_offsets");
    double[] q = good.doubles(PREFIX + ".quantiles");
    assertRejected(DetectorFixtures.withArray(good, PREFIX + ".quantile_offsets", new int[] {0, 200}));
    assertRejected(DetectorFixtures.withArray(good, PREFIX + ".quantile_offsets", new int[] {0, 0, offsets[2]}));
    assertRejected(DetectorFixtures.withArray(good, PREFIX + ".quantile_offsets", new int[] {0, 300, 100}));
    assertRejected(DetectorFixtures.withArray(good, PREFIX + ".quantile_offsets", new int[] {0, 199, offsets[2] + 1}));
    double[] descending = q.clone();
    descending[5] = descending[4] - 1;
    assertRejected(DetectorFixtures.withArray(good, PREFIX + ".quantiles", descending));
    double[] nan = q.clone();
    nan[7] = Double.NaN;
    assertRejected(DetectorFixtures.withArray(good, PREFIX + ".quantiles", nan));
    assertRejected(DetectorFixtures.withArray(good, PREFIX + ".quantiles", Arrays.copyOf(q, q.length - 1)));
    assertRejectedParams(good, p -> p.put("members", 3));
    assertRejectedParams(good, p -> p.put("members", 0));
    assertRejectedParams(good, p -> p.put("combination", "median"));
    assertRejectedParams(good, p -> p.put("contamination", 0.7));
    assertRejectedParams(good, p -> p.put("contamination", "low"));
    assertRejectedParams(good, p -> p.put("features", 4));
    assertRejectedParams(good, p -> p.put("kind", "knn"));
    assertRejectedParams(good, p -> p.put("version", 9));
    assertRejectedParams(good, p -> p.putArray("member_kinds").add("column").add("lof"));
    assertRejectedParams(good, p -> p.putArray("member_kinds").add("column"));
    // the member's own parameters: kind changed to one the reader does not know, or broken
    assertRejected(DetectorFixtures.rebuild(good, null, null, PREFIX + ".m1", p -> p.put("kind", "svm")));
    assertRejected(DetectorFixtures.rebuild(good, null, null, PREFIX + ".m1", p -> p.put("k", 500)));
    assertRejected(DetectorFixtures.rebuild(good, null, null, PREFIX + ".m0", p -> p.put("features", 2)));
    assertThatThrownBy(() -> Ensemble.readFrom(good, "other", EnsembleTest::readMember))
        .isInstanceOf(ModelFormatException.class);
    // a reader that fails with a runtime exception or returns nothing still yields a format error
    assertThatThrownBy(() -> Ensemble.readFrom(good, PREFIX, (k, a, p) -> {
      throw new IllegalStateException("boom");
    })).isInstanceOf(ModelFormatException.class);
    assertThatThrownBy(() -> Ensemble.readFrom(good, PREFIX, (k, a, p) -> null))
        .isInstanceOf(ModelFormatException.class);
    // a reader returning a detector of another kind is caught
    assertThatThrownBy(() -> Ensemble.readFrom(good, PREFIX, (k, a, p) -> new ColumnDetector(3, 0)))
        .isInstanceOf(ModelFormatException.class);
  }

  private static void assertRejected(ModelArchive bad) {
    assertThatThrownBy(() -> Ensemble.readFrom(bad, PREFIX, EnsembleTest::readMember))
        .isInstanceOf(ModelFormatException.class);
  }

  private static void assertRejectedParams(ModelArchive good, Consumer<ObjectNode> edit) {
    assertRejected(DetectorFixtures.withParams(good, edit));
  }

  @Test
  void theCommittedGoldenFileLoadsAndScoresAsWhenItWasWritten() throws Exception {
    Ensemble golden = Ensemble.readFrom(ModelArchive.read(DetectorFixtures.goldenResource(GOLDEN + ".nam")), PREFIX,
        EnsembleTest::readMember);
    double[] want = DetectorFixtures.goldenScores(GOLDEN + "-expected.json");
    double[] got = golden.score(DetectorFixtures.goldenRows());
    assertThat(got).hasSize(20);
    for (int i = 0; i < got.length; i++) {
      assertThat(got[i]).as("row %d", i).isCloseTo(want[i], within(1e-12));
    }
  }

  /**
   * Rewrites {@code golden/ensemble-v1.nam}; runs only with {@code -Dnetanomaly.regenerateGolden=true}.
   * Regenerating is a format break: bump {@link Ensemble#ARCHIVE_VERSION} and keep a reader instead.
   */
  @Test
  @EnabledIfSystemProperty(named = "netanomaly.regenerateGolden", matches = "true")
  void regenerate() throws Exception {
    Matrix train = DetectorFixtures.goldenTraining();
    Ensemble e = Ensemble.fit(List.of(KnnDetector.builder().k(5).threads(1).fit(train),
        LofDetector.builder().k(10).threads(1).fit(train),
        Autoencoder.builder().epochs(10).seed(2).threads(1).fit(train)), train, Combination.MEAN, 0.1);
    DetectorFixtures.writeGolden(e, GOLDEN, "Ensemble MEAN contamination 0.1 of knn k=5, lof k=10, autoencoder "
        + "epochs=10 seed=2, on DetectorFixtures.goldenTraining()");
  }
}
