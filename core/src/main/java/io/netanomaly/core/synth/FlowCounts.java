package io.netanomaly.core.synth;

import io.netanomaly.core.schema.FlowRecord;
import java.util.SplittableRandom;

/**
 * Scratch space that turns the bytes a flow carries each way into consistent byte and packet
 * totals, then into a {@link FlowRecord}. TCP data goes in segments of at most 1448 payload bytes
 * (a 1500-byte frame), control packets and pure acknowledgements are 52 bytes, and the receiver
 * of a data stream acknowledges every second segment. One instance per generator, reused for
 * every flow so that the hot path allocates only the record. Mutable, not thread-safe.
 */
final class FlowCounts {
  /** TCP/IP header bytes of a control packet or pure ACK (with timestamps option). */
  static final int TCP_CONTROL_BYTES = 52;
  /** IP plus UDP header bytes. */
  static final int UDP_HEADER_BYTES = 28;
  private static final int MAX_SEGMENT = 1448;

  long bytesSent;
  long bytesReceived;
  long packetsSent;
  long packetsReceived;

  /**
   * A TCP connection moving {@code dataSent} and {@code dataReceived} bytes (headers of data
   * segments included) with {@code controlSent} and {@code controlReceived} handshake, FIN and RST
   * packets.
   */
  FlowCounts tcp(SplittableRandom rng, double dataSent, double dataReceived, int controlSent,
      int controlReceived) {
    long dataBytesSent = Math.round(Math.max(0, dataSent));
    long dataBytesReceived = Math.round(Math.max(0, dataReceived));
    long segmentsSent = segments(rng, dataBytesSent);
    long segmentsReceived = segments(rng, dataBytesReceived);
    dataBytesSent = Math.max(dataBytesSent, 40 * segmentsSent);
    dataBytesReceived = Math.max(dataBytesReceived, 40 * segmentsReceived);
    long acksSent = Math.max(0, (segmentsReceived + 1) / 2 - segmentsSent);
    long acksReceived = Math.max(0, (segmentsSent + 1) / 2 - segmentsReceived);
    packetsSent = segmentsSent + controlSent + acksSent;
    packetsReceived = segmentsReceived + controlReceived + acksReceived;
    bytesSent = dataBytesSent + TCP_CONTROL_BYTES * (controlSent + acksSent);
    bytesReceived = dataBytesReceived + TCP_CONTROL_BYTES * (controlReceived + acksReceived);
    return this;
  }

  private static long segments(SplittableRandom rng, long bytes) {
    if (bytes == 0) {
      return 0;
    }
    // bulk transfers fill segments, interactive exchanges do not
    double fill = bytes > 20_000 ? Distributions.uniform(rng, 1200, MAX_SEGMENT)
        : Distributions.uniform(rng, 300, 1100);
    return Math.max((bytes + MAX_SEGMENT - 1) / MAX_SEGMENT, (long) Math.ceil(bytes / fill));
  }

  /**
   * A UDP exchange: {@code sent} and {@code received} bytes (IP and UDP headers included) in
   * datagrams of about {@code datagram} bytes, never above 1500.
   */
  FlowCounts udp(double sent, double received, double datagram) {
    double size = Math.min(1500, datagram);
    bytesSent = Math.round(Math.max(0, sent));
    bytesReceived = Math.round(Math.max(0, received));
    packetsSent = bytesSent == 0 ? 0 : Math.max(1, (long) Math.ceil(bytesSent / size));
    packetsReceived = bytesReceived == 0 ? 0 : Math.max(1, (long) Math.ceil(bytesReceived / size));
    bytesSent = Math.max(bytesSent, UDP_HEADER_BYTES * packetsSent);
    bytesReceived = Math.max(bytesReceived, UDP_HEADER_BYTES * packetsReceived);
    return this;
  }

  /** Totals set directly, for flows whose packets the caller counts itself. */
  FlowCounts exact(long bytesSent, long bytesReceived, long packetsSent, long packetsReceived) {
    this.bytesSent = bytesSent;
    this.bytesReceived = bytesReceived;
    this.packetsSent = packetsSent;
    this.packetsReceived = packetsReceived;
    return this;
  }

  /** The flow with these totals; {@code packet_size} is bytes over packets in both directions. */
  FlowRecord record(double millis, String src, String dst, int srcPort, int dstPort, String protocol,
      double durationSeconds, String flags, int label, String anomalyType) {
    long packets = packetsSent + packetsReceived;
    double packetSize = packets == 0 ? 0.0 : (double) (bytesSent + bytesReceived) / packets;
    return new FlowRecord((long) Math.floor(millis), src, dst, srcPort, dstPort, protocol, packetSize,
        Distributions.seconds(Math.max(0, durationSeconds)), flags, bytesSent, bytesReceived,
        packetsSent, packetsReceived, label, anomalyType);
  }
}
