package io.netanomaly.core.explain;

import io.netanomaly.core.explain.ThreatAssessment.Level;
import java.util.EnumMap;
import java.util.Map;

/**
 * The fixed threat assessment of each {@link AnomalyType}, with its MITRE ATT&amp;CK (Enterprise)
 * technique. The level is raised one step when the score is far above the threshold (more than
 * {@link #ESCALATION_MARGIN} above it). Immutable and thread-safe.
 */
public final class ThreatCatalog {
  /** Score margin above the threshold that raises the level one step. */
  public static final double ESCALATION_MARGIN = 0.1;

  private static final Map<AnomalyType, ThreatAssessment> TABLE = new EnumMap<>(AnomalyType.class);

  static {
    put(AnomalyType.PORT_SCAN, Level.MEDIUM, "Port scan (reconnaissance)",
        "An attacker is mapping open services; often the first step of an intrusion.",
        "Identify the source; block it at the perimeter if external, investigate the host if internal.",
        "T1046", "Network Service Discovery");
    put(AnomalyType.SYN_FLOOD, Level.HIGH, "SYN flood (denial of service)",
        "Half-open connections exhaust the server's connection table; the service may become unavailable.",
        "Enable SYN cookies, rate-limit the sources upstream, contact the ISP for volumetric attacks.",
        "T1498.001", "Network Denial of Service: Direct Network Flood");
    put(AnomalyType.DATA_EXFILTRATION, Level.CRITICAL, "Data exfiltration",
        "Large volumes of data leave the network towards an unfamiliar destination.",
        "Isolate the source host, block the destination, find which data was sent and from which account.",
        "T1048", "Exfiltration Over Alternative Protocol");
    put(AnomalyType.BRUTE_FORCE, Level.HIGH, "Brute-force login",
        "Repeated login attempts against one service; a success gives the attacker an account.",
        "Block the source, check the target's authentication logs for a success, enforce lockout and MFA.",
        "T1110", "Brute Force");
    put(AnomalyType.DNS_TUNNELING, Level.HIGH, "DNS tunnelling",
        "Data or commands hidden in DNS queries bypass egress controls.",
        "Inspect the queried domains, block the resolver or domain, investigate the source host.",
        "T1071.004", "Application Layer Protocol: DNS");
    put(AnomalyType.BEACONING, Level.HIGH, "Command-and-control beaconing",
        "A host calls one external address on a timer, as malware does to fetch commands.",
        "Look up the destination's reputation, isolate the host, search other hosts for the same destination.",
        "T1071", "Application Layer Protocol");
    put(AnomalyType.SUSPICIOUS_PORT, Level.MEDIUM, "Connection on a backdoor port",
        "Ports used by remote shells, IRC botnets and backdoors carry traffic.",
        "Find the process owning the port on the host, block the port, scan the host for malware.",
        "T1571", "Non-Standard Port");
    put(AnomalyType.LARGE_PACKET, Level.MEDIUM, "Oversized packets",
        "Packets above the MTU can carry covert data, fragmentation attacks or ping-of-death attempts.",
        "Check for fragmentation attacks and covert channels; drop oversized ICMP at the edge.",
        "T1095", "Non-Application Layer Protocol");
    put(AnomalyType.LONG_DURATION, Level.LOW, "Unusually long connection",
        "A session open for hours may be a reverse shell, tunnel or forgotten remote access.",
        "Check who owns the session and whether it is expected; close it if not.",
        "T1572", "Protocol Tunneling");
    put(AnomalyType.UNKNOWN_PROTOCOL, Level.MEDIUM, "Unusual IP protocol",
        "Protocols other than TCP, UDP and ICMP can tunnel traffic past filters.",
        "Verify whether a VPN or tunnel is sanctioned; block unknown protocols at the firewall.",
        "T1095", "Non-Application Layer Protocol");
    put(AnomalyType.BEHAVIOURAL, Level.LOW, "Behavioural anomaly",
        "The flow is unusual as a whole for this network, without matching a known signature.",
        "Review the features outside their normal range and the host's recent activity.",
        "T1071", "Application Layer Protocol");
  }

  private ThreatCatalog() {}

  private static void put(AnomalyType t, Level level, String attack, String impact, String action, String id,
      String name) {
    TABLE.put(t, new ThreatAssessment(level, attack, impact, action, id, name));
  }

  /** The assessment for an anomaly type label ("port_scan"); unknown labels count as behavioural. */
  public static ThreatAssessment assess(String typeLabel, double score, double threshold) {
    AnomalyType type = AnomalyType.BEHAVIOURAL;
    for (AnomalyType t : AnomalyType.values()) {
      if (t.label().equals(typeLabel)) {
        type = t;
      }
    }
    ThreatAssessment base = TABLE.get(type);
    if (score - threshold <= ESCALATION_MARGIN || base.level() == Level.CRITICAL) {
      return base;
    }
    Level raised = Level.values()[base.level().ordinal() + 1];
    return new ThreatAssessment(raised, base.attackType(), base.impact(), base.recommendedAction(),
        base.mitreTechniqueId(), base.mitreTechniqueName());
  }
}
