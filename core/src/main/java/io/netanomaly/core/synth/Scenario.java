package io.netanomaly.core.synth;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A labelled attack or misuse pattern the {@link TrafficSimulator} can inject, with the signature it
 * leaves in flow data. Every anomalous flow carries {@code is_anomaly = 1} and {@link #label()} as
 * {@code anomaly_type}.
 *
 * <p>Bursty scenarios (port scan, SYN flood, brute force, DNS tunnelling, beaconing) arrive as
 * <em>episodes</em>: a run of flows from one source spread over a short stretch of event time and
 * interleaved in timestamp order with normal traffic. The others arrive as one to a few flows.
 * Immutable and thread-safe.
 */
public enum Scenario {
  /**
   * One source (a compromised internal host or an external address) probes 20–100 distinct
   * destination ports of one target within seconds, in top-ports, sequential or random order,
   * usually from one fixed source port. Each probe is one tiny flow: a 44-byte SYN with no answer
   * (flags {@code "S"}, filtered), a 40-byte reset in reply ({@code "SR"}, closed) or, rarely, a
   * SYN-ACK the scanner resets ({@code "SAR"}, open); duration zero or one round trip.
   */
  PORT_SCAN,
  /**
   * One to three sources send 40–160 half-open connections to one port (80, 443 or 25) of one
   * internal server within about a second: flags {@code "S"}, one 40–60 byte packet, random source
   * ports, no reply bytes, duration zero.
   */
  SYN_FLOOD,
  /**
   * An internal client uploads 20 MB to 2 GB (log-uniform) to an external address not among the
   * usual servers, mostly over 443 (also 22, 21, 8080), in one to three flows. {@code bytes_sent}
   * dwarfs {@code bytes_received} (only acknowledgements come back); duration follows from a
   * 0.3–50 MB/s throughput, so seconds to hours.
   */
  DATA_EXFILTRATION,
  /**
   * One source opens 20–80 short connections to the SSH (22), RDP (3389) or FTP (21) port of one
   * server, one every second or so, each with nearly the same byte counts (a failed login
   * exchange) and flags {@code "SAPF"} or {@code "SAPRF"}.
   */
  BRUTE_FORCE,
  /**
   * An internal client sends 20–100 UDP/53 queries within a minute or so to a public or
   * attacker-run resolver, each with a long encoded name (190–300 byte query) and a large TXT
   * answer, so the mean packet size is 200–450 bytes against 60–130 for ordinary DNS.
   */
  DNS_TUNNELING,
  /**
   * An internal host calls one external address at a fixed 30–60 s interval with at most 10%
   * jitter, 20–80 times, on 443, 8443, 8080, 80 or 4444; every call is a short TCP session with
   * nearly identical small byte counts (an occasional bigger answer carries a task).
   */
  BEACONING,
  /**
   * One to five connections to or from a port associated with backdoors, IRC botnets or remote
   * shells (4444, 31337, 6667, 1337, 12345, 5555, ...); some are refused ({@code "S"},
   * {@code "SR"}), the rest are interactive sessions.
   */
  SUSPICIOUS_PORT,
  /**
   * One to six flows whose mean packet size exceeds the 1500-byte Ethernet MTU: oversized ICMP
   * echoes of 8,000–65,500 bytes per packet, or UDP jumbo frames of 8,900–9,216 bytes.
   */
  LARGE_PACKET,
  /**
   * One TCP connection lasting 2 to 24 hours (log-uniform) carrying only 20 KB–20 MB, to an
   * external service (443, 22, 3389, 1194, 8080) or an internal server (22, 3389, 445).
   */
  LONG_DURATION,
  /**
   * One to five flows of an IP protocol other than TCP, UDP and ICMP: {@code "GRE"}, {@code "ESP"},
   * {@code "AH"}, {@code "SCTP"} or an unassigned or experimental protocol number such as
   * {@code "253"}; no TCP flags, ports zero except for SCTP.
   */
  UNKNOWN_PROTOCOL;

  private final String label;

  Scenario() {
    this.label = name().toLowerCase(Locale.ROOT);
  }

  /** The lower snake case name written in {@code anomaly_type}, such as {@code "port_scan"}. */
  public String label() {
    return label;
  }

  /**
   * The scenario named {@code s}: its {@link #label()} or enum name, case-insensitive, surrounding
   * blanks ignored; hyphens are read as underscores.
   *
   * @throws IllegalArgumentException naming the valid labels when {@code s} names no scenario
   */
  public static Scenario parse(String s) {
    if (s != null) {
      String key = s.trim().replace('-', '_').toLowerCase(Locale.ROOT);
      for (Scenario scenario : values()) {
        if (scenario.label.equals(key)) {
          return scenario;
        }
      }
    }
    throw new IllegalArgumentException("unknown scenario '" + s + "'; valid scenarios: "
        + Arrays.stream(values()).map(Scenario::label).collect(Collectors.joining(", ")));
  }
}
