package io.netanomaly.core.eval;

/**
 * Quantiles of sorted values by linear interpolation between the closest ranks (NumPy's default,
 * "linear"). Stateless and thread-safe.
 */
public final class Quantile {
  private Quantile() {}

  /**
   * The {@code q}-quantile of {@code sorted} (ascending, not empty).
   *
   * @param q in [0, 1]
   */
  public static double of(double[] sorted, double q) {
    double pos = q * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
  }

  /** The quantiles of {@code sorted} at each of {@code levels}. */
  public static double[] of(double[] sorted, double[] levels) {
    double[] out = new double[levels.length];
    for (int i = 0; i < levels.length; i++) {
      out[i] = of(sorted, levels[i]);
    }
    return out;
  }
}
