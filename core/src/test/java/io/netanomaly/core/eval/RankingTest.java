package io.netanomaly.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RankingTest {
  /**
   * 80 rows with many tied scores (one decimal) including -0.0 and 0.0. Expected values from
   * scikit-learn 1.2.1: roc_auc_score and average_precision_score on exactly these arrays.
   */
  static final double[] SKLEARN_SCORES = {
    -0.7, 0.0, -1.4, -0.9, 0.4, -0.5, 0.2, 0.1, -0.0, -0.6, -0.8, -1.1, 1.3, 0.2, 0.4, -1.7, 1.6,
    0.7, 1.0, 0.1, 1.0, 1.4, 0.6, 0.5, 0.4, 0.9, 2.7, -0.0, 1.5, -0.7, -2.3, 0.2, 0.7, 2.0, -1.5,
    0.4, -1.8, 2.6, 0.8, -1.0, 0.7, 1.7, 0.9, 1.5, 1.0, -0.1, -0.4, 1.5, -0.6, -1.8, 0.4, -1.7, 1.0,
    0.9, 1.4, 2.0, -0.0, -0.0, 0.4, 2.4, -0.2, -0.4, 0.1, 0.8, -0.2, -0.3, 0.8, 2.0, 1.4, -0.9,
    -0.1, 1.4, -1.0, 0.2, 0.7, -1.1, -1.4, -0.8, 2.1, 0.7
  };

  static final int[] SKLEARN_LABELS = {
    0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 1, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1, 0, 0,
    1, 1, 1, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 1, 1, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1
  };

  @Test
  void agreesWithScikitLearnOnARandomCaseWithTies() {
    assertThat(Ranking.rocAuc(SKLEARN_SCORES, SKLEARN_LABELS))
        .isCloseTo(0.67165242165242167, within(1e-12));
    assertThat(Ranking.averagePrecision(SKLEARN_SCORES, SKLEARN_LABELS))
        .isCloseTo(0.49407807781457197, within(1e-12));
  }

  @Test
  void handComputedCaseWithoutTies() {
    double[] scores = {0.1, 0.4, 0.35, 0.8};
    int[] labels = {0, 0, 1, 1};
    // Pairs (anomaly, normal) ordered right: (0.35, 0.1), (0.8, 0.1), (0.8, 0.4): 3 of 4.
    assertThat(Ranking.rocAuc(scores, labels)).isEqualTo(0.75);
    // 0.8: precision 1 at recall 1/2; 0.4 adds no recall; 0.35: precision 2/3 at recall 1.
    assertThat(Ranking.averagePrecision(scores, labels)).isCloseTo(0.5 + 0.5 * 2 / 3.0, within(1e-15));
  }

  @Test
  void tiedScoresCountHalfAndEnterTogether() {
    double[] scores = {0.5, 0.5, 0.5, 0.9};
    int[] labels = {0, 1, 0, 1};
    // Anomaly 0.5 ties both normals (1/2 + 1/2), anomaly 0.9 beats both: 3 of 4 pairs.
    assertThat(Ranking.rocAuc(scores, labels)).isEqualTo(0.75);
    // 0.9: precision 1, recall 1/2; the 0.5 group at once: precision 2/4, recall 1.
    assertThat(Ranking.averagePrecision(scores, labels)).isEqualTo(0.75);

    double[] allTied = {3, 3, 3, 3, 3};
    int[] twoOfFive = {1, 0, 0, 1, 0};
    assertThat(Ranking.rocAuc(allTied, twoOfFive)).isEqualTo(0.5);
    assertThat(Ranking.averagePrecision(allTied, twoOfFive)).isEqualTo(0.4);
  }

  @Test
  void signedZerosTie() {
    assertThat(Ranking.rocAuc(new double[] {-0.0, 0.0}, new int[] {0, 1})).isEqualTo(0.5);
    assertThat(Ranking.rocAuc(new double[] {0.0, -0.0}, new int[] {0, 1})).isEqualTo(0.5);
  }

  @Test
  void perfectAndInvertedRankings() {
    double[] scores = {1, 2, 3, 4, 5, 6};
    assertThat(Ranking.rocAuc(scores, new int[] {0, 0, 0, 1, 1, 1})).isEqualTo(1.0);
    assertThat(Ranking.averagePrecision(scores, new int[] {0, 0, 0, 1, 1, 1})).isEqualTo(1.0);
    assertThat(Ranking.rocAuc(scores, new int[] {1, 1, 1, 0, 0, 0})).isEqualTo(0.0);
    // Anomalies last: precision 1/4, 2/5, 3/6 as each is reached.
    assertThat(Ranking.averagePrecision(scores, new int[] {1, 1, 1, 0, 0, 0}))
        .isCloseTo((0.25 + 0.4 + 0.5) / 3, within(1e-15));
  }

  @Test
  void oneClassIsNaN() {
    double[] scores = {0.2, 0.7, 0.1};
    assertThat(Ranking.rocAuc(scores, new int[] {0, 0, 0})).isNaN();
    assertThat(Ranking.rocAuc(scores, new int[] {1, 1, 1})).isNaN();
    assertThat(Ranking.averagePrecision(scores, new int[] {0, 0, 0})).isNaN();
    assertThat(Ranking.averagePrecision(scores, new int[] {1, 1, 1})).isNaN();
    assertThat(Ranking.rocAuc(new double[0], new int[0])).isNaN();
  }

  @Test
  void reversingTheScoresMirrorsTheAuc() {
    Random random = new Random(11);
    double[] scores = new double[5000];
    double[] negated = new double[scores.length];
    int[] labels = new int[scores.length];
    for (int i = 0; i < scores.length; i++) {
      labels[i] = random.nextInt(10) == 0 ? 1 : 0;
      scores[i] = Math.floor(random.nextGaussian() * 20 + labels[i] * 10); // ties on purpose
      negated[i] = -scores[i];
    }
    double auc = Ranking.rocAuc(scores, labels);
    assertThat(auc).isBetween(0.55, 0.8);
    assertThat(Ranking.rocAuc(negated, labels)).isCloseTo(1 - auc, within(1e-12));
  }

  @Test
  void rejectsBadInput() {
    assertThatThrownBy(() -> Ranking.rocAuc(new double[] {1, 2}, new int[] {1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("2 scores but 1 labels");
    assertThatThrownBy(() -> Ranking.rocAuc(new double[] {1, 2}, new int[] {1, 2}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("label at row 1 is 2, not 0 or 1");
    assertThatThrownBy(() -> Ranking.averagePrecision(new double[] {Double.NaN, 2}, new int[] {1, 0}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("score at row 0 is NaN");
  }
}
