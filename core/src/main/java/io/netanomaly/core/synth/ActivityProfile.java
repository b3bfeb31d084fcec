package io.netanomaly.core.synth;

/**
 * The relative flow arrival rate by hour of the week (UTC): a working-day curve that peaks in
 * the early afternoon and bottoms out before dawn, and quieter, flatter weekends. Factors are
 * normalised so that their mean over a week is 1, so a base rate times the factor has that base
 * rate as its weekly mean. The rate is constant within an hour, which makes the cumulative
 * intensity exactly invertible: arrival times of an inhomogeneous Poisson process follow without
 * thinning. Immutable and thread-safe.
 */
final class ActivityProfile {
  private static final double HOUR_MILLIS = 3_600_000.0;
  /** Epoch hour 0 (1970-01-01T00:00Z) was a Thursday, hour 72 of a week starting on Monday. */
  private static final int EPOCH_HOUR_OF_WEEK = 72;
  private static final double[] WORKDAY = {
      0.22, 0.18, 0.16, 0.15, 0.16, 0.22, 0.38, 0.65, 0.95, 1.25, 1.40, 1.45,
      1.30, 1.40, 1.50, 1.45, 1.35, 1.10, 0.80, 0.60, 0.50, 0.44, 0.36, 0.28};
  private static final double WEEKEND_SCALE = 0.35;

  private final double[] factorByHourOfWeek = new double[168];

  ActivityProfile() {
    double workdayMean = 0;
    for (double f : WORKDAY) {
      workdayMean += f / WORKDAY.length;
    }
    double sum = 0;
    for (int h = 0; h < 168; h++) {
      int day = h / 24;
      double f = WORKDAY[h % 24];
      if (day >= 5) {
        // weekends: half the daily swing, a third of the volume
        f = WEEKEND_SCALE * (0.5 * f + 0.5 * workdayMean);
      }
      factorByHourOfWeek[h] = f;
      sum += f;
    }
    double mean = sum / 168;
    for (int h = 0; h < 168; h++) {
      factorByHourOfWeek[h] /= mean;
    }
  }

  /** The rate factor (weekly mean 1) in force at {@code millis} since the epoch. */
  double factor(double millis) {
    return factorOfHour((long) Math.floor(millis / HOUR_MILLIS));
  }

  private double factorOfHour(long epochHour) {
    return factorByHourOfWeek[(int) Math.floorMod(epochHour + EPOCH_HOUR_OF_WEEK, 168L)];
  }

  /**
   * The instant after {@code fromMillis} at which the integral of the factor over time, in
   * factor-seconds, reaches {@code intensity}.
   */
  double advance(double fromMillis, double intensity) {
    double t = fromMillis;
    double remaining = intensity;
    while (true) {
      long hour = (long) Math.floor(t / HOUR_MILLIS);
      double hourEnd = (hour + 1) * HOUR_MILLIS;
      double f = factorOfHour(hour);
      double capacity = f * (hourEnd - t) / 1000.0;
      if (remaining <= capacity) {
        return Math.max(t, t + remaining / f * 1000.0);
      }
      remaining -= capacity;
      t = hourEnd;
    }
  }
}
