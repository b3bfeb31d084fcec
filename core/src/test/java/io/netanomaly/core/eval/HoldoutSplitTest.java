package io.netanomaly.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** {@link HoldoutSplit} decides each row's side from its index and seed alone, in the asked share. */
class HoldoutSplitTest {
  private static final int N = 100_000;

  @Test
  void theSameIndexAndSeedAlwaysLandOnTheSameSide() {
    HoldoutSplit a = new HoldoutSplit(0.7, 3);
    HoldoutSplit b = new HoldoutSplit(0.7, 3);
    for (long i = 0; i < N; i++) {
      assertThat(b.isTraining(i)).isEqualTo(a.isTraining(i));
    }
    // Asking out of order or twice changes nothing: no state is kept between calls.
    assertThat(a.isTraining(99_999)).isEqualTo(b.isTraining(99_999));
    assertThat(a.isTraining(5)).isEqualTo(a.isTraining(5));
  }

  @Test
  void theHeldOutPartIsExactlyTheRest() {
    HoldoutSplit s = new HoldoutSplit(0.7, 0);
    int training = 0;
    int heldOut = 0;
    for (long i = 0; i < N; i++) {
      if (s.isTraining(i)) {
        training++;
      } else {
        heldOut++;
      }
    }
    assertThat(training + heldOut).isEqualTo(N);
    assertThat(heldOut).isPositive();
  }

  @Test
  void theShareIsWithinOnePercentOfTheAskedShare() {
    for (long seed : new long[] {0, 1, 42}) {
      HoldoutSplit s = new HoldoutSplit(0.7, seed);
      int training = 0;
      for (long i = 0; i < N; i++) {
        if (s.isTraining(i)) {
          training++;
        }
      }
      assertThat(training / (double) N).as("seed " + seed).isCloseTo(0.7, within(0.01));
    }
    HoldoutSplit tenth = new HoldoutSplit(0.1, 7);
    int training = 0;
    for (long i = 0; i < N; i++) {
      if (tenth.isTraining(i)) {
        training++;
      }
    }
    assertThat(training / (double) N).isCloseTo(0.1, within(0.01));
  }

  @Test
  void theSidesAreMixedNotBlocks() {
    HoldoutSplit s = new HoldoutSplit(0.5, 0);
    int changes = 0;
    for (long i = 1; i < N; i++) {
      if (s.isTraining(i) != s.isTraining(i - 1)) {
        changes++;
      }
    }
    // Independent fair draws change side about half the time.
    assertThat(changes / (double) N).isCloseTo(0.5, within(0.02));
  }

  @Test
  void differentSeedsGiveDifferentSplits() {
    HoldoutSplit a = new HoldoutSplit(0.7, 0);
    HoldoutSplit b = new HoldoutSplit(0.7, 1);
    int differ = 0;
    for (long i = 0; i < N; i++) {
      if (a.isTraining(i) != b.isTraining(i)) {
        differ++;
      }
    }
    // Independent splits disagree on 2 * 0.7 * 0.3 = 42% of rows.
    assertThat(differ / (double) N).isCloseTo(0.42, within(0.02));
  }

  @Test
  void sharesOutsideZeroToOneAreRejected() {
    for (double bad : new double[] {0, 1, -0.1, 1.5, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThatThrownBy(() -> new HoldoutSplit(bad, 0))
          .as("share " + bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("training share in (0, 1)");
    }
  }

  @Test
  void describesItselfAsShareAtSeed() {
    HoldoutSplit s = new HoldoutSplit(0.7, 3);
    assertThat(s.trainShare()).isEqualTo(0.7);
    assertThat(s.seed()).isEqualTo(3);
    assertThat(s).hasToString("0.7@3");
  }
}
