package io.netanomaly.llm;

import io.netanomaly.core.explain.Alert;
import io.netanomaly.core.explain.Explanation;
import io.netanomaly.core.explain.FeatureContribution;
import io.netanomaly.core.explain.ThreatAssessment;
import java.util.List;
import java.util.Map;

/** Alerts as the detection pipeline makes them, for the analyst's tests. */
final class TestAlerts {
  private TestAlerts() {}

  static final ThreatAssessment PORT_SCAN_THREAT = new ThreatAssessment(ThreatAssessment.Level.MEDIUM,
      "Port scan (reconnaissance)", "An attacker is mapping open services.",
      "Identify the source; block it at the perimeter.", "T1046", "Network Service Discovery");

  /** A port-scan alert from {@code srcIp} whose top feature is {@code distinctPorts} distinct destination ports. */
  static Alert portScan(long id, String srcIp, double distinctPorts) {
    Explanation e = new Explanation(0.712, 0.52, "port_scan", List.of(
        new FeatureContribution("win_distinct_dst_ports", distinctPorts, 1, 11, 0.61),
        new FeatureContribution("bytes_sent", 60, 200, 90_000, 0.24),
        new FeatureContribution("duration", 0.02, 0.05, 120, 0.15)), PORT_SCAN_THREAT);
    return new Alert(id, 1_735_689_600_000L, 1_735_689_600_000L, srcIp, "10.0.0.9", 51_234, 22, "TCP", 60, 0.02,
        "iforest", e, Map.of("src_ip", srcIp), null);
  }
}
