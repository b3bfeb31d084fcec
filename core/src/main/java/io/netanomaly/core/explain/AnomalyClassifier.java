package io.netanomaly.core.explain;

import io.netanomaly.core.features.FeaturePipeline;
import io.netanomaly.core.schema.FieldType;
import io.netanomaly.core.schema.Row;
import io.netanomaly.core.schema.Schema;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Names the kind of an anomalous flow from its fields and window features, by fixed rules checked
 * in order (the first that matches wins): unknown protocol, large packet, port scan, SYN flood,
 * brute force, DNS tunnelling, data exfiltration, long duration, suspicious port, beaconing, and
 * otherwise "behavioural" (unusual as a whole, no single signature). Thresholds are either fixed
 * protocol facts (Ethernet MTU 1500 bytes, DNS queries rarely above 150 bytes per packet) or the
 * training 99th percentile of the feature; SYN flood and brute force need a source repeating itself
 * in the window (at least {@link #REPEATS} connections to the same host and port), beaconing calls
 * to one destination at intervals that vary by less than {@link #BEACON_CV} of their mean. Tables
 * that are not flows (no protocol or port columns) always get "behavioural".
 *
 * <p>Deterministic and offline. Immutable and thread-safe.
 */
public final class AnomalyClassifier {
  /** Connections to the same host and port within the window that make a source "repeating". */
  static final int REPEATS = 10;
  /** Interval variation (standard deviation / mean) below which calls to one destination are timed. */
  static final double BEACON_CV = 0.15;
  /** Ports of services that take passwords (SSH, Telnet, FTP, RDP, VNC, SMB, mail, databases). */
  static final Set<Integer> AUTH_PORTS = Set.of(21, 22, 23, 110, 143, 445, 1433, 3306, 3389, 5432, 5900);
  /** Ports associated with backdoors, IRC botnets and remote shells. */
  static final Set<Integer> SUSPICIOUS_PORTS = Set.of(1337, 4444, 5555, 6666, 6667, 6668, 6669, 12345, 27374,
      31337, 54321, 65535);
  private static final Set<String> KNOWN_PROTOCOLS = Set.of("tcp", "udp", "icmp", "icmpv6", "ipv6-icmp", "icmp6");

  private final FeaturePipeline pipeline;
  private final int protocolColumn;
  private final int dstPortColumn;
  private final int flagsColumn;
  private final int fPacketSize;
  private final int fDuration;
  private final int fBytesSent;
  private final int fRatio;
  private final int fDistinctPorts;
  private final int fSameDstPort;
  private final int fIntervalCv;

  public AnomalyClassifier(FeaturePipeline pipeline) {
    this.pipeline = pipeline;
    Schema s = pipeline.schema();
    this.protocolColumn = column(s, FieldType.CATEGORICAL, "protocol", "proto", "protocol_type");
    this.dstPortColumn = column(s, FieldType.PORT, "dst_port", "dsport", "destination_port", "id.resp_p");
    this.flagsColumn = column(s, FieldType.CATEGORICAL, "flags", "history");
    List<String> n = pipeline.featureNames();
    this.fPacketSize = n.indexOf("packet_size") >= 0 ? n.indexOf("packet_size") : n.indexOf("bytes_per_packet");
    this.fDuration = n.indexOf("duration");
    this.fBytesSent = n.indexOf("bytes_sent");
    this.fRatio = n.indexOf("log_sent_received_ratio");
    this.fDistinctPorts = n.indexOf("win_distinct_dst_ports");
    this.fSameDstPort = n.indexOf("win_same_dst_port");
    this.fIntervalCv = n.indexOf("dst_interval_cv");
  }

  private static int column(Schema s, FieldType type, String... names) {
    for (String name : names) {
      int i = s.indexOf(name);
      if (i >= 0 && s.field(i).type() == type) {
        return i;
      }
    }
    return -1;
  }

  /** Whether the model's rows are flows, so that the signature rules apply. */
  public boolean appliesToFlows() {
    return protocolColumn >= 0 && dstPortColumn >= 0;
  }

  /**
   * The anomaly type of {@code row}, given its raw feature values at {@code raw[offset ..]}
   * (as filled by a scoring session).
   */
  public String classify(Row row, double[] raw, int offset) {
    if (!appliesToFlows()) {
      return AnomalyType.BEHAVIOURAL.label();
    }
    String proto = row.text(protocolColumn);
    String p = proto == null ? "" : proto.toLowerCase(Locale.ROOT);
    double port = row.number(dstPortColumn);
    int dstPort = Double.isNaN(port) ? -1 : (int) port;
    String flags = flagsColumn >= 0 && row.text(flagsColumn) != null ? row.text(flagsColumn) : "";
    if (!p.isEmpty() && !KNOWN_PROTOCOLS.contains(p)) {
      return AnomalyType.UNKNOWN_PROTOCOL.label();
    }
    double size = value(raw, offset, fPacketSize);
    if (size > 1500) {
      return AnomalyType.LARGE_PACKET.label();
    }
    if (above(raw, offset, fDistinctPorts, 10)) {
      return AnomalyType.PORT_SCAN.label();
    }
    // The half-open flow and the login port are the signatures; the window only has to show the
    // source hammering one service. Total connections are no guide: busy normal clients make ~70 a
    // minute, as many as a whole attack episode, but spread over dozens of hosts.
    boolean repeated = value(raw, offset, fSameDstPort) >= REPEATS;
    if (flags.equals("S") && repeated) {
      return AnomalyType.SYN_FLOOD.label();
    }
    if (AUTH_PORTS.contains(dstPort) && repeated) {
      return AnomalyType.BRUTE_FORCE.label();
    }
    if (dstPort == 53 && size > 150) {
      return AnomalyType.DNS_TUNNELING.label();
    }
    if (above(raw, offset, fBytesSent, 1_000_000) && value(raw, offset, fRatio) > 1) {
      return AnomalyType.DATA_EXFILTRATION.label();
    }
    if (above(raw, offset, fDuration, 3_600)) {
      return AnomalyType.LONG_DURATION.label();
    }
    if (SUSPICIOUS_PORTS.contains(dstPort)) {
      return AnomalyType.SUSPICIOUS_PORT.label();
    }
    if (value(raw, offset, fIntervalCv) < BEACON_CV) {
      return AnomalyType.BEACONING.label();
    }
    return AnomalyType.BEHAVIOURAL.label();
  }

  private static double value(double[] raw, int offset, int feature) {
    return feature < 0 ? Double.NaN : raw[offset + feature];
  }

  /** Raw value above both the training 99th percentile and a floor. */
  private boolean above(double[] raw, int offset, int feature, double floor) {
    if (feature < 0) {
      return false;
    }
    double v = raw[offset + feature];
    return v > floor && v > pipeline.normalHigh(feature);
  }
}
