package io.netanomaly.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netanomaly.core.eval.Ranking;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ScoreCurveTest {
  @Test
  void rocPointsStepThroughDistinctScoresWithTiesTogether() {
    // scores 0.9 (a), 0.8 (n), 0.8 (a), 0.1 (n)
    ScoreCurve roc = ScoreCurve.roc(new double[] {0.9, 0.8, 0.8, 0.1}, new int[] {1, 0, 1, 0});

    assertThat(roc.x()).containsExactly(0, 0, 0.5, 1);
    assertThat(roc.y()).containsExactly(0, 0.5, 1, 1);
    assertThat(roc.area()).isEqualTo(0.875);
  }

  @Test
  void precisionRecallStartsAtTheTopThreshold() {
    ScoreCurve pr = ScoreCurve.precisionRecall(new double[] {0.9, 0.8, 0.7, 0.1}, new int[] {1, 0, 1, 0});

    assertThat(pr.x()).containsExactly(0, 0.5, 0.5, 1, 1);
    assertThat(pr.y()).containsExactly(1, 1, 0.5, 2.0 / 3, 0.5);
    assertThat(pr.area()).isEqualTo(0.5 * 1 + 0.5 * (2.0 / 3));
  }

  @Test
  void trapezoidAreaUnderTheRocPointsMatchesRanking() {
    SplittableRandom r = new SplittableRandom(5);
    int n = 3_000;
    double[] s = new double[n];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = r.nextDouble() < 0.1 ? 1 : 0;
      s[i] = Math.round((r.nextGaussian() + 1.5 * y[i]) * 20) / 20.0; // rounded: many ties
    }
    ScoreCurve roc = ScoreCurve.roc(s, y);
    double[] x = roc.x();
    double[] t = roc.y();
    double area = 0;
    for (int i = 1; i < x.length; i++) {
      area += (x[i] - x[i - 1]) * (t[i] + t[i - 1]) / 2;
    }
    assertThat(area).isCloseTo(Ranking.rocAuc(s, y), org.assertj.core.data.Offset.offset(1e-12));
    assertThat(roc.area()).isEqualTo(Ranking.rocAuc(s, y));
  }

  @Test
  void longCurvesAreThinnedKeepingBothEnds() {
    int n = 20_000;
    double[] s = new double[n];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      s[i] = i;
      y[i] = i % 2;
    }
    ScoreCurve roc = ScoreCurve.roc(s, y);

    assertThat(roc.x()).hasSize(ScoreCurve.MAX_POINTS);
    assertThat(roc.x()[0]).isZero();
    assertThat(roc.x()[ScoreCurve.MAX_POINTS - 1]).isEqualTo(1.0);
  }

  @Test
  void rejectsNaNScoresAndBadLabels() {
    assertThatThrownBy(() -> ScoreCurve.roc(new double[] {Double.NaN}, new int[] {1}))
        .hasMessageContaining("NaN");
    assertThatThrownBy(() -> ScoreCurve.roc(new double[] {1}, new int[] {2})).hasMessageContaining("not 0 or 1");
  }
}
