package io.netanomaly.core.detect.dbscan;

import static io.netanomaly.core.detect.iforest.DetectorTestData.NORMAL;
import static io.netanomaly.core.detect.iforest.DetectorTestData.archiveOf;
import static io.netanomaly.core.detect.iforest.DetectorTestData.blobWithOutliers;
import static io.netanomaly.core.detect.iforest.DetectorTestData.outliersInTop;
import static io.netanomaly.core.detect.iforest.DetectorTestData.rebuild;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netanomaly.core.detect.Matrix;
import io.netanomaly.core.detect.iforest.DetectorTestData;
import io.netanomaly.core.model.ModelArchive;
import io.netanomaly.core.model.ModelFormatException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

class PcaDbscanTest {
  private static final String PREFIX = "det0";
  private static final String GOLDEN = "dbscan-v1";

  private static ModelArchive archiveOfDetector(PcaDbscan d) {
    return archiveOf(b -> d.writeTo(b, PREFIX));
  }

  /** An orthonormal 3 × 3 matrix (rotation about a skew axis), row-major. */
  private static double[] rotation() {
    double[] axis = {1 / Math.sqrt(3), 1 / Math.sqrt(3), 1 / Math.sqrt(3)};
    double a = 0.7;
    double c = Math.cos(a);
    double s = Math.sin(a);
    double[] r = new double[9];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        double cross = 0;
        if (i != j) {
          int k = 3 - i - j;
          double sign = ((j - i + 3) % 3 == 1) ? -1 : 1;
          cross = sign * axis[k];
        }
        r[i * 3 + j] = (i == j ? c : 0) + (1 - c) * axis[i] * axis[j] + s * cross;
      }
    }
    return r;
  }

  @Test
  void jacobiRecoversTheEigenvaluesOfAKnownSymmetricMatrix() {
    double[] q = rotation();
    double[] lambda = {9, 4, 1};
    double[] a = new double[9];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        for (int k = 0; k < 3; k++) {
          a[i * 3 + j] += q[i * 3 + k] * lambda[k] * q[j * 3 + k];
        }
      }
    }
    double[] vectors = new double[9];
    double[] values = PrincipalComponents.eigenSymmetric(a.clone(), 3, vectors);
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    assertThat(sorted[0]).isCloseTo(1, within(1e-10));
    assertThat(sorted[1]).isCloseTo(4, within(1e-10));
    assertThat(sorted[2]).isCloseTo(9, within(1e-10));
    // each eigenvector column v satisfies A v = λ v
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < 3; i++) {
        double av = 0;
        for (int k = 0; k < 3; k++) {
          av += a[i * 3 + k] * vectors[k * 3 + c];
        }
        assertThat(av).isCloseTo(values[c] * vectors[i * 3 + c], within(1e-9));
      }
    }
  }

  @Test
  void principalComponentsReproduceAKnownCovariance() {
    double[] q = rotation();
    double[] sd = {3, 2, 1};
    SplittableRandom rng = new SplittableRandom(4);
    int n = 40_000;
    float[] d = new float[n * 3];
    for (int r = 0; r < n; r++) {
      double[] z = {sd[0] * rng.nextGaussian(), sd[1] * rng.nextGaussian(), sd[2] * rng.nextGaussian()};
      for (int i = 0; i < 3; i++) {
        double v = 5;
        for (int k = 0; k < 3; k++) {
          v += q[i * 3 + k] * z[k];
        }
        d[r * 3 + i] = (float) v;
      }
    }
    PrincipalComponents all = PrincipalComponents.fit(new Matrix(d, n, 3), 0.95);
    double[] ev = all.eigenvalues();
    assertThat(ev[0]).isCloseTo(9, within(0.25));
    assertThat(ev[1]).isCloseTo(4, within(0.12));
    assertThat(ev[2]).isCloseTo(1, within(0.03));
    // 9 + 4 is 93% of 14: 95% needs all three components, 90% two
    assertThat(all.components()).isEqualTo(3);
    PrincipalComponents two = PrincipalComponents.fit(new Matrix(d, n, 3), 0.9);
    assertThat(two.components()).isEqualTo(2);
    assertThat(two.explainedVariance()).isCloseTo(13.0 / 14, within(0.01));
    for (int c = 0; c < 2; c++) {
      double[] v = two.component(c);
      double dot = 0;
      for (int i = 0; i < 3; i++) {
        dot += v[i] * q[i * 3 + c];
      }
      assertThat(Math.abs(dot)).as("component %d against the true axis", c).isGreaterThan(0.99);
    }
    assertThat(two.mean()[0]).isCloseTo(5, within(0.05));
  }

  @Test
  void kneeIsTheFarthestPointBelowTheChord() {
    assertThat(PcaDbscan.knee(new double[] {0, 0.1, 0.2, 0.3, 5, 10})).isEqualTo(3);
    assertThat(PcaDbscan.knee(new double[] {1, 1, 1})).isEqualTo(2);
    assertThat(PcaDbscan.knee(new double[] {1, 1, 1 + 1e-9, 1 + 1e-9})).isEqualTo(3);
    assertThat(PcaDbscan.knee(new double[] {3})).isEqualTo(0);
  }

  /** Two tight blobs of 600 points, 10 apart in 3-D, plus 20 uniform noise points. */
  private static Matrix twoBlobsAndNoise(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int rows = 1220;
    float[] d = new float[rows * 3];
    for (int r = 0; r < 1200; r++) {
      double centre = r < 600 ? 0 : 10;
      for (int f = 0; f < 3; f++) {
        d[r * 3 + f] = (float) (centre + 0.5 * rng.nextGaussian());
      }
    }
    for (int r = 1200; r < rows; r++) {
      for (int f = 0; f < 3; f++) {
        d[r * 3 + f] = (float) (-6 + 22 * rng.nextDouble());
      }
    }
    return new Matrix(d, rows, 3);
  }

  @Test
  void twoSeparatedBlobsAreFoundWithAutomaticEps() {
    Matrix x = twoBlobsAndNoise(3);
    PcaDbscan det = PcaDbscan.builder().varianceToKeep(1.0).fit(x);
    assertThat(det.principalComponents().components()).isEqualTo(3);
    assertThat(det.minPts()).isEqualTo(6);
    assertThat(det.clusters()).isEqualTo(2);
    assertThat(det.silhouette()).isGreaterThan(0.5);
    int[] labels = det.trainingLabels();
    assertThat(det.sampleRows()).isEqualTo(IntStream.range(0, 1220).toArray());
    // each blob is one cluster, and they differ
    assertThat(IntStream.range(0, 600).map(i -> labels[i]).filter(l -> l == labels[0]).count()).isGreaterThan(590);
    assertThat(IntStream.range(600, 1200).map(i -> labels[i]).filter(l -> l == labels[600]).count()).isGreaterThan(590);
    assertThat(labels[0]).isNotEqualTo(labels[600]).isNotEqualTo(-1);
    long noiseCaught = IntStream.range(1200, 1220).filter(i -> labels[i] == -1).count();
    assertThat(noiseCaught).isGreaterThanOrEqualTo(16);
    assertThat(det.noisePoints()).isEqualTo((int) Arrays.stream(labels).filter(l -> l < 0).count());
    double[] kd = det.kDistances();
    assertThat(kd).hasSize(1220).isSorted();
    assertThat(det.eps()).isIn(Arrays.stream(kd).boxed().toArray());
    // noise points score above blob points
    double[] scores = det.score(x);
    assertThat(DetectorTestData.rocAuc(scores, 1200)).isGreaterThan(0.99);
  }

  @Test
  void evenlySpacedPointsFormOneClusterWithoutSilhouette() {
    float[] d = new float[300 * 2];
    for (int i = 0; i < 300; i++) {
      d[2 * i] = i;
      d[2 * i + 1] = 2 * i;
    }
    PcaDbscan det = PcaDbscan.builder().fit(new Matrix(d, 300, 2));
    // every k-distance is equal: the flat curve puts eps at its end, so every point is core
    assertThat(det.clusters()).isEqualTo(1);
    assertThat(det.noisePoints()).isZero();
    assertThat(det.silhouette()).isNaN();
    assertThat(archiveOfDetector(det).manifest().path("detectors").path(PREFIX).path("silhouette").isNull()).isTrue();
  }

  @Test
  void aGaussianBlobIsMostlyOneCluster() {
    PcaDbscan det = PcaDbscan.builder().fit(DetectorTestData.blobWithOutliers(2, false, 1).slice(0, 1000));
    int[] labels = det.trainingLabels();
    int[] sizes = new int[det.clusters()];
    for (int l : labels) {
      if (l >= 0) {
        sizes[l]++;
      }
    }
    assertThat(Arrays.stream(sizes).max().orElseThrow()).isGreaterThan(900);
  }

  @Test
  void plantedOutliersGetTheHighestScores() {
    Matrix x = blobWithOutliers(5, false, 7);
    PcaDbscan det = PcaDbscan.builder().fit(x);
    double[] scores = det.score(x);
    assertThat(outliersInTop(scores, 20)).isGreaterThanOrEqualTo(18);
    assertThat(det.kind()).isEqualTo("dbscan");
    assertThat(det.features()).isEqualTo(5);
    for (int r = NORMAL; r < x.rows(); r++) {
      assertThat(det.trainingLabels()[r]).as("outlier %d is noise", r).isEqualTo(-1);
    }
  }

  @Test
  void subsamplesAreDeterministicAndThreadCountDoesNotMatter() throws Exception {
    Matrix x = blobWithOutliers(4, false, 5);
    PcaDbscan a = PcaDbscan.builder().maxRows(900).maxCorePoints(300).seed(3).threads(1).fit(x);
    PcaDbscan b = PcaDbscan.builder().maxRows(900).maxCorePoints(300).seed(3).threads(2).fit(x);
    assertThat(a.trainingLabels()).hasSize(900);
    assertThat(a.corePointsKept()).isEqualTo(300);
    ModelArchive aa = archiveOfDetector(a);
    ModelArchive bb = archiveOfDetector(b);
    for (String name : aa.arrayNames()) {
      assertThat(DetectorTestData.arrayOf(bb, name)).as(name).isEqualTo(DetectorTestData.arrayOf(aa, name));
    }
    double[] one = new double[x.rows()];
    double[] two = new double[x.rows()];
    a.score(x, one, 1);
    a.score(x, two, 2);
    assertThat(two).isEqualTo(one);
    PcaDbscan c = PcaDbscan.builder().maxRows(900).maxCorePoints(300).seed(4).fit(x);
    assertThat(c.score(x)).isNotEqualTo(one);
  }

  @Test
  void writeThenReadGivesIdenticalScores() throws Exception {
    Matrix x = blobWithOutliers(5, true, 6);
    PcaDbscan det = PcaDbscan.builder().maxRows(1500).seed(2).fit(x);
    ModelArchive archive = archiveOfDetector(det);
    PcaDbscan back = PcaDbscan.readFrom(archive, PREFIX);
    assertThat(back.score(x)).isEqualTo(det.score(x));
    assertThat(back.eps()).isEqualTo(det.eps());
    assertThat(back.minPts()).isEqualTo(det.minPts());
    assertThat(back.clusters()).isEqualTo(det.clusters());
    assertThat(back.kDistances()).isEqualTo(det.kDistances());
    assertThat(back.trainingLabels()).isEqualTo(det.trainingLabels());
    assertThat(back.sampleRows()).isEqualTo(det.sampleRows());
    assertThat(back.principalComponents().eigenvalues()).isEqualTo(det.principalComponents().eigenvalues());
    double[] fa = new double[5];
    double[] fb = new double[5];
    det.attribute(x.data(), 2005 * 5, fa);
    back.attribute(x.data(), 2005 * 5, fb);
    assertThat(fb).isEqualTo(fa);
  }

  @Test
  void tamperedArchivesAreRejected() throws Exception {
    PcaDbscan det = PcaDbscan.builder().fit(twoBlobsAndNoise(8));
    ModelArchive good = archiveOfDetector(det);
    assertThat(good.manifest().path("detectors").path(PREFIX).path("silhouette").isNumber()).isTrue();
    double[] kd = good.doubles(PREFIX + ".k_distances");
    int[] labels = good.ints(PREFIX + ".labels");
    int[] rows = good.ints(PREFIX + ".sample_rows");
    double[] comps = good.doubles(PREFIX + ".pca_components");
    double[] core = good.doubles(PREFIX + ".core_points");

    assertRejected(good, PREFIX + ".k_distances", with(kd, 0, kd[kd.length - 1] + 1), p -> { });
    assertRejected(good, PREFIX + ".k_distances", with(kd, 3, Double.NaN), p -> { });
    assertRejected(good, PREFIX + ".labels", with(labels, 0, 7), p -> { });
    assertRejected(good, PREFIX + ".labels", with(labels, 0, -2), p -> { });
    assertRejected(good, PREFIX + ".sample_rows", with(rows, 1, rows[0]), p -> { });
    assertRejected(good, PREFIX + ".pca_components", with(comps, 0, comps[0] * 2 + 1), p -> { });
    assertRejected(good, PREFIX + ".pca_components", Arrays.copyOf(comps, comps.length - 1), p -> { });
    assertRejected(good, PREFIX + ".core_points", with(core, 0, Double.POSITIVE_INFINITY), p -> { });
    assertRejected(good, PREFIX + ".core_points", Arrays.copyOf(core, core.length + 1), p -> { });
    assertRejected(good, PREFIX + ".pca_mean", null, p -> { });
    assertRejected(good, PREFIX + ".pca_eigenvalues", new double[] {1, 2, 3}, p -> { });
    assertRejected(good, null, null, p -> p.put("kind", "ocsvm"));
    assertRejected(good, null, null, p -> p.put("version", 2));
    assertRejected(good, null, null, p -> p.put("components", 4));
    assertRejected(good, null, null, p -> p.put("eps", -1.0));
    assertRejected(good, null, null, p -> p.put("clusters", 1));
    assertRejected(good, null, null, p -> p.putNull("silhouette"));
    assertRejected(good, null, null, p -> p.put("silhouette", 1.5));
    assertRejected(good, null, null, p -> p.put("noise", det.noisePoints() + 1));
    assertRejected(good, null, null, p -> p.put("core_points", det.corePointsKept() - 1));
    assertRejected(good, null, null, p -> p.put("training_rows", 5));
    assertThatThrownBy(() -> PcaDbscan.readFrom(good, "other")).isInstanceOf(ModelFormatException.class);
  }

  private static double[] with(double[] a, int i, double v) {
    double[] c = a.clone();
    c[i] = v;
    return c;
  }

  private static int[] with(int[] a, int i, int v) {
    int[] c = a.clone();
    c[i] = v;
    return c;
  }

  private static void assertRejected(ModelArchive good, String name, Object replacement, Consumer<ObjectNode> edit) {
    ModelArchive bad = rebuild(good, PREFIX, name, replacement, edit);
    assertThatThrownBy(() -> PcaDbscan.readFrom(bad, PREFIX)).isInstanceOf(ModelFormatException.class);
  }

  @Test
  void attributionPointsAtTheFeatureOutliersDifferIn() {
    Matrix x = blobWithOutliers(5, true, 13);
    PcaDbscan det = PcaDbscan.builder().seed(8).fit(x);
    double[] share = new double[5];
    for (int r = NORMAL; r < x.rows(); r++) {
      det.attribute(x.data(), r * 5, share);
      assertThat(Arrays.stream(share).sum()).isCloseTo(1.0, within(1e-9));
      int top = IntStream.range(0, 5).boxed().max(Comparator.comparingDouble(i -> share[i])).orElseThrow();
      assertThat(top).as("row %d shares %s", r, Arrays.toString(share)).isEqualTo(0);
    }
  }

  @Test
  void badInputsAreRejected() {
    PcaDbscan det = PcaDbscan.builder().fit(DetectorTestData.uniform(50, 2, 1));
    assertThatThrownBy(() -> det.score(DetectorTestData.uniform(5, 3, 1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> det.attribute(new float[3], 2, new double[2])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PcaDbscan.builder().minPts(1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PcaDbscan.builder().varianceToKeep(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PcaDbscan.builder().fit(DetectorTestData.uniform(2, 2, 1)))
        .isInstanceOf(IllegalArgumentException.class);
    float[] nan = {1, Float.NaN, 2, 3, 4, 5};
    assertThatThrownBy(() -> PcaDbscan.builder().fit(new Matrix(nan, 3, 2))).isInstanceOf(IllegalArgumentException.class);
  }

  /** The committed golden file loads and scores as when it was written (format pin for "dbscan" v1). */
  @Test
  void goldenFileScoresAsWhenWritten() throws Exception {
    PcaDbscan det = PcaDbscan.readFrom(DetectorTestData.readGolden(GOLDEN), PREFIX);
    DetectorTestData.assertGoldenScores(GOLDEN, det.score(DetectorTestData.goldenQueries(3)));
  }

  @Test
  @EnabledIfSystemProperty(named = DetectorTestData.REGENERATE, matches = "true")
  void regenerateGoldenFile() throws Exception {
    PcaDbscan det = PcaDbscan.builder().maxRows(150).maxCorePoints(60).seed(4).threads(1)
        .fit(blobWithOutliers(3, false, 21).slice(1800, 2020));
    DetectorTestData.writeGolden(GOLDEN, archiveOfDetector(det), det.score(DetectorTestData.goldenQueries(3)),
        "blobWithOutliers(3, false, 21) rows 1800..2019, maxRows 150, maxCorePoints 60, seed 4");
  }
}
