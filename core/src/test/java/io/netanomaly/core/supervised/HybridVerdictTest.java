package io.netanomaly.core.supervised;

import static io.netanomaly.core.supervised.SupervisedFixtures.gaussians;
import static io.netanomaly.core.supervised.SupervisedFixtures.small;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
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

class HybridVerdictTest {
  private static final List<String> TWO = List.of("normal", "attack");

  @TempDir
  Path dir;

  /** Normal rows near the origin, known attacks near (4, −4); the detector learns the normal rows only. */
  private static HybridVerdict hybrid(String kind) {
    SupervisedFixtures.Labelled train = gaussians(2_000, 2, 21);
    Classifier c = Classifiers.train(kind, train.x(), train.y(), TWO, small(0, 2));
    float[] normal = new float[1_000 * 4];
    int n = 0;
    for (int r = 0; r < train.y().length; r++) {
      if (train.y()[r] == 0) {
        for (int j = 0; j < 4; j++) {
          normal[n * 4 + j] = train.x().get(r, j);
        }
        n++;
      }
    }
    Matrix normals = new Matrix(normal, n, 4);
    IsolationForest forest = IsolationForest.builder().trees(50).sampleSize(256).seed(3).threads(1).fit(normals);
    Threshold t = Threshold.parse("0.01").fit(forest.score(normals));
    return HybridVerdict.of(c, forest, t);
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

  private static Map<HybridVerdict.Source, Integer> count(HybridVerdict.Verdicts v, int from, int to) {
    Map<HybridVerdict.Source, Integer> m = new EnumMap<>(HybridVerdict.Source.class);
    for (HybridVerdict.Source s : HybridVerdict.Source.values()) {
      m.put(s, 0);
    }
    for (int r = from; r < to; r++) {
      m.merge(v.source(r), 1, Integer::sum);
    }
    return m;
  }

  @Test
  void anAttackAbsentFromTrainingIsCaughtByTheDetectorAlone() {
    HybridVerdict h = hybrid("rf");
    HybridVerdict.Verdicts v = h.judge(unseen(200));
    Map<HybridVerdict.Source, Integer> sources = count(v, 0, 200);
    assertThat(sources.get(HybridVerdict.Source.UNSUPERVISED)).isGreaterThan(190);
    for (int r = 0; r < 200; r++) {
      if (v.source(r) == HybridVerdict.Source.UNSUPERVISED) {
        assertThat(v.predictedName(r)).isEqualTo("normal");
        assertThat(v.isAlert(r)).isTrue();
      }
    }
  }

  @Test
  void knownAttacksAreSupervisedAlertsWithTheirClassAndNormalRowsMostlyQuiet() {
    HybridVerdict h = hybrid("gbm");
    SupervisedFixtures.Labelled test = gaussians(1_000, 2, 22);
    HybridVerdict.Verdicts v = h.judge(test.x());
    int quietNormals = 0;
    int supervisedAttacks = 0;
    for (int r = 0; r < 1_000; r++) {
      HybridVerdict.Source s = v.source(r);
      if (test.y()[r] == 0) {
        quietNormals += s == HybridVerdict.Source.NONE ? 1 : 0;
      } else if (s == HybridVerdict.Source.SUPERVISED || s == HybridVerdict.Source.BOTH) {
        supervisedAttacks++;
        assertThat(v.predictedName(r)).isEqualTo("attack");
        assertThat(v.probability(r, 1)).isGreaterThan(0.5);
      }
    }
    assertThat(quietNormals).isGreaterThan(470);
    assertThat(supervisedAttacks).isGreaterThan(490);
    assertThat(HybridVerdict.Source.BOTH.label()).isEqualTo("both");
    assertThat(HybridVerdict.Source.NONE.isAlert()).isFalse();
  }

  @Test
  void aSavedHybridLoadsAndJudgesIdentically() throws Exception {
    HybridVerdict h = hybrid("logreg");
    ModelArchive.Builder b = ModelArchive.builder();
    h.writeTo(b, "hybrid");
    Path file = dir.resolve("hybrid.nam");
    b.build().write(file);
    ModelArchive a = ModelArchive.read(file);
    HybridVerdict back = HybridVerdict.readFrom(a, "hybrid", IsolationForest::readFrom);
    assertThat(back.threshold().value()).isEqualTo(h.threshold().value());
    Matrix rows = gaussians(300, 2, 23).x();
    HybridVerdict.Verdicts want = h.judge(rows);
    HybridVerdict.Verdicts got = back.judge(rows);
    for (int r = 0; r < 300; r++) {
      assertThat(got.source(r)).isEqualTo(want.source(r));
      assertThat(got.score(r)).isEqualTo(want.score(r));
      assertThat(got.probability(r, 1)).isEqualTo(want.probability(r, 1));
    }
    ModelArchive noThreshold = SupervisedFixtures.withManifest(a,
        m -> ((ObjectNode) m.get("hybrids").get("hybrid")).remove("threshold"));
    assertThatThrownBy(() -> HybridVerdict.readFrom(noThreshold, "hybrid", IsolationForest::readFrom))
        .isInstanceOf(ModelFormatException.class).hasMessageContaining("threshold");
  }

  @Test
  void aClassifierWithoutANormalClassOrOtherFeaturesIsRefused() {
    SupervisedFixtures.Labelled d = gaussians(200, 2, 1);
    Classifier noNormal = Classifiers.train("logreg", d.x(), d.y(), List.of("dos", "probe"), small(0, 1));
    IsolationForest forest = IsolationForest.builder().trees(10).seed(1).threads(1).fit(d.x());
    assertThatThrownBy(() -> HybridVerdict.of(noNormal, forest, Threshold.fixed(0.6)))
        .hasMessageContaining("no 'normal' class");
    Classifier c = Classifiers.train("logreg", d.x(), d.y(), TWO, small(0, 1));
    float[] twoColumns = new float[200 * 2];
    for (int r = 0; r < 200; r++) {
      twoColumns[r * 2] = d.x().get(r, 0);
      twoColumns[r * 2 + 1] = d.x().get(r, 1);
    }
    IsolationForest narrow = IsolationForest.builder().trees(10).seed(1).threads(1).fit(new Matrix(twoColumns, 200, 2));
    assertThatThrownBy(() -> HybridVerdict.of(c, narrow, Threshold.fixed(0.6))).hasMessageContaining("features");
  }
}
