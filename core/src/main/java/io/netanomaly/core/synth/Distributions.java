package io.netanomaly.core.synth;

import java.util.SplittableRandom;

/** Random draws the traffic model uses, all from a caller's {@link SplittableRandom}. Stateless. */
final class Distributions {
  /** First port of the Linux ephemeral range ({@code ip_local_port_range}). */
  static final int EPHEMERAL_LOW = 32768;
  /** Last port of the Linux ephemeral range. */
  static final int EPHEMERAL_HIGH = 60999;

  private Distributions() {}

  /** Lognormal with the given median and log-space standard deviation. */
  static double lognormal(SplittableRandom rng, double median, double sigma) {
    return median * Math.exp(sigma * rng.nextGaussian());
  }

  /** Lognormal clipped to {@code [min, max]}. */
  static double lognormal(SplittableRandom rng, double median, double sigma, double min, double max) {
    return Math.min(max, Math.max(min, lognormal(rng, median, sigma)));
  }

  /** Pareto with scale {@code xm} and shape {@code alpha}, clipped to {@code max}. */
  static double pareto(SplittableRandom rng, double xm, double alpha, double max) {
    double u = 1.0 - rng.nextDouble(); // (0, 1]
    return Math.min(max, xm / Math.pow(u, 1.0 / alpha));
  }

  /** Log-uniform on {@code [min, max]}. */
  static double logUniform(SplittableRandom rng, double min, double max) {
    return Math.exp(uniform(rng, Math.log(min), Math.log(max)));
  }

  /** Uniform on {@code [min, max)}. */
  static double uniform(SplittableRandom rng, double min, double max) {
    return min + (max - min) * rng.nextDouble();
  }

  /** Uniform integer on {@code [min, max]} inclusive. */
  static int uniformInt(SplittableRandom rng, int min, int max) {
    return rng.nextInt(min, max + 1);
  }

  /** Exponential with the given mean. */
  static double exponential(SplittableRandom rng, double mean) {
    return -mean * Math.log(1.0 - rng.nextDouble());
  }

  /** {@code base} scaled by a uniform factor in {@code [1 - spread, 1 + spread]}. */
  static double jitter(SplittableRandom rng, double base, double spread) {
    return base * (1.0 + spread * (2.0 * rng.nextDouble() - 1.0));
  }

  /** A client source port from the Linux ephemeral range. */
  static int ephemeralPort(SplittableRandom rng) {
    return rng.nextInt(EPHEMERAL_LOW, EPHEMERAL_HIGH + 1);
  }

  /** An element of {@code values} chosen uniformly. */
  static int pick(SplittableRandom rng, int[] values) {
    return values[rng.nextInt(values.length)];
  }

  /** An element of {@code values} chosen uniformly. */
  static String pick(SplittableRandom rng, String[] values) {
    return values[rng.nextInt(values.length)];
  }

  /** The index {@code i} with {@code cumulative[i-1] <= u < cumulative[i]} for a uniform u in [0, last). */
  static int pickCumulative(SplittableRandom rng, double[] cumulative) {
    double u = rng.nextDouble() * cumulative[cumulative.length - 1];
    int lo = 0;
    int hi = cumulative.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cumulative[mid] > u) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /** Duration in seconds rounded to the microsecond, as flow exporters report it. */
  static double seconds(double s) {
    return Math.round(s * 1e6) / 1e6;
  }
}
