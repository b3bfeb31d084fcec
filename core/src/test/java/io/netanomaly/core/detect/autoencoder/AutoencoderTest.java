package io.netanomaly.core.detect.autoencoder;

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
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

class AutoencoderTest {
  static final String GOLDEN = "autoencoder-v1";

  /** Rows on a 2-D plane embedded in 6-D, plus noise: an autoencoder with a 2-wide code can learn them. */
  static Matrix planeIn6d(int rows, double noise, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] d = new float[rows * 6];
    for (int r = 0; r < rows; r++) {
      double a = rng.nextGaussian();
      double b = rng.nextGaussian();
      double[] v = {a, b, a + b, a - b, 0.5 * a, -b};
      for (int f = 0; f < 6; f++) {
        d[r * 6 + f] = (float) (v[f] + noise * rng.nextGaussian());
      }
    }
    return new Matrix(d, rows, 6);
  }

  @Test
  void plantedOutliersGetTheHighestScores() {
    Matrix x = blobWithOutliers(5, false, 7);
    Autoencoder ae = Autoencoder.builder().seed(1).fit(x);
    double[] scores = ae.score(x);
    assertThat(outliersAmongTop(scores, 20)).isGreaterThanOrEqualTo(18);
    assertThat(ae.kind()).isEqualTo("autoencoder");
    assertThat(ae.features()).isEqualTo(5);
    assertThat(ae.layerSizes()).containsExactly(5, 4, 2, 4, 5);
  }

  @Test
  void reluNetworksAlsoRankPlantedOutliersHighest() {
    Matrix x = blobWithOutliers(5, false, 8);
    Autoencoder ae = Autoencoder.builder().activation(Autoencoder.Activation.RELU).seed(2).fit(x);
    assertThat(outliersAmongTop(ae.score(x), 20)).isGreaterThanOrEqualTo(18);
    assertThat(ae.activation()).isEqualTo(Autoencoder.Activation.RELU);
  }

  @Test
  void trainingLearnsStructure() {
    // a plane in 6-D is reconstructed far better than points off it
    Matrix train = planeIn6d(3000, 0.05, 3);
    Autoencoder ae = Autoencoder.builder().encodingDimension(2).hiddenLayers(8).epochs(40).seed(3).threads(2)
        .fit(train);
    double[] onPlane = ae.score(planeIn6d(200, 0.05, 4));
    double[] offPlane = ae.score(gaussianMatrix(200, 6, 1.5, 5));
    double meanOn = Arrays.stream(onPlane).average().orElseThrow();
    double meanOff = Arrays.stream(offPlane).average().orElseThrow();
    assertThat(meanOn).isLessThan(0.05);
    assertThat(meanOff).isGreaterThan(10 * meanOn);
  }

  @Test
  void defaultAndCustomLayerSizes() {
    Matrix x = gaussianMatrix(100, 30, 1.0, 6);
    assertThat(Autoencoder.builder().epochs(1).fit(x).layerSizes()).containsExactly(30, 15, 7, 15, 30);
    assertThat(Autoencoder.builder().epochs(1).encodingDimension(3).hiddenLayers(20, 10).fit(x).layerSizes())
        .containsExactly(30, 20, 10, 3, 10, 20, 30);
    assertThat(Autoencoder.builder().epochs(1).encodingDimension(4).hiddenLayers().fit(x).layerSizes())
        .containsExactly(30, 4, 30);
    assertThat(Autoencoder.builder().epochs(1).fit(gaussianMatrix(50, 3, 1, 1)).layerSizes())
        .containsExactly(3, 4, 2, 4, 3);
  }

  @Test
  void sameSeedGivesIdenticalNetworksForAnyThreadCount() {
    Matrix x = gaussianMatrix(1500, 7, 1.0, 9);
    Autoencoder one = Autoencoder.builder().epochs(4).batchSize(100).seed(11).threads(1).fit(x);
    Autoencoder two = Autoencoder.builder().epochs(4).batchSize(100).seed(11).threads(2).fit(x);
    Autoencoder again = Autoencoder.builder().epochs(4).batchSize(100).seed(11).threads(1).fit(x);
    DetectorFixtures.assertSameArrays(archiveOf(one), archiveOf(two));
    DetectorFixtures.assertSameArrays(archiveOf(one), archiveOf(again));
    Matrix big = gaussianMatrix(20_000, 7, 1.0, 10);
    assertThat(two.withThreads(2).score(big)).isEqualTo(one.withThreads(1).score(big));
    Autoencoder other = Autoencoder.builder().epochs(4).batchSize(100).seed(12).threads(1).fit(x);
    assertThat(other.score(x)).isNotEqualTo(one.score(x));
  }

  @Test
  void earlyStoppingEndsTrainingAndKeepsTheBestEpoch() throws Exception {
    Matrix x = planeIn6d(400, 0.3, 13);
    Autoencoder stopped = Autoencoder.builder().epochs(500).patience(3).learningRate(0.01).seed(4).fit(x);
    assertThat(stopped.epochsTrained()).isLessThan(500);
    assertThat(stopped.validationLoss()).isFinite().isPositive();
    // the model file records the kept epoch's validation loss
    assertThat(archiveOf(stopped).manifest().path("detectors").path(PREFIX).path("validation_loss").asDouble())
        .isEqualTo(stopped.validationLoss());

    Autoencoder full = Autoencoder.builder().epochs(7).validationFraction(0).seed(4).fit(x);
    assertThat(full.epochsTrained()).isEqualTo(7);
    assertThat(full.validationLoss()).isNaN();
    assertThat(archiveOf(full).manifest().path("detectors").path(PREFIX).get("validation_loss").isNull()).isTrue();
  }

  @Test
  void l2ShrinksTheWeights() throws Exception {
    Matrix x = planeIn6d(800, 0.1, 14);
    Autoencoder plain = Autoencoder.builder().epochs(10).seed(5).fit(x);
    Autoencoder decayed = Autoencoder.builder().epochs(10).l2(0.1).seed(5).fit(x);
    assertThat(sumOfSquares(archiveOf(decayed).doubles(PREFIX + ".weights")))
        .isLessThan(sumOfSquares(archiveOf(plain).doubles(PREFIX + ".weights")));
  }

  private static double sumOfSquares(double[] a) {
    return Arrays.stream(a).map(v -> v * v).sum();
  }

  @Test
  void constantFeaturesAndNaNRows() {
    Matrix x = gaussianMatrix(300, 3, 1.0, 15);
    for (int r = 0; r < 300; r++) {
      x.data()[r * 3 + 1] = 4f;
    }
    Autoencoder ae = Autoencoder.builder().epochs(3).seed(6).fit(x);
    double[] s = ae.score(new Matrix(new float[] {0, 4, 0, 0, Float.NaN, 0}, 2, 3));
    assertThat(s[0]).isFinite();
    assertThat(s[1]).isNaN();
    x.data()[4] = Float.POSITIVE_INFINITY;
    assertThatThrownBy(() -> Autoencoder.builder().fit(x)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Autoencoder.builder().validationFraction(0.6)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Autoencoder.builder().hiddenLayers(4, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void savedAndLoadedNetworksScoreBitIdentically() throws Exception {
    Matrix x = blobWithOutliers(5, false, 16);
    Autoencoder ae = Autoencoder.builder().epochs(5).activation(Autoencoder.Activation.RELU).seed(7).fit(x);
    ModelArchive archive = archiveOf(ae);
    Autoencoder back = Autoencoder.readFrom(archive, PREFIX);
    Matrix queries = gaussianMatrix(500, 5, 2.0, 17);
    assertThat(back.score(queries)).isEqualTo(ae.score(queries));
    assertThat(back.layerSizes()).isEqualTo(ae.layerSizes());
    assertThat(back.activation()).isEqualTo(Autoencoder.Activation.RELU);
    assertThat(back.epochsTrained()).isEqualTo(ae.epochsTrained());
    DetectorFixtures.assertSameArrays(archive, archiveOf(back));
    assertThat(archiveOf(back).manifest()).isEqualTo(archive.manifest());
  }

  @Test
  void tamperedArchivesAreRejected() throws Exception {
    Autoencoder ae = Autoencoder.builder().epochs(2).seed(8).fit(gaussianMatrix(200, 4, 1, 18));
    ModelArchive good = archiveOf(ae);
    Autoencoder.readFrom(good, PREFIX);
    double[] weights = good.doubles(PREFIX + ".weights");
    double[] biases = good.doubles(PREFIX + ".biases");
    double[] scale = good.doubles(PREFIX + ".scale");
    assertRejected(withArray(good, PREFIX + ".weights", Arrays.copyOf(weights, weights.length - 1)));
    assertRejected(withArray(good, PREFIX + ".biases", Arrays.copyOf(biases, biases.length + 1)));
    assertRejected(withArray(good, PREFIX + ".weights", with(weights, 3, Double.NaN)));
    assertRejected(withArray(good, PREFIX + ".biases", with(biases, 0, Double.POSITIVE_INFINITY)));
    assertRejected(withArray(good, PREFIX + ".scale", with(scale, 1, 0)));
    assertRejected(withArray(good, PREFIX + ".scale", with(scale, 1, -2)));
    assertRejected(withArray(good, PREFIX + ".mean", new double[3]));
    assertRejected(withArray(good, PREFIX + ".mean", new float[4]));
    assertRejectedParams(good, p -> p.putArray("layers").add(4).add(2).add(4));
    assertRejectedParams(good, p -> p.putArray("layers").add(4).add(3).add(2).add(3).add(4));
    assertRejectedParams(good, p -> p.putArray("layers").add(4).add(4));
    assertRejectedParams(good, p -> p.putArray("layers").add(4).add(0).add(4));
    assertRejectedParams(good, p -> p.putArray("layers").add(4).add(1 << 20).add(4));
    assertRejectedParams(good, p -> p.putArray("layers").add(4).add("two").add(4));
    assertRejectedParams(good, p -> p.put("layers", 4));
    assertRejectedParams(good, p -> p.put("features", 5));
    assertRejectedParams(good, p -> p.put("activation", "sigmoid"));
    assertRejectedParams(good, p -> p.put("epochs_trained", 3));
    assertRejectedParams(good, p -> p.put("learning_rate", "fast"));
    assertRejectedParams(good, p -> p.put("learning_rate", 0));
    assertRejectedParams(good, p -> p.put("validation_fraction", 0.9));
    assertRejectedParams(good, p -> p.put("validation_loss", -1));
    assertRejectedParams(good, p -> p.put("kind", "knn"));
    assertRejectedParams(good, p -> p.put("version", 2));
    assertRejectedParams(good, p -> p.remove("patience"));
    assertThatThrownBy(() -> Autoencoder.readFrom(good, "other")).isInstanceOf(ModelFormatException.class);
  }

  private static double[] with(double[] a, int index, double v) {
    double[] c = a.clone();
    c[index] = v;
    return c;
  }

  private static void assertRejected(ModelArchive bad) {
    assertThatThrownBy(() -> Autoencoder.readFrom(bad, PREFIX)).isInstanceOf(ModelFormatException.class);
  }

  private static void assertRejectedParams(ModelArchive good, Consumer<ObjectNode> edit) {
    assertRejected(withParams(good, edit));
  }

  @Test
  void attributionPointsAtTheFeatureOutliersDifferIn() {
    Matrix x = blobWithOutliers(5, true, 19);
    Autoencoder ae = Autoencoder.builder().seed(9).fit(x.slice(0, DetectorFixtures.BLOB_ROWS));
    double[] share = new double[5];
    for (int r = DetectorFixtures.BLOB_ROWS; r < x.rows(); r++) {
      ae.attribute(x.data(), r * 5, share);
      assertThat(Arrays.stream(share).sum()).isCloseTo(1.0, within(1e-9));
      assertThat(Arrays.stream(share).min().orElseThrow()).isGreaterThanOrEqualTo(0.0);
      for (int f = 1; f < 5; f++) {
        assertThat(share[0]).as("row %d feature %d", r, f).isGreaterThan(share[f]);
      }
    }
  }

  @Test
  void theCommittedGoldenFileLoadsAndScoresAsWhenItWasWritten() throws Exception {
    Autoencoder golden = Autoencoder.readFrom(ModelArchive.read(DetectorFixtures.goldenResource(GOLDEN + ".nam")),
        PREFIX);
    double[] want = DetectorFixtures.goldenScores(GOLDEN + "-expected.json");
    double[] got = golden.score(DetectorFixtures.goldenRows());
    assertThat(got).hasSize(20);
    for (int i = 0; i < got.length; i++) {
      assertThat(got[i]).as("row %d", i).isCloseTo(want[i], within(1e-12));
    }
  }

  /**
   * Rewrites {@code golden/autoencoder-v1.nam}; runs only with
   * {@code -Dnetanomaly.regenerateGolden=true}. Regenerating is a format break: bump
   * {@link Autoencoder#ARCHIVE_VERSION} and keep a reader instead.
   */
  @Test
  @EnabledIfSystemProperty(named = "netanomaly.regenerateGolden", matches = "true")
  void regenerate() throws Exception {
    Autoencoder ae = Autoencoder.builder().epochs(20).seed(1).threads(1).fit(DetectorFixtures.goldenTraining());
    DetectorFixtures.writeGolden(ae, GOLDEN, "Autoencoder epochs=20 seed=1 (other settings default) on "
        + "DetectorFixtures.goldenTraining()");
  }
}
