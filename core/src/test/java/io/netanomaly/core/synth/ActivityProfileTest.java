package io.netanomaly.core.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ActivityProfileTest {
  private static final double HOUR = 3_600_000.0;
  private final ActivityProfile profile = new ActivityProfile();
  private final double monday = TrafficSimulator.DEFAULT_START_MILLIS;

  @Test
  void weeklyMeanFactorIsOne() {
    double sum = 0;
    for (int h = 0; h < 168; h++) {
      sum += profile.factor(monday + (h + 0.5) * HOUR);
    }
    assertThat(sum / 168).isCloseTo(1.0, within(1e-9));
  }

  @Test
  void afternoonIsBusierThanNightAndWeekdaysThanWeekends() {
    assertThat(profile.factor(monday + 14.5 * HOUR)).isGreaterThan(5 * profile.factor(monday + 3.5 * HOUR));
    assertThat(profile.factor(monday + (5 * 24 + 14.5) * HOUR))
        .isLessThan(profile.factor(monday + 14.5 * HOUR) / 2);
  }

  @Test
  void advanceInvertsTheCumulativeIntensity() {
    // from 13:30 on Monday, the rest of the 13:00 hour plus half of the 14:00 hour ends at 14:30
    double from = monday + 13.5 * HOUR;
    double f13 = profile.factor(from);
    double f14 = profile.factor(monday + 14.5 * HOUR);
    assertThat(f13).isNotEqualTo(f14);
    double end = profile.advance(from, f13 * 1_800 + f14 * 1_800);
    assertThat(end).isCloseTo(monday + 14.5 * HOUR, within(1e-3));
    assertThat(profile.advance(from, f13 * 900)).isCloseTo(monday + 13.75 * HOUR, within(1e-3));
    assertThat(profile.advance(from, 0)).isEqualTo(from);
  }
}
