package io.netanomaly.core.explain;

import java.util.Objects;

/**
 * One feature's part in an alert: its observed value against the range seen in training, and its
 * share of the detector's attribution. Values are in the feature's raw unit (bytes, seconds,
 * counts) before log transform and scaling. Immutable.
 */
public final class FeatureContribution {
  private final String feature;
  private final double value;
  private final double normalLow;
  private final double normalHigh;
  private final double contribution;

  /**
   * @param feature feature name as in the model ("bytes_sent", "win_distinct_dst_ports")
   * @param value observed raw value (NaN when missing)
   * @param normalLow training 1st percentile (raw unit)
   * @param normalHigh training 99th percentile (raw unit)
   * @param contribution share of the attribution, 0..1 (the shares of all features sum to 1)
   */
  public FeatureContribution(String feature, double value, double normalLow, double normalHigh, double contribution) {
    this.feature = Objects.requireNonNull(feature, "feature");
    this.value = value;
    this.normalLow = normalLow;
    this.normalHigh = normalHigh;
    this.contribution = contribution;
  }

  public String feature() { return feature; }
  public double value() { return value; }
  public double normalLow() { return normalLow; }
  public double normalHigh() { return normalHigh; }
  public double contribution() { return contribution; }

  /** Whether the value lies outside the training 1st–99th percentile range. */
  public boolean outsideNormalRange() {
    return value < normalLow || value > normalHigh;
  }

  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT, "%s=%.6g (normal %.6g..%.6g, %.0f%%)", feature, value, normalLow,
        normalHigh, contribution * 100);
  }
}
