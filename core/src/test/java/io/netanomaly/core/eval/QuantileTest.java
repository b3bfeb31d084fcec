package io.netanomaly.core.eval;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QuantileTest {
  @Test
  void interpolatesLinearlyBetweenTheClosestRanksLikeNumpy() {
    double[] v = {1, 2, 4, 8};
    assertThat(Quantile.of(v, 0)).isEqualTo(1);
    assertThat(Quantile.of(v, 1)).isEqualTo(8);
    // numpy.quantile([1,2,4,8], 0.5) == 3.0, 0.9 -> 6.8
    assertThat(Quantile.of(v, 0.5)).isEqualTo(3.0);
    assertThat(Quantile.of(v, 0.9)).isCloseTo(6.8, org.assertj.core.api.Assertions.within(1e-12));
    assertThat(Quantile.of(new double[] {5}, 0.3)).isEqualTo(5);
    assertThat(Quantile.of(v, new double[] {0, 0.5, 1})).containsExactly(1, 3, 8);
  }
}
