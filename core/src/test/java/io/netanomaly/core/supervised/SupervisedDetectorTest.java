package io.netanomaly.core.supervised;

import static io.netanomaly.core.supervised.SupervisedFixtures.gaussians;
import static io.netanomaly.core.supervised.SupervisedFixtures.small;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netanomaly.core.detect.Detector;
import io.netanomaly.core.detect.Matrix;
import io.netanomaly.core.detect.Threshold;
import io.netanomaly.core.detect.iforest.IsolationForest;
import io.netanomaly.core.model.ModelArchive;
import io.netanomaly.core.model.ModelFormatException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hybrid on known geometry: normal rows at the origin and known attacks at (4, −4) (and (8, −8)
 * for a third class) train the classifier; an isolation forest learns the normal rows only. Rows of
 * an unseen cluster at (−8, 8) must be caught by the detector alone.
 */
class SupervisedDetectorTest {
  private static final List<String> TWO = List.of("normal", "attack");
  private static final List<String> THREE = List.of("normal", "dos", "probe");

  @TempDir
  Path dir;

  private static SupervisedDetector hybrid(String kind, List<String> classes, double gate) {
    SupervisedFixtures.Labelled train = gaussians(3_000, classes.size(), 21);
    Classifier c = Classifiers.train(kind, train.x(), train.y(), classes, small(0, 2));
    Matrix normals = normalRows(train);
    IsolationForest forest = IsolationForest.builder().trees(50).sampleSize(256).seed(3).threads(1).fit(normals);
    double t = Threshold.parse("0.01").fit(forest.score(normals)).value();
    return new SupervisedDetector(c, forest, t, gate);
  }

  private static Matrix normalRows(SupervisedFixtures.Labelled d) {
    int n = 0;
    for (int label : d.y()) {
      n += label == 0 ? 1 : 0;
    }
    float[] out = new float[n * 4];
    for (int r = 0, k = 0; r < d.y().length; r++) {
      if (d.y()[r] == 0) {
        System.arraycopy(d.x().data(), r * 4, out, k++ * 4, 4);
      }
    }
    return new Matrix(out, n, 4);
  }

