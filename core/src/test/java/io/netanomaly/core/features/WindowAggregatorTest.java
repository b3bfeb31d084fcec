package io.netanomaly.core.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class WindowAggregatorTest {
  private final double[] out = new double[WindowAggregator.WIDTH];

  @Test
  void countsConnectionsDistinctDestinationsPortsBytesAndRateInTheWindow() {
    WindowAggregator w = new WindowAggregator(60_000, 100);
    for (int i = 0; i < 20; i++) {
      w.update(1_000L * i, "10.0.0.1", "10.0.0." + (i % 4), 1000 + i, 100, 2, out, 0);
    }
    assertThat(out[0]).isEqualTo(20);
    assertThat(out[1]).isEqualTo(4);
    assertThat(out[2]).isEqualTo(20);
    assertThat(out[3]).isEqualTo(2000);
    assertThat(out[4]).isCloseTo(40 / 60.0, within(1e-9));
  }

  @Test
  void sourcesAreKeptApart() {
    WindowAggregator w = new WindowAggregator(60_000, 100);
    w.update(0, "a", "x", 80, 1, 1, out, 0);
    w.update(1, "a", "y", 81, 1, 1, out, 0);
    w.update(2, "b", "x", 80, 1, 1, out, 0);
    assertThat(out[0]).isEqualTo(1);
    w.update(3, "a", "z", 82, 1, 1, out, 0);
    assertThat(out[0]).isEqualTo(3);
    assertThat(out[2]).isEqualTo(3);
  }

  @Test
  void eventsOlderThanTheWindowAreEvicted() {
    WindowAggregator w = new WindowAggregator(60_000, 100);
    w.update(0, "a", "x", 80, 10, 1, out, 0);
    w.update(30_000, "a", "x", 80, 10, 1, out, 0);
    assertThat(out[0]).isEqualTo(2);
    w.update(70_000, "a", "y", 80, 10, 1, out, 0);
    assertThat(out[0]).isEqualTo(2);
    assertThat(out[3]).isEqualTo(20);
    w.update(200_000, "a", "y", 80, 10, 1, out, 0);
    assertThat(out[0]).isEqualTo(1);
  }

  @Test
  void idleSourcesAreForgottenAndTheSourceCountIsCapped() {
    WindowAggregator w = new WindowAggregator(1_000, 50);
    for (int i = 0; i < 500; i++) {
      w.update(0, "host" + i, "x", 80, 1, 1, out, 0);
    }
    assertThat(w.trackedSources()).isEqualTo(50);
    // idle for longer than the regularity horizon (10 windows)
    w.update(10_001, "late", "x", 80, 1, 1, out, 0);
    assertThat(w.trackedSources()).isEqualTo(1);
  }

  @Test
  void perSourceHistoryIsBoundedAndDistinctCountsSaturate() {
    WindowAggregator w = new WindowAggregator(3_600_000, 10);
    for (int i = 0; i < 5_000; i++) {
      w.update(i, "scanner", "10.1.1.1", i, 40, 1, out, 0);
    }
    assertThat(out[0]).isEqualTo(WindowAggregator.MAX_EVENTS);
    assertThat(out[2]).isEqualTo(WindowAggregator.MAX_EVENTS);
    assertThat(out[1]).isEqualTo(1);
  }

  @Test
  void repeatsToTheSameServiceAreCountedApart() {
    WindowAggregator w = new WindowAggregator(60_000, 10);
    for (int i = 0; i < 12; i++) {
      w.update(1_000L * i, "a", "10.0.0.9", 22, 100, 2, out, 0);
      w.update(1_000L * i + 1, "a", "10.0.1." + i, 443, 100, 2, out, 0);
    }
    w.update(20_000, "a", "10.0.0.9", 22, 100, 2, out, 0);
    assertThat(out[5]).isEqualTo(13);
    assertThat(out[6]).isEqualTo(13);
    w.update(20_001, "a", "10.0.0.9", 2222, 100, 2, out, 0);
    assertThat(out[5]).isEqualTo(14);
    assertThat(out[6]).isEqualTo(1);
  }

  @Test
  void timedCallsToOneDestinationHaveLowIntervalVariation() {
    WindowAggregator w = new WindowAggregator(60_000, 10);
    w.update(0, "bot", "203.0.113.5", 443, 500, 4, out, 0);
    w.update(30_000, "bot", "203.0.113.5", 443, 500, 4, out, 0);
    w.update(60_500, "bot", "203.0.113.5", 443, 500, 4, out, 0);
    assertThat(out[7]).as("two intervals are not enough").isNaN();
    w.update(90_000, "bot", "203.0.113.5", 443, 500, 4, out, 0);
    w.update(121_000, "bot", "203.0.113.5", 443, 500, 4, out, 0);
    assertThat(out[7]).isLessThan(0.05);
    WindowAggregator human = new WindowAggregator(60_000, 10);
    long[] times = {0, 2_000, 2_500, 40_000, 41_000, 200_000};
    for (long t : times) {
      human.update(t, "pc", "198.51.100.7", 443, 500, 4, out, 0);
    }
    assertThat(out[7]).isGreaterThan(0.5);
  }

  @Test
  void missingValuesCountAsZeroBytes() {
    WindowAggregator w = new WindowAggregator(60_000, 10);
    w.update(0, null, null, -1, Double.NaN, Double.NaN, out, 0);
    assertThat(out[0]).isEqualTo(1);
    assertThat(out[3]).isZero();
  }
}
