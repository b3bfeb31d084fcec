package io.netanomaly.core.detect.ocsvm;

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
import java.util.function.Consumer;
import java.util.stream.IntStream;
import libsvm.svm;
import libsvm.svm_model;
import libsvm.svm_node;
import libsvm.svm_parameter;
import libsvm.svm_problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

class OneClassSvmTest {
  private static final String PREFIX = "det0";
  private static final String GOLDEN = "ocsvm-v1";

  private static ModelArchive archiveOfSvm(OneClassSvm svm) {
    return archiveOf(b -> svm.writeTo(b, PREFIX));
  }

  @Test
  void plantedOutliersGetTheHighestScores() {
    Matrix x = blobWithOutliers(5, false, 7);
    OneClassSvm svm = OneClassSvm.builder().fit(x);
    double[] scores = svm.score(x);
    assertThat(outliersInTop(scores, 20)).isGreaterThanOrEqualTo(18);
    assertThat(svm.kind()).isEqualTo("ocsvm");
    assertThat(svm.features()).isEqualTo(5);
    assertThat(svm.trainingRows()).isEqualTo(2020);
    // ν bounds the fraction of support vectors from below
    assertThat(svm.supportVectorCount()).isGreaterThanOrEqualTo((int) (0.05 * 2020));
    // outliers lie outside the support: positive scores
    for (int r = NORMAL; r < x.rows(); r++) {
      assertThat(scores[r]).isGreaterThan(0);
    }
  }

  @Test
  void scoresAreLibsvmsDecisionFunctionNegated() {
    Matrix x = blobWithOutliers(3, false, 3).slice(1000, 2020);
    OneClassSvm ours = OneClassSvm.builder().nu(0.1).gamma(0.3).fit(x);

    svm_problem problem = new svm_problem();
    problem.l = x.rows();
    problem.y = new double[x.rows()];
    problem.x = new svm_node[x.rows()][];
    for (int r = 0; r < x.rows(); r++) {
      problem.x[r] = nodes(x, r);
    }
    svm_parameter p = new svm_parameter();
    p.svm_type = svm_parameter.ONE_CLASS;
    p.kernel_type = svm_parameter.RBF;
    p.gamma = 0.3;
    p.nu = 0.1;
    p.cache_size = 100;
    p.eps = 1e-3;
    p.shrinking = 1;
    p.weight_label = new int[0];
    p.weight = new double[0];
    svm.svm_set_print_string_function(s -> { });
    svm_model model = svm.svm_train(problem, p);

    Matrix queries = DetectorTestData.goldenQueries(3);
    double[] scores = ours.score(queries);
    double[] decision = new double[1];
    for (int r = 0; r < queries.rows(); r++) {
      svm.svm_predict_values(model, nodes(queries, r), decision);
      assertThat(scores[r]).as("row %d", r).isCloseTo(-decision[0], within(1e-9));
    }
    assertThat(ours.supportVectorCount()).isEqualTo(model.l);
    assertThat(ours.rho()).isEqualTo(model.rho[0]);
  }

  private static svm_node[] nodes(Matrix m, int r) {
    svm_node[] n = new svm_node[m.cols()];
    for (int f = 0; f < m.cols(); f++) {
      n[f] = new svm_node();
      n[f].index = f + 1;
      n[f].value = m.get(r, f);
    }
    return n;
  }

