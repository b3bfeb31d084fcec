package io.netanomaly.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BinaryMetricsTest {
  @Test
  void handComputedConfusionAndRatios() {
    double[] scores = {0.9, 0.8, 0.3, 0.2, 0.6};
    int[] labels = {1, 0, 1, 0, 0};
    BinaryMetrics m = BinaryMetrics.compute(scores, labels, 0.5);

    assertThat(m.rows()).isEqualTo(5);
    assertThat(m.anomalies()).isEqualTo(2);
    assertThat(m.tp()).isEqualTo(1); // 0.9
    assertThat(m.fp()).isEqualTo(2); // 0.8, 0.6
    assertThat(m.tn()).isEqualTo(1); // 0.2
    assertThat(m.fn()).isEqualTo(1); // 0.3
    assertThat(m.precision()).isEqualTo(1 / 3.0);
    assertThat(m.recall()).isEqualTo(0.5);
    assertThat(m.f1()).isCloseTo(0.4, within(1e-15));
    assertThat(m.accuracy()).isEqualTo(0.4);
    assertThat(m.falsePositiveRate()).isEqualTo(2 / 3.0);
    assertThat(m.threshold()).isEqualTo(0.5);
    // Anomaly 0.9 beats all 3 normals, 0.3 beats one (0.2): 4 of 6 pairs.
    assertThat(m.rocAuc()).isCloseTo(4 / 6.0, within(1e-15));
    // 0.9: precision 1 at recall 1/2; 0.3 reached after 0.8 and 0.6: precision 2/4 at recall 1.
    assertThat(m.prAuc()).isCloseTo(0.75, within(1e-15));
  }

  @Test
  void aScoreEqualToTheThresholdIsFlagged() {
    BinaryMetrics m = BinaryMetrics.compute(new double[] {0.5, 0.5}, new int[] {1, 0}, 0.5);

    assertThat(m.tp()).isEqualTo(1);
    assertThat(m.fp()).isEqualTo(1);
  }

  @Test
  void agreesWithScikitLearnAtAThreshold() {
    BinaryMetrics m =
        BinaryMetrics.compute(RankingTest.SKLEARN_SCORES, RankingTest.SKLEARN_LABELS, 0.5);

    // scikit-learn 1.2.1 precision_score, recall_score, f1_score, accuracy_score of score >= 0.5.
    assertThat(m.precision()).isCloseTo(0.5, within(1e-12));
    assertThat(m.recall()).isCloseTo(0.65384615384615385, within(1e-12));
    assertThat(m.f1()).isCloseTo(0.56666666666666676, within(1e-12));
    assertThat(m.accuracy()).isCloseTo(0.67500000000000004, within(1e-12));
    assertThat(m.rocAuc()).isCloseTo(0.67165242165242167, within(1e-12));
    assertThat(m.prAuc()).isCloseTo(0.49407807781457197, within(1e-12));
  }

  @Test
  void emptyDenominatorsGiveZeroAndOneClassGivesNaNAuc() {
    BinaryMetrics nothingFlagged =
        BinaryMetrics.compute(new double[] {0.1, 0.2, 0.3}, new int[] {1, 0, 0}, 0.9);
    assertThat(nothingFlagged.precision()).isZero();
    assertThat(nothingFlagged.recall()).isZero();
    assertThat(nothingFlagged.f1()).isZero();
    assertThat(nothingFlagged.accuracy()).isCloseTo(2 / 3.0, within(1e-15));

    BinaryMetrics allNormal = BinaryMetrics.compute(new double[] {0.1, 0.7}, new int[] {0, 0}, 0.5);
    assertThat(allNormal.recall()).isZero();
    assertThat(allNormal.rocAuc()).isNaN();
    assertThat(allNormal.prAuc()).isNaN();
    assertThat(allNormal.fp()).isEqualTo(1);

    BinaryMetrics allAnomalous = BinaryMetrics.compute(new double[] {0.1, 0.7}, new int[] {1, 1}, 0.5);
    assertThat(allAnomalous.falsePositiveRate()).isZero();
    assertThat(allAnomalous.rocAuc()).isNaN();
  }

  @Test
  void rejectsBadInput() {
    assertThatThrownBy(() -> BinaryMetrics.compute(new double[0], new int[0], 0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no rows to evaluate");
    assertThatThrownBy(() -> BinaryMetrics.compute(new double[] {1}, new int[] {1}, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("threshold is NaN");
    assertThatThrownBy(() -> BinaryMetrics.compute(new double[] {1}, new int[] {-1}, 0.5))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
