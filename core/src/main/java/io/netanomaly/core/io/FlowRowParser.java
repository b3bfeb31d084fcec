package io.netanomaly.core.io;

import io.netanomaly.core.schema.FlowSchema;
import io.netanomaly.core.schema.Row;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the values of one canonical flow record, arranged by input slot, into a {@link Row} of
 * {@link FlowSchema#SCHEMA}. Slots 0..12 are the canonical columns (same indexes as
 * {@code FlowSchema.I_*}); further slots are the convertible legacy columns and the labels.
 *
 * <p>Legacy columns: {@code bytes} (a total) goes to {@code bytes_sent} when neither
 * {@code bytes_sent} nor {@code bytes_received} has a value, leaving {@code bytes_received}
 * missing; {@code packets} likewise for packet counts; {@code duration_ms} becomes
 * {@code duration} in seconds when {@code duration} has no value. {@code unique_dest_ips},
 * {@code total_bytes} and {@code packet_rate} are accepted and ignored.
 *
 * <p>Addresses must be IPv4 dotted quads or IPv6 text (no host names; nothing is resolved).
 * {@code flags} keeps its text as given: "" for an empty field (no flags, as for UDP), null when
 * the column is absent. Labels: {@code is_anomaly} 0/1/true/false; without it, a non-empty
 * {@code anomaly_type} implies 1 unless it says normal; normal rows get type "normal".
 * Stateless apart from the source name; thread-safe.
 */
final class FlowRowParser {
  static final int SLOT_BYTES = 13;
  static final int SLOT_PACKETS = 14;
  static final int SLOT_DURATION_MS = 15;
  static final int SLOT_LABEL = 16;
  static final int SLOT_TYPE = 17;
  static final int SLOTS = 18;
  /** Accepted column that carries nothing we keep. */
  static final int IGNORED = -1;
  /** Column that is not part of the flow format. */
  static final int UNKNOWN = -2;

  static final int[] REQUIRED = {
    FlowSchema.I_TIMESTAMP, FlowSchema.I_SRC_IP, FlowSchema.I_DST_IP, FlowSchema.I_DST_PORT,
    FlowSchema.I_PROTOCOL
  };

  private static final String[] SLOT_NAMES = new String[SLOTS];
  private static final Map<String, Integer> SLOT_BY_NAME = new HashMap<>();

  static {
    for (int i = 0; i < FlowSchema.SCHEMA.size(); i++) {
      SLOT_NAMES[i] = FlowSchema.SCHEMA.field(i).name();
    }
    SLOT_NAMES[SLOT_BYTES] = "bytes";
    SLOT_NAMES[SLOT_PACKETS] = "packets";
    SLOT_NAMES[SLOT_DURATION_MS] = "duration_ms";
    SLOT_NAMES[SLOT_LABEL] = FlowSchema.IS_ANOMALY;
    SLOT_NAMES[SLOT_TYPE] = FlowSchema.ANOMALY_TYPE;
    for (int i = 0; i < SLOTS; i++) {
      SLOT_BY_NAME.put(SLOT_NAMES[i], i);
    }
    for (Map.Entry<String, String> alias : FlowSchema.ALIASES.entrySet()) {
      SLOT_BY_NAME.put(alias.getKey(), SLOT_BY_NAME.get(alias.getValue()));
    }
    for (String ignored : new String[] {"unique_dest_ips", "total_bytes", "packet_rate"}) {
      SLOT_BY_NAME.put(ignored, IGNORED);
    }
  }

  /** "timestamp, src_ip, ..." for error messages. */
  static final String EXPECTED_COLUMNS = String.join(", ", SLOT_NAMES)
      + " (aliases " + String.join(", ", new java.util.TreeSet<>(FlowSchema.ALIASES.keySet()))
      + "; ignored unique_dest_ips, total_bytes, packet_rate)";

  static final String UNKNOWN_COLUMN_HINT = "only canonical flow columns: " + EXPECTED_COLUMNS
      + "; for another table pass --format csv --label-column C";

  private final String source;

  FlowRowParser(String source) {
    this.source = source;
  }

  /** The slot of a column name (case-insensitive, trimmed), IGNORED or UNKNOWN. */
  static int slotOf(String name) {
    Integer slot = SLOT_BY_NAME.get(name.trim().toLowerCase(Locale.ROOT));
    return slot == null ? UNKNOWN : slot;
  }

  /** The canonical name of a slot. */
  static String slotName(int slot) {
    return SLOT_NAMES[slot];
  }