  /** {@code rows} rows of an attack never shown in training, centred at (−8, 8, 0, 0). */
  private static Matrix unseen(int rows) {
    SplittableRandom rng = new SplittableRandom(5);
    float[] d = new float[rows * 4];
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < 4; j++) {
        d[r * 4 + j] = (float) ((j == 0 ? -8 : j == 1 ? 8 : 0) + SupervisedFixtures.gaussian(rng));
      }
    }
    return new Matrix(d, rows, 4);
  }

  private static Map<FiredBy, Integer> count(SupervisedDetector.Verdicts v) {
    Map<FiredBy, Integer> m = new EnumMap<>(FiredBy.class);
    for (FiredBy f : FiredBy.values()) {
      m.put(f, 0);
    }
    for (int r = 0; r < v.rows(); r++) {
      m.merge(v.firedBy(r), 1, Integer::sum);
    }
    return m;
  }

  @Test
  void anUnseenClusterIsCaughtByTheDetectorAloneAndTheClassifierCallsItNormal() {
    // gate 1: the classifier is certain the far cluster is normal, so only an open gate lets the detector speak
    SupervisedDetector h = hybrid("rf", TWO, 1.0);
    Matrix x = unseen(200);
    double[] s = new double[200];
    SupervisedDetector.Verdicts v = h.newVerdicts();
    h.score(x, s, SupervisedDetector.THRESHOLD, v);
    assertThat(count(v).get(FiredBy.DETECTOR)).isGreaterThan(190);
    for (int r = 0; r < 200; r++) {
      if (v.firedBy(r) == FiredBy.DETECTOR) {
        assertThat(v.predictedClass(r)).isEqualTo("normal");
        assertThat(s[r]).isGreaterThanOrEqualTo(SupervisedDetector.THRESHOLD);
        assertThat(h.sourceName(v.firedBy(r))).isEqualTo("hybrid:iforest");
      }
    }
  }

  @Test
  void knownAttacksFireTheClassifierWithTheirCategoryAndNormalRowsStayQuiet() {
    SupervisedDetector h = hybrid("gbm", THREE, SupervisedDetector.DEFAULT_GATE);
    SupervisedFixtures.Labelled test = gaussians(900, 3, 22);
    double[] s = new double[900];
    SupervisedDetector.Verdicts v = h.newVerdicts();
    h.score(test.x(), s, SupervisedDetector.THRESHOLD, v);
    int quietNormals = 0;
    int classifierAttacks = 0;
    int rightClass = 0;
    for (int r = 0; r < 900; r++) {
      FiredBy f = v.firedBy(r);
      // the verdict agrees with the score
      assertThat(f.isAlert()).isEqualTo(s[r] >= SupervisedDetector.THRESHOLD);
      if (test.y()[r] == 0) {
        quietNormals += f == FiredBy.NONE ? 1 : 0;
      } else if (f.classifierFired()) {
        classifierAttacks++;
        assertThat(v.predictedClass(r)).isNotEqualTo("normal");
        rightClass += v.predictedClass(r).equals(THREE.get(test.y()[r])) ? 1 : 0;
      }
    }
    assertThat(quietNormals).isGreaterThan(290);
    assertThat(classifierAttacks).isGreaterThan(590);
    // dos at (4, −4) and probe at (8, −8) overlap a little
    assertThat(rightClass).isGreaterThan(570);
    assertThat(h.sourceName(FiredBy.SUPERVISED)).isEqualTo("hybrid:supervised");
    assertThat(h.sourceName(FiredBy.BOTH)).isEqualTo("hybrid:both");
  }

  @Test
  void theGateSilencesTheDetectorWhereTheClassifierIsSureOfNormal() {
    SupervisedDetector open = hybrid("rf", TWO, 1.0);
    SupervisedDetector shut = hybrid("rf", TWO, 0.01);
    Matrix x = unseen(100);
    SupervisedDetector.Verdicts v = shut.newVerdicts();
    shut.score(x, new double[100], SupervisedDetector.THRESHOLD, v);
    // the classifier calls the unseen cluster normal with certainty: no detector alert gets through
    assertThat(count(v).get(FiredBy.NONE)).isEqualTo(100);
    SupervisedDetector.Verdicts w = open.newVerdicts();
    open.score(x, new double[100], SupervisedDetector.THRESHOLD, w);
    assertThat(count(w).get(FiredBy.DETECTOR)).isGreaterThan(95);
  }

  @Test
  void aSupervisedOnlyModelOnlyEverSaysSupervisedOrNone() {
    SupervisedFixtures.Labelled train = gaussians(1_000, 2, 21);
    SupervisedDetector sup = new SupervisedDetector(Classifiers.train("logreg", train.x(), train.y(), TWO, small(0, 1)),
        null, 0);
    SupervisedFixtures.Labelled test = gaussians(400, 2, 23);
    SupervisedDetector.Verdicts v = sup.newVerdicts();
    sup.score(test.x(), new double[400], SupervisedDetector.THRESHOLD, v);
    Map<FiredBy, Integer> c = count(v);
    assertThat(c.get(FiredBy.DETECTOR) + c.get(FiredBy.BOTH)).isZero();
    assertThat(c.get(FiredBy.SUPERVISED)).isBetween(190, 210);
    assertThat(sup.sourceName(FiredBy.SUPERVISED)).isEqualTo("supervised");
    assertThat(Double.isNaN(v.detectorScore(0))).isTrue();
  }

  private static Detector readForest(String kind, ModelArchive a, String prefix) throws ModelFormatException {
    assertThat(kind).isEqualTo(IsolationForest.KIND);
    return IsolationForest.readFrom(a, prefix);
  }

  @Test
  void aSavedHybridLoadsWithItsGateAndJudgesIdentically() throws Exception {
    SupervisedDetector h = hybrid("logreg", THREE, 0.9);
    ModelArchive.Builder b = ModelArchive.builder();
    h.writeTo(b, "det");
    Path file = dir.resolve("hybrid.nam");
    b.build().write(file);
    ModelArchive a = ModelArchive.read(file);
    SupervisedDetector back = SupervisedDetector.readFrom(a, "det", SupervisedDetectorTest::readForest);
    assertThat(back.gate()).isEqualTo(0.9);
    assertThat(back.unsupervisedThreshold()).isEqualTo(h.unsupervisedThreshold());
    Matrix rows = gaussians(300, 3, 23).x();
    double[] want = new double[300];
    double[] got = new double[300];
    SupervisedDetector.Verdicts vw = h.newVerdicts();
    SupervisedDetector.Verdicts vg = back.newVerdicts();
    h.score(rows, want, 0.5, vw);
    back.score(rows, got, 0.5, vg);
    assertThat(got).isEqualTo(want);
    for (int r = 0; r < 300; r++) {
      assertThat(vg.firedBy(r)).isEqualTo(vw.firedBy(r));
      assertThat(vg.predictedClass(r)).isEqualTo(vw.predictedClass(r));
    }
    ModelArchive noGate = SupervisedFixtures.withManifest(a,
        m -> ((ObjectNode) m.get("detectors").get("det")).remove("gate"));
    assertThatThrownBy(() -> SupervisedDetector.readFrom(noGate, "det", SupervisedDetectorTest::readForest))
        .isInstanceOf(ModelFormatException.class).hasMessageContaining("gate");
    ModelArchive future = SupervisedFixtures.withManifest(a,
        m -> ((ObjectNode) m.get("detectors").get("det")).put("version", 3));
    assertThatThrownBy(() -> SupervisedDetector.readFrom(future, "det", SupervisedDetectorTest::readForest))
        .isInstanceOf(ModelFormatException.class).hasMessageContaining("version 3");
  }

  @Test
  void aClassifierWithoutANormalClassOrOtherFeaturesOrABadGateIsRefused() {
    SupervisedFixtures.Labelled d = gaussians(200, 2, 1);
    Classifier noNormal = Classifiers.train("logreg", d.x(), d.y(), List.of("dos", "probe"), small(0, 1));
    IsolationForest forest = IsolationForest.builder().trees(10).seed(1).threads(1).fit(d.x());
    assertThatThrownBy(() -> new SupervisedDetector(noNormal, forest, 0.6)).hasMessageContaining("no 'normal' class");
    Classifier c = Classifiers.train("logreg", d.x(), d.y(), TWO, small(0, 1));
    float[] twoColumns = new float[200 * 2];
    for (int r = 0; r < 200; r++) {
      twoColumns[r * 2] = d.x().get(r, 0);
      twoColumns[r * 2 + 1] = d.x().get(r, 1);
    }
    IsolationForest narrow = IsolationForest.builder().trees(10).seed(1).threads(1).fit(new Matrix(twoColumns, 200, 2));
    assertThatThrownBy(() -> new SupervisedDetector(c, narrow, 0.6)).hasMessageContaining("features");
    assertThatThrownBy(() -> new SupervisedDetector(c, forest, 0.6, 0)).hasMessageContaining("gate");
    assertThatThrownBy(() -> new SupervisedDetector(c, forest, 0.6, 1.5)).hasMessageContaining("gate");
  }
}
