package io.netanomaly.core.supervised;

import static io.netanomaly.core.supervised.SupervisedFixtures.accuracy;
import static io.netanomaly.core.supervised.SupervisedFixtures.gaussians;
import static io.netanomaly.core.supervised.SupervisedFixtures.small;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netanomaly.core.detect.Matrix;
import io.netanomaly.core.model.ModelArchive;
import io.netanomaly.core.model.ModelFormatException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClassifiersTest {
  private static final List<String> TWO = List.of("normal", "attack");
  private static final List<String> THREE = List.of("normal", "dos", "probe");

  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"rf", "gbm", "logreg"})
  void separatesTwoGaussianClasses(String kind) {
    SupervisedFixtures.Labelled train = gaussians(1_000, 2, 1);
    SupervisedFixtures.Labelled test = gaussians(1_000, 2, 2);
    Classifier c = Classifiers.train(kind, train.x(), train.y(), TWO, small(0, 2));
    assertThat(c.kind()).isEqualTo(kind);
    assertThat(c.classes()).isEqualTo(TWO);
    assertThat(c.features()).isEqualTo(4);
    assertThat(accuracy(c.predict(test.x()), test.y())).isGreaterThan(0.95);
  }

  @ParameterizedTest
  @ValueSource(strings = {"rf", "gbm", "logreg"})
  void separatesThreeClassesWithProbabilitiesThatSumToOne(String kind) {
    SupervisedFixtures.Labelled train = gaussians(1_500, 3, 3);
    SupervisedFixtures.Labelled test = gaussians(900, 3, 4);
    Classifier c = Classifiers.train(kind, train.x(), train.y(), THREE, small(0, 2));
    assertThat(accuracy(c.predict(test.x()), test.y())).isGreaterThan(0.95);
    double[] p = c.predictProba(test.x());
    for (int r = 0; r < test.x().rows(); r++) {
      double sum = 0;
      for (int k = 0; k < 3; k++) {
        assertThat(p[r * 3 + k]).isBetween(0.0, 1.0);
        sum += p[r * 3 + k];
      }
      assertThat(sum).isCloseTo(1.0, within(1e-9));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"rf", "gbm", "logreg"})
  void theSameSeedGivesTheSameModelOnAnyThreadCount(String kind) {
    SupervisedFixtures.Labelled train = gaussians(600, 3, 5);
    SupervisedFixtures.Labelled test = gaussians(300, 3, 6);
    double[] one = Classifiers.train(kind, train.x(), train.y(), THREE, small(7, 1)).predictProba(test.x());
    double[] two = Classifiers.train(kind, train.x(), train.y(), THREE, small(7, 2)).predictProba(test.x());
    assertThat(two).isEqualTo(one);
  }

  @ParameterizedTest
  @ValueSource(strings = {"rf", "logreg"})
  void anotherSeedGivesAnotherModel(String kind) {
    SupervisedFixtures.Labelled train = gaussians(600, 3, 5);
    SupervisedFixtures.Labelled test = gaussians(300, 3, 6);
    double[] a = Classifiers.train(kind, train.x(), train.y(), THREE, small(7, 2)).predictProba(test.x());
    double[] b = Classifiers.train(kind, train.x(), train.y(), THREE, small(8, 2)).predictProba(test.x());
    assertThat(b).isNotEqualTo(a);
  }

  @ParameterizedTest
  @ValueSource(strings = {"rf", "gbm", "logreg"})
  void aSavedModelLoadsAndPredictsBitIdentically(String kind) throws Exception {
    SupervisedFixtures.Labelled train = gaussians(600, 3, 9);
    SupervisedFixtures.Labelled test = gaussians(300, 3, 10);
    Classifier c = Classifiers.train(kind, train.x(), train.y(), THREE, small(1, 2));
    ModelArchive.Builder b = ModelArchive.builder();
    c.writeTo(b, "sup");
    Path file = dir.resolve(kind + ".nam");
    b.build().write(file);
    Classifier back = Classifiers.readFrom(ModelArchive.read(file), "sup");
    assertThat(back.kind()).isEqualTo(kind);
    assertThat(back.classes()).isEqualTo(THREE);
    assertThat(back.predictProba(test.x())).isEqualTo(c.predictProba(test.x()));
  }

  private static ModelArchive written(String kind) {
    SupervisedFixtures.Labelled train = gaussians(300, 3, 11);
    ModelArchive.Builder b = ModelArchive.builder();
    Classifiers.train(kind, train.x(), train.y(), THREE, small(1, 1)).writeTo(b, "sup");
    return b.build();
  }

  @ParameterizedTest
  @ValueSource(strings = {"rf", "gbm"})
  void tamperedTreesAreRefused(String kind) throws Exception {
    ModelArchive a = written(kind);
    int[] left = a.ints("sup.left").clone();
    int split = 0;
    while (left[split] < 0) {
      split++;
    }
    int[] loop = left.clone();
    loop[split] = 0; // a child pointing back at the root would make a walk endless
    assertThatThrownBy(() -> Classifiers.readFrom(SupervisedFixtures.withArray(a, "sup.left", loop), "sup"))
        .isInstanceOf(ModelFormatException.class).hasMessageContaining("children");
    int[] feature = a.ints("sup.feature").clone();
    feature[split] = 4;
    assertThatThrownBy(() -> Classifiers.readFrom(SupervisedFixtures.withArray(a, "sup.feature", feature), "sup"))
        .isInstanceOf(ModelFormatException.class).hasMessageContaining("feature 4");
    double[] value = a.doubles("sup.value").clone();
    value[value.length - 1] = Double.NaN;
    assertThatThrownBy(() -> Classifiers.readFrom(SupervisedFixtures.withArray(a, "sup.value", value), "sup"))
        .isInstanceOf(ModelFormatException.class);
    assertThatThrownBy(() -> Classifiers.readFrom(SupervisedFixtures.withArray(a, "sup.threshold", new float[3]), "sup"))
        .isInstanceOf(ModelFormatException.class).hasMessageContaining("length");
  }

  @org.junit.jupiter.api.Test
  void aForestLeafThatIsNotAProbabilityIsRefused() throws Exception {
    ModelArchive a = written("rf");
    int[] feature = a.ints("sup.feature");
    int leaf = 0;
    while (feature[leaf] >= 0) {
      leaf++;
    }
    double[] value = a.doubles("sup.value").clone();
    value[leaf * 3] = 2;
    assertThatThrownBy(() -> Classifiers.readFrom(SupervisedFixtures.withArray(a, "sup.value", value), "sup"))
        .isInstanceOf(ModelFormatException.class).hasMessageContaining("probability");
  }

  @ParameterizedTest
  @ValueSource(strings = {"rf", "gbm", "logreg"})
  void tamperedManifestsAreRefused(String kind) throws Exception {
    ModelArchive a = written(kind);
    ModelArchive unknownKind = SupervisedFixtures.withManifest(a,
        m -> ((ObjectNode) m.get("classifiers").get("sup")).put("kind", "java.lang.Runtime"));
    assertThatThrownBy(() -> Classifiers.readFrom(unknownKind, "sup")).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("unknown");
    ModelArchive moreClasses = SupervisedFixtures.withManifest(a,
        m -> ((ObjectNode) m.get("classifiers").get("sup")).withArray("classes").add("u2r"));
    assertThatThrownBy(() -> Classifiers.readFrom(moreClasses, "sup")).isInstanceOf(ModelFormatException.class);
    ModelArchive duplicate = SupervisedFixtures.withManifest(a,
        m -> ((ObjectNode) m.get("classifiers").get("sup")).withArray("classes").set(1,
            com.fasterxml.jackson.databind.node.TextNode.valueOf("normal")));
    assertThatThrownBy(() -> Classifiers.readFrom(duplicate, "sup")).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("distinct");
    ModelArchive newer = SupervisedFixtures.withManifest(a,
        m -> ((ObjectNode) m.get("classifiers").get("sup")).put("version", 99));
    assertThatThrownBy(() -> Classifiers.readFrom(newer, "sup")).isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("version 99");
    ModelArchive narrower = SupervisedFixtures.withManifest(a,
        m -> ((ObjectNode) m.get("classifiers").get("sup")).put("features", 1));
    assertThatThrownBy(() -> Classifiers.readFrom(narrower, "sup")).isInstanceOf(ModelFormatException.class);
  }

  @org.junit.jupiter.api.Test
  void logisticRegressionRefusesANonPositiveScale() throws Exception {
    ModelArchive a = written("logreg");
    double[] scale = a.doubles("sup.scale").clone();
    scale[2] = 0;
    assertThatThrownBy(() -> Classifiers.readFrom(SupervisedFixtures.withArray(a, "sup.scale", scale), "sup"))
        .isInstanceOf(ModelFormatException.class).hasMessageContaining("scale");
  }

  @org.junit.jupiter.api.Test
  void badTrainingInputIsRefusedWithAReason() {
    SupervisedFixtures.Labelled d = gaussians(50, 2, 1);
    ClassifierOptions o = small(0, 1);
    assertThatThrownBy(() -> Classifiers.train("svm", d.x(), d.y(), TWO, o)).hasMessageContaining("unknown model 'svm'");
    assertThatThrownBy(() -> Classifiers.train("rf", d.x(), d.y(), List.of("normal"), o))
        .hasMessageContaining("two classes");
    int[] bad = d.y().clone();
    bad[3] = 2;
    assertThatThrownBy(() -> Classifiers.train("rf", d.x(), bad, TWO, o)).hasMessageContaining("row 3");
    assertThatThrownBy(() -> Classifiers.train("rf", d.x(), new int[2], TWO, o)).hasMessageContaining("one label per row");
    Classifier c = Classifiers.train("logreg", d.x(), d.y(), TWO, o);
    assertThatThrownBy(() -> c.predictProba(new Matrix(new float[6], 2, 3))).hasMessageContaining("3 features");
  }

  @org.junit.jupiter.api.Test
  void aRareClassIsFoundWithBalancedWeights() {
    // 2% of rows in class 1, overlapping more than the other tests' classes
    SupervisedFixtures.Labelled d = gaussians(5_000, 2, 12);
    java.util.List<Integer> keep = new java.util.ArrayList<>();
    for (int r = 0; r < d.y().length; r++) {
      if (d.y()[r] == 0 || r % 50 == 1) {
        keep.add(r);
      }
    }
    float[] x = new float[keep.size() * 4];
    int[] y = new int[keep.size()];
    for (int i = 0; i < keep.size(); i++) {
      int r = keep.get(i);
      for (int j = 0; j < 4; j++) {
        x[i * 4 + j] = d.x().get(r, j) * (j < 2 ? 0.35f : 1f);
      }
      y[i] = d.y()[r];
    }
    Matrix m = new Matrix(x, y.length, 4);
    ClassifierOptions o = small(0, 2);
    int plain = truePositives(Classifiers.train("logreg", m, y, TWO, o.withBalanced(false, 1)).predict(m), y);
    int balanced = truePositives(Classifiers.train("logreg", m, y, TWO, o.withBalanced(true, 50)).predict(m), y);
    assertThat(balanced).isGreaterThan(plain);
  }

  private static int truePositives(int[] predicted, int[] y) {
    int tp = 0;
    for (int i = 0; i < y.length; i++) {
      tp += predicted[i] == 1 && y[i] == 1 ? 1 : 0;
    }
    return tp;
  }
}
