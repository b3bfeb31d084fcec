package io.netanomaly.core.schema;

import java.util.Objects;

/**
 * One network flow in the canonical schema (see {@link FlowSchema} for units). Immutable.
 */
public final class FlowRecord {
  private final long timestampMillis;
  private final String srcIp;
  private final String dstIp;
  private final int srcPort;
  private final int dstPort;
  private final String protocol;
  private final double packetSize;
  private final double duration;
  private final String flags;
  private final long bytesSent;
  private final long bytesReceived;
  private final long packetsSent;
  private final long packetsReceived;
  private final int label;
  private final String anomalyType;

  /**
   * @param label 1 anomalous, 0 normal, {@link Row#UNLABELLED}
   * @param anomalyType scenario name for anomalies, "normal" for normal flows, null if unlabelled
   */
  public FlowRecord(long timestampMillis, String srcIp, String dstIp, int srcPort, int dstPort,
      String protocol, double packetSize, double duration, String flags, long bytesSent,
      long bytesReceived, long packetsSent, long packetsReceived, int label, String anomalyType) {
    this.timestampMillis = timestampMillis;
    this.srcIp = Objects.requireNonNull(srcIp, "srcIp");
    this.dstIp = Objects.requireNonNull(dstIp, "dstIp");
    this.srcPort = srcPort;
    this.dstPort = dstPort;
    this.protocol = Objects.requireNonNull(protocol, "protocol");
    this.packetSize = packetSize;
    this.duration = duration;
    this.flags = flags == null ? "" : flags;
    this.bytesSent = bytesSent;
    this.bytesReceived = bytesReceived;
    this.packetsSent = packetsSent;
    this.packetsReceived = packetsReceived;
    this.label = label;
    this.anomalyType = anomalyType;
  }

  public long timestampMillis() { return timestampMillis; }
  public String srcIp() { return srcIp; }
  public String dstIp() { return dstIp; }
  public int srcPort() { return srcPort; }
  public int dstPort() { return dstPort; }
  public String protocol() { return protocol; }
  /** Mean bytes per packet. */
  public double packetSize() { return packetSize; }
  /** Seconds. */
  public double duration() { return duration; }
  public String flags() { return flags; }
  public long bytesSent() { return bytesSent; }
  public long bytesReceived() { return bytesReceived; }
  public long packetsSent() { return packetsSent; }
  public long packetsReceived() { return packetsReceived; }
  public int label() { return label; }
  public String anomalyType() { return anomalyType; }

  /** This record as a row of {@link FlowSchema#SCHEMA}. */
  public Row toRow() {
    int n = FlowSchema.SCHEMA.size();
    double[] num = new double[n];
    String[] txt = new String[n];
    java.util.Arrays.fill(num, Double.NaN);
    num[FlowSchema.I_TIMESTAMP] = timestampMillis;
    txt[FlowSchema.I_SRC_IP] = srcIp;
    txt[FlowSchema.I_DST_IP] = dstIp;
    num[FlowSchema.I_SRC_PORT] = srcPort;
    txt[FlowSchema.I_SRC_PORT] = Integer.toString(srcPort);
    num[FlowSchema.I_DST_PORT] = dstPort;
    txt[FlowSchema.I_DST_PORT] = Integer.toString(dstPort);
    txt[FlowSchema.I_PROTOCOL] = protocol;
    num[FlowSchema.I_PACKET_SIZE] = packetSize;
    num[FlowSchema.I_DURATION] = duration;
    txt[FlowSchema.I_FLAGS] = flags;
    num[FlowSchema.I_BYTES_SENT] = bytesSent;
    num[FlowSchema.I_BYTES_RECEIVED] = bytesReceived;
    num[FlowSchema.I_PACKETS_SENT] = packetsSent;
    num[FlowSchema.I_PACKETS_RECEIVED] = packetsReceived;
    return new Row(num, txt, label, anomalyType, 0);
  }

  @Override
  public String toString() {
    return "FlowRecord[" + timestampMillis + " " + srcIp + ":" + srcPort + " -> " + dstIp + ":" + dstPort
        + " " + protocol + " " + flags + " sent=" + bytesSent + "B/" + packetsSent + "p recv="
        + bytesReceived + "B/" + packetsReceived + "p dur=" + duration + "s size=" + packetSize
        + " label=" + label + " type=" + anomalyType + "]";
  }
}
