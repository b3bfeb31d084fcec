package io.netanomaly.core.explain;

import java.util.Locale;

/** The kinds of anomaly an alert can be classified as; {@link #label()} is the name written in outputs. */
public enum AnomalyType {
  PORT_SCAN, SYN_FLOOD, DATA_EXFILTRATION, BRUTE_FORCE, DNS_TUNNELING, BEACONING, SUSPICIOUS_PORT,
  LARGE_PACKET, LONG_DURATION, UNKNOWN_PROTOCOL,
  /** Unusual as a whole, with no single signature. */
  BEHAVIOURAL;

  /** Lower snake case, e.g. "port_scan". */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
