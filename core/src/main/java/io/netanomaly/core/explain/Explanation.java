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
    // One formatter for the whole line, in Locale.US (same digits as ROOT here): String.format per
    // piece built a new formatter and locale symbols each time, a tenth of a served request's CPU.
    java.util.Formatter f = new java.util.Formatter(b, java.util.Locale.US);
    b.append(anomalyType);
    f.format(", score %.3f %s %.3f", score, isAnomaly() ? "≥" : "<", threshold);
    String sep = ": ";
    for (FeatureContribution c : topFeatures) {
      b.append(sep);
      f.format("%s=%.4g (normal %.4g..%.4g)", c.feature(), c.value(), c.normalLow(), c.normalHigh());
      sep = ", ";
    }
    return b.toString();
  }
}
