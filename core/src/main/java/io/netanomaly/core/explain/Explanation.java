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
    StringBuilder b = new StringBuilder(64 + 48 * topFeatures.size());
    b.append(anomalyType).append(", score ");
    DecimalText.appendFixed(b, score, 3).append(isAnomaly() ? " ≥ " : " < ");
    DecimalText.appendFixed(b, threshold, 3);
    String sep = ": ";
    for (FeatureContribution c : topFeatures) {
      b.append(sep).append(c.feature()).append('=');
      DecimalText.appendGeneral(b, c.value(), 4).append(" (normal ");
      DecimalText.appendGeneral(b, c.normalLow(), 4).append("..");
      DecimalText.appendGeneral(b, c.normalHigh(), 4).append(')');
      sep = ", ";
    }
    return b.toString();
  }
}
