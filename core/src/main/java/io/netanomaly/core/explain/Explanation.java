package io.netanomaly.core.explain;

import java.util.List;
import java.util.Objects;

/**
 * Why a row was flagged: score against threshold, the features that drove the score (each with
 * its normal range), the anomaly type and the threat assessment. Offline and deterministic.
 * Immutable.
 */
public final class Explanation {
  private final double score;
  private final double threshold;
  private final String anomalyType;
  private final List<FeatureContribution> topFeatures;
  private final ThreatAssessment threat;

  public Explanation(double score, double threshold, String anomalyType, List<FeatureContribution> topFeatures,
      ThreatAssessment threat) {
    this.score = score;
    this.threshold = threshold;
    this.anomalyType = Objects.requireNonNull(anomalyType, "anomalyType");
    this.topFeatures = List.copyOf(topFeatures);
    this.threat = Objects.requireNonNull(threat, "threat");
  }

  public double score() { return score; }
  public double threshold() { return threshold; }
  public boolean isAnomaly() { return score >= threshold; }
  /** Anomaly type label ("port_scan", "behavioural"), "normal" for rows below the threshold. */
  public String anomalyType() { return anomalyType; }
  /** The most contributing features, largest first. */
  public List<FeatureContribution> topFeatures() { return topFeatures; }
  public ThreatAssessment threat() { return threat; }

  /** One line: "port_scan, score 0.71 ≥ 0.52: win_distinct_dst_ports=87 (normal 1..11), ...". */
  public String summary() {
    StringBuilder b = new StringBuilder();
    b.append(anomalyType).append(String.format(java.util.Locale.ROOT, ", score %.3f %s %.3f", score,
        isAnomaly() ? "≥" : "<", threshold));
    String sep = ": ";
    for (FeatureContribution f : topFeatures) {
      b.append(sep).append(String.format(java.util.Locale.ROOT, "%s=%.4g (normal %.4g..%.4g)", f.feature(), f.value(),
          f.normalLow(), f.normalHigh()));
      sep = ", ";
    }
    return b.toString();
  }
}