  @Test
  void gammaModesFollowScikitLearn() {
    Matrix x = DetectorTestData.uniform(400, 4, 2);
    double mean = 0;
    for (int i = 0; i < 1600; i++) {
      mean += x.data()[i];
    }
    mean /= 1600;
    double var = 0;
    for (int i = 0; i < 1600; i++) {
      var += (x.data()[i] - mean) * (x.data()[i] - mean);
    }
    var /= 1600;
    assertThat(OneClassSvm.builder().fit(x).gamma()).isCloseTo(1 / (4 * var), within(1e-12));
    assertThat(OneClassSvm.builder().gamma("auto").fit(x).gamma()).isEqualTo(0.25);
    OneClassSvm fixed = OneClassSvm.builder().gamma("0.7").fit(x);
    assertThat(fixed.gamma()).isEqualTo(0.7);
    assertThat(fixed.gammaMode()).isEqualTo(OneClassSvm.GammaMode.VALUE);
    assertThatThrownBy(() -> OneClassSvm.builder().gamma("wide")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OneClassSvm.builder().gamma(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void largeTrainingSetsAreSubsampledDeterministically() {
    Matrix x = blobWithOutliers(4, false, 11);
    OneClassSvm a = OneClassSvm.builder().maxRows(500).seed(1).fit(x);
    OneClassSvm b = OneClassSvm.builder().maxRows(500).seed(1).fit(x);
    OneClassSvm c = OneClassSvm.builder().maxRows(500).seed(2).fit(x);
    assertThat(a.trainingRows()).isEqualTo(500);
    assertThat(a.score(x)).isEqualTo(b.score(x));
    assertThat(c.score(x)).isNotEqualTo(a.score(x));
    // a quarter of the rows still separates the planted outliers
    assertThat(DetectorTestData.rocAuc(a.score(x), NORMAL)).isGreaterThan(0.99);
  }

  @Test
  void sameSeedGivesIdenticalModelsAndThreadCountDoesNotMatter() throws Exception {
    Matrix x = blobWithOutliers(5, false, 5);
    OneClassSvm a = OneClassSvm.builder().maxRows(1000).seed(9).fit(x);
    OneClassSvm b = OneClassSvm.builder().maxRows(1000).seed(9).fit(x);
    assertThat(archiveOfSvm(b).doubles(PREFIX + ".support_vectors"))
        .isEqualTo(archiveOfSvm(a).doubles(PREFIX + ".support_vectors"));
    double[] one = new double[x.rows()];
    double[] two = new double[x.rows()];
    a.score(x, one, 1);
    a.score(x, two, 2);
    assertThat(two).isEqualTo(one);
    assertThat(a.withThreads(2).score(x)).isEqualTo(one);
  }

  @Test
  void writeThenReadGivesIdenticalScores() throws Exception {
    Matrix x = blobWithOutliers(5, false, 6);
    OneClassSvm svm = OneClassSvm.builder().nu(0.1).gammaAuto().maxRows(800).seed(-3).fit(x);
    ModelArchive archive = archiveOfSvm(svm);
    OneClassSvm back = OneClassSvm.readFrom(archive, PREFIX);
    assertThat(back.score(x)).isEqualTo(svm.score(x));
    assertThat(back.nu()).isEqualTo(0.1);
    assertThat(back.gammaMode()).isEqualTo(OneClassSvm.GammaMode.AUTO);
    assertThat(back.seed()).isEqualTo(-3);
    assertThat(back.trainingRows()).isEqualTo(800);
    double[] fa = new double[5];
    double[] fb = new double[5];
    svm.attribute(x.data(), 2010 * 5, fa);
    back.attribute(x.data(), 2010 * 5, fb);
    assertThat(fb).isEqualTo(fa);
    ModelArchive.Builder twice = ModelArchive.builder();
    svm.writeTo(twice, PREFIX);
    assertThatThrownBy(() -> svm.writeTo(twice, PREFIX)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tamperedArchivesAreRejected() throws Exception {
    OneClassSvm svm = OneClassSvm.builder().fit(blobWithOutliers(3, false, 1).slice(0, 300));
    ModelArchive good = archiveOfSvm(svm);
    double[] sv = good.doubles(PREFIX + ".support_vectors");
    double[] coef = good.doubles(PREFIX + ".coefficients");

    assertRejected(good, PREFIX + ".support_vectors", Arrays.copyOf(sv, sv.length - 1), p -> { });
    assertRejected(good, PREFIX + ".support_vectors", with(sv, 4, Double.NaN), p -> { });
    assertRejected(good, PREFIX + ".support_vectors", new float[sv.length], p -> { });
    assertRejected(good, PREFIX + ".support_vectors", null, p -> { });
    assertRejected(good, PREFIX + ".coefficients", with(coef, 0, -0.5), p -> { });
    assertRejected(good, PREFIX + ".coefficients", with(coef, 0, 2.0), p -> { });
    assertRejected(good, PREFIX + ".coefficients", Arrays.copyOf(coef, coef.length + 1), p -> { });
    assertRejected(good, null, null, p -> p.put("kind", "iforest"));
    assertRejected(good, null, null, p -> p.put("version", 2));
    assertRejected(good, null, null, p -> p.put("features", 4));
    assertRejected(good, null, null, p -> p.put("gamma", -1.0));
    assertRejected(good, null, null, p -> p.put("gamma", "scale"));
    assertRejected(good, null, null, p -> p.put("gamma_mode", "wide"));
    assertRejected(good, null, null, p -> p.put("nu", 0.0));
    assertRejected(good, null, null, p -> p.put("rho", Double.NaN));
    assertRejected(good, null, null, p -> p.remove("rho"));
    assertRejected(good, null, null, p -> p.put("support_vectors", coef.length + 1));
    assertRejected(good, null, null, p -> p.put("training_rows", 0));
    assertThatThrownBy(() -> OneClassSvm.readFrom(good, "other")).isInstanceOf(ModelFormatException.class);
  }

  private static double[] with(double[] a, int i, double v) {
    double[] c = a.clone();
    c[i] = v;
    return c;
  }

  private static void assertRejected(ModelArchive good, String name, Object replacement, Consumer<ObjectNode> edit) {
    ModelArchive bad = rebuild(good, PREFIX, name, replacement, edit);
    assertThatThrownBy(() -> OneClassSvm.readFrom(bad, PREFIX)).isInstanceOf(ModelFormatException.class);
  }

  @Test
  void attributionPointsAtTheFeatureOutliersDifferIn() {
    Matrix x = blobWithOutliers(5, true, 13);
    // trained on the normal rows, as in use: outliers kept in training can become islands of
    // their own support, and the nearest frontier is then theirs
    OneClassSvm svm = OneClassSvm.builder().seed(8).fit(x.slice(0, NORMAL));
    double[] share = new double[5];
    for (int r = NORMAL; r < x.rows(); r++) {
      svm.attribute(x.data(), r * 5, share);
      assertThat(Arrays.stream(share).sum()).isCloseTo(1.0, within(1e-9));
      int top = IntStream.range(0, 5).boxed().max(Comparator.comparingDouble(i -> share[i])).orElseThrow();
      assertThat(top).as("row %d shares %s", r, Arrays.toString(share)).isEqualTo(0);
    }
  }

  @Test
  void badInputsAreRejected() {
    OneClassSvm svm = OneClassSvm.builder().fit(DetectorTestData.uniform(50, 2, 1));
    assertThatThrownBy(() -> svm.score(DetectorTestData.uniform(5, 3, 1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> svm.score(DetectorTestData.uniform(5, 2, 1), new double[4]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> svm.attribute(new float[3], 2, new double[2])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OneClassSvm.builder().nu(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> OneClassSvm.builder().maxRows(1)).isInstanceOf(IllegalArgumentException.class);
    float[] nan = {1, Float.NaN, 2, 3};
    assertThatThrownBy(() -> OneClassSvm.builder().fit(new Matrix(nan, 2, 2)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** The committed golden file loads and scores as when it was written (format pin for "ocsvm" v1). */
  @Test
  void goldenFileScoresAsWhenWritten() throws Exception {
    OneClassSvm svm = OneClassSvm.readFrom(DetectorTestData.readGolden(GOLDEN), PREFIX);
    DetectorTestData.assertGoldenScores(GOLDEN, svm.score(DetectorTestData.goldenQueries(3)));
  }

  @Test
  @EnabledIfSystemProperty(named = DetectorTestData.REGENERATE, matches = "true")
  void regenerateGoldenFile() throws Exception {
    OneClassSvm svm = OneClassSvm.builder().nu(0.1).maxRows(150).seed(4)
        .fit(blobWithOutliers(3, false, 21).slice(1800, 2020));
    DetectorTestData.writeGolden(GOLDEN, archiveOfSvm(svm), svm.score(DetectorTestData.goldenQueries(3)),
        "blobWithOutliers(3, false, 21) rows 1800..2019, nu 0.1, gamma scale, maxRows 150, seed 4");
  }
}