  /**
   * Parses one record. {@code values[slot]} is the raw text (null when the column is absent,
   * "" when empty); {@code columns[slot]} the 1-based column (0 unknown) and {@code names[slot]}
   * the name the input used, for error messages.
   */
  Row parse(String[] values, int[] columns, String[] names, long line) {
    int n = FlowSchema.SCHEMA.size();
    double[] num = new double[n];
    String[] txt = new String[n];
    Arrays.fill(num, Double.NaN);

    String ts = required(values, columns, names, line, FlowSchema.I_TIMESTAMP,
        "an ISO-8601 time or epoch seconds");
    long millis = ValueSyntax.parseTimestampMillis(ts);
    if (millis == ValueSyntax.NOT_A_TIME) {
      throw error(columns, names, line, FlowSchema.I_TIMESTAMP, ts,
          "an ISO-8601 time (2026-01-05T08:00:00Z) or epoch seconds");
    }
    num[FlowSchema.I_TIMESTAMP] = millis;
    txt[FlowSchema.I_TIMESTAMP] = ts;
    txt[FlowSchema.I_SRC_IP] = address(values, columns, names, line, FlowSchema.I_SRC_IP);
    txt[FlowSchema.I_DST_IP] = address(values, columns, names, line, FlowSchema.I_DST_IP);
    port(values, columns, names, line, FlowSchema.I_SRC_PORT, num, txt);
    required(values, columns, names, line, FlowSchema.I_DST_PORT, "an integer port 0..65535");
    port(values, columns, names, line, FlowSchema.I_DST_PORT, num, txt);
    txt[FlowSchema.I_PROTOCOL] = required(values, columns, names, line, FlowSchema.I_PROTOCOL,
        "a protocol name (tcp, udp, icmp)");
    String flags = values[FlowSchema.I_FLAGS];
    txt[FlowSchema.I_FLAGS] = flags;
    num[FlowSchema.I_PACKET_SIZE] = count(values, columns, names, line, FlowSchema.I_PACKET_SIZE);
    num[FlowSchema.I_DURATION] = count(values, columns, names, line, FlowSchema.I_DURATION);
    if (Double.isNaN(num[FlowSchema.I_DURATION])) {
      num[FlowSchema.I_DURATION] = count(values, columns, names, line, SLOT_DURATION_MS) / 1000d;
    }
    num[FlowSchema.I_BYTES_SENT] = count(values, columns, names, line, FlowSchema.I_BYTES_SENT);
    num[FlowSchema.I_BYTES_RECEIVED] =
        count(values, columns, names, line, FlowSchema.I_BYTES_RECEIVED);
    double bytes = count(values, columns, names, line, SLOT_BYTES);
    if (Double.isNaN(num[FlowSchema.I_BYTES_SENT])
        && Double.isNaN(num[FlowSchema.I_BYTES_RECEIVED])) {
      num[FlowSchema.I_BYTES_SENT] = bytes;
    }
    num[FlowSchema.I_PACKETS_SENT] = count(values, columns, names, line, FlowSchema.I_PACKETS_SENT);
    num[FlowSchema.I_PACKETS_RECEIVED] =
        count(values, columns, names, line, FlowSchema.I_PACKETS_RECEIVED);
    double packets = count(values, columns, names, line, SLOT_PACKETS);
    if (Double.isNaN(num[FlowSchema.I_PACKETS_SENT])
        && Double.isNaN(num[FlowSchema.I_PACKETS_RECEIVED])) {
      num[FlowSchema.I_PACKETS_SENT] = packets;
    }

    String type = values[SLOT_TYPE];
    if (type != null && type.isEmpty()) {
      type = null;
    }
    String labelText = values[SLOT_LABEL];
    int label;
    if (labelText != null) {
      label = Labels.binary(labelText);
      if (label < 0) {
        throw error(columns, names, line, SLOT_LABEL, labelText, "0/1 or true/false");
      }
    } else if (type != null) {
      label = Labels.isNormalName(type) ? 0 : 1;
    } else {
      label = Row.UNLABELLED;
    }
    if (label == 0) {
      type = "normal";
    }
    return new Row(num, txt, label, type, line);
  }

  private String required(String[] values, int[] columns, String[] names, long line, int slot,
      String expected) {
    String v = values[slot];
    if (v == null || v.isEmpty()) {
      throw error(columns, names, line, slot, v, expected);
    }
    return v;
  }

  private String address(String[] values, int[] columns, String[] names, long line, int slot) {
    String v = required(values, columns, names, line, slot, "an IPv4 or IPv6 address");
    if (!ValueSyntax.isAddress(v)) {
      throw error(columns, names, line, slot, v, "an IPv4 or IPv6 address");
    }
    return v;
  }

  private void port(String[] values, int[] columns, String[] names, long line, int slot,
      double[] num, String[] txt) {
    String v = values[slot];
    if (v == null || v.isEmpty()) {
      return;
    }
    int port = ValueSyntax.parsePort(v);
    if (port < 0) {
      throw error(columns, names, line, slot, v, "an integer port 0..65535");
    }
    num[slot] = port;
    txt[slot] = v;
  }

  private double count(String[] values, int[] columns, String[] names, long line, int slot) {
    String v = values[slot];
    if (v == null || v.isEmpty()) {
      return Double.NaN;
    }
    double d = ValueSyntax.parseNumber(v);
    if (!(d >= 0)) {
      throw error(columns, names, line, slot, v, "a non-negative number");
    }
    return d;
  }

  private InputException error(int[] columns, String[] names, long line, int slot, String value,
      String expected) {
    String name = names[slot] != null ? names[slot] : SLOT_NAMES[slot];
    return new InputException(source, line, columns[slot], name, value, expected);
  }
}
