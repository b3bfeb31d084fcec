package io.netanomaly.core.schema;

import java.util.List;
import java.util.Map;

/**
 * The canonical flow record schema (DESIGN.md) and the older column names that map onto it.
 *
 * <p>Units: {@code timestamp} epoch milliseconds in a row (files carry ISO-8601 or epoch seconds),
 * {@code duration} seconds, {@code packet_size} mean bytes per packet, byte and packet counts as
 * totals per direction. {@code flags} is the union of TCP flags seen, letters from "SAPRFU" in that
 * order ("SA", "SAPF"); empty for UDP/ICMP.
 */
public final class FlowSchema {
  private FlowSchema() {}

  public static final String TIMESTAMP = "timestamp";
  public static final String SRC_IP = "src_ip";
  public static final String DST_IP = "dst_ip";
  public static final String SRC_PORT = "src_port";
  public static final String DST_PORT = "dst_port";
  public static final String PROTOCOL = "protocol";
  public static final String PACKET_SIZE = "packet_size";
  public static final String DURATION = "duration";
  public static final String FLAGS = "flags";
  public static final String BYTES_SENT = "bytes_sent";
  public static final String BYTES_RECEIVED = "bytes_received";
  public static final String PACKETS_SENT = "packets_sent";
  public static final String PACKETS_RECEIVED = "packets_received";
  public static final String IS_ANOMALY = "is_anomaly";
  public static final String ANOMALY_TYPE = "anomaly_type";

  /** Column indexes in {@link #SCHEMA}. */
  public static final int I_TIMESTAMP = 0, I_SRC_IP = 1, I_DST_IP = 2, I_SRC_PORT = 3, I_DST_PORT = 4,
      I_PROTOCOL = 5, I_PACKET_SIZE = 6, I_DURATION = 7, I_FLAGS = 8, I_BYTES_SENT = 9,
      I_BYTES_RECEIVED = 10, I_PACKETS_SENT = 11, I_PACKETS_RECEIVED = 12;

  /** The canonical flow schema, label {@code is_anomaly}, type {@code anomaly_type}. */
  public static final Schema SCHEMA = new Schema("flow", List.of(
      new Field(TIMESTAMP, FieldType.TIMESTAMP),
      new Field(SRC_IP, FieldType.ADDRESS),
      new Field(DST_IP, FieldType.ADDRESS),
      new Field(SRC_PORT, FieldType.PORT),
      new Field(DST_PORT, FieldType.PORT),
      new Field(PROTOCOL, FieldType.CATEGORICAL),
      new Field(PACKET_SIZE, FieldType.NUMERIC),
      new Field(DURATION, FieldType.NUMERIC),
      new Field(FLAGS, FieldType.CATEGORICAL),
      new Field(BYTES_SENT, FieldType.NUMERIC),
      new Field(BYTES_RECEIVED, FieldType.NUMERIC),
      new Field(PACKETS_SENT, FieldType.NUMERIC),
      new Field(PACKETS_RECEIVED, FieldType.NUMERIC)),
      IS_ANOMALY, ANOMALY_TYPE);

  /**
   * Older field names (from the seed prototypes) and the canonical column each one maps to.
   * {@code bytes}, {@code packets} and {@code duration_ms} need conversion; the readers do it.
   * The window aggregates {@code unique_dest_ips}, {@code total_bytes}, {@code packet_rate} are
   * accepted and ignored: the feature pipeline derives them itself.
   */
  public static final Map<String, String> ALIASES = Map.of(
      "source_ip", SRC_IP,
      "destination_ip", DST_IP,
      "source_port", SRC_PORT,
      "destination_port", DST_PORT,
      "label", IS_ANOMALY);
}
