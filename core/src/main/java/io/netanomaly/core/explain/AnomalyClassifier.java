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
 * in the window (over 10 connections, at least 3 per distinct destination host). Tables that are
 * not flows (no protocol or port columns) always get "behavioural".
 *
 * <p>Deterministic and offline. Immutable and thread-safe.
 */
public final class AnomalyClassifier {
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
  private final int fConnections;
  private final int fDistinctPorts;
  private final int fDistinctHosts;
  private final int fDstFreq;
  private final int fTotalBytes;

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
    this.fConnections = n.indexOf("win_connections");
    this.fDistinctPorts = n.indexOf("win_distinct_dst_ports");
    this.fDistinctHosts = n.indexOf("win_distinct_dst_ips");
    this.fDstFreq = n.indexOf("dst_freq");
    this.fTotalBytes = n.indexOf("win_total_bytes");
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
    // source repeating itself against few hosts. Asking for more connections than the training
    // 99th percentile made both types unreachable: busy normal clients reach ~70 a minute, as
    // many as a whole attack episode, but spread over dozens of hosts.
    double connections = value(raw, offset, fConnections);
    boolean repeated = connections > 10 && connections >= 3 * value(raw, offset, fDistinctHosts);
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
    if (fDstFreq >= 0 && value(raw, offset, fDstFreq) <= unseenFrequency() && "tcp".equals(p)
        && value(raw, offset, fTotalBytes) < 100_000) {
      return AnomalyType.BEACONING.label();
    }
    return AnomalyType.BEHAVIOURAL.label();
  }

  private double unseenFrequency() {
    // Rarer than 99% of training flows' destinations; a never-seen destination is below them all.
    return pipeline.normalLow(fDstFreq);
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
