package io.netanomaly.stream.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netanomaly.core.io.FlowFieldParser;
import io.netanomaly.core.io.InputException;
import io.netanomaly.core.schema.FlowSchema;
import io.netanomaly.core.schema.Row;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Maps Zeek {@code conn.log} records onto the canonical flow schema, one line at a time. Reads both
 * forms Zeek writes: TSV with its header ({@code #separator} with {@code \xHH} escapes,
 * {@code #empty_field}, {@code #unset_field}, {@code #fields}; other {@code #} lines such as
 * {@code #types}, {@code #open} and btest's {@code ### BTest baseline} line are skipped) and JSON
 * lines (one object per line, keys as in {@code #fields}).
 *
 * <p>Mapping (a value that is unset, {@code -}, or empty, {@code (empty)}, is missing):
 * <ul>
 *   <li>{@code ts} (epoch seconds, or ISO-8601 in Zeek's JSON ISO mode) → {@code timestamp}. A
 *   {@code ts} that is unset or masked with {@code X}s (as btest baselines do) has no event time;
 *   the row then takes the time it was read (wall clock), so windows and lag still work.</li>
 *   <li>{@code id.orig_h}, {@code id.resp_h} → {@code src_ip}, {@code dst_ip};
 *   {@code id.orig_p}, {@code id.resp_p} → {@code src_port}, {@code dst_port} (for ICMP Zeek puts
 *   the ICMP type and code there; they are kept).</li>
 *   <li>{@code proto} upper-cased → {@code protocol}; {@code duration} → {@code duration}
 *   (seconds).</li>
 *   <li>{@code orig_bytes}, {@code resp_bytes} → {@code bytes_sent}, {@code bytes_received}
 *   (payload bytes); {@code orig_pkts}, {@code resp_pkts} → {@code packets_sent},
 *   {@code packets_received}.</li>
 *   <li>{@code packet_size} = ({@code orig_ip_bytes} + {@code resp_ip_bytes}) / ({@code orig_pkts}
 *   + {@code resp_pkts}) when those are known and there was a packet, else (bytes sent + received)
 *   / packets, else missing.</li>
 *   <li>{@code flags} from {@code history}, TCP only (UDP and ICMP have none, as in the canonical
 *   schema): a letter in either case means the originator (upper) or responder (lower) sent it;
 *   {@code S} → S, {@code H} (SYN-ACK) → S and A, {@code A} → A, {@code D} (payload) → P,
 *   {@code R} → R, {@code F} → F; written in "SAPRFU" order. Zeek has no letter for PSH or URG,
 *   so payload stands for PSH (as it does in the simulator's flows) and U never appears.</li>
 *   <li>Other fields ({@code uid}, {@code service}, {@code conn_state}, ...) are not used.</li>
 * </ul>
 * Values are then validated by core's {@link FlowFieldParser}, with its messages.
 *
 * <p>Not thread-safe: one per file; {@link #reset()} before reading a file again from the top.
 */
public final class ZeekConnParser {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final List<String> REQUIRED = List.of("id.orig_h", "id.resp_h", "id.resp_p", "proto");

  private final String source;
  private final LongSupplier clockMillis;
  private final FlowFieldParser flows;
  private final Map<String, String> zeek = new HashMap<>();
  private final Map<String, String> canonical = new LinkedHashMap<>();
  private String separator;
  private String emptyField;
  private String unsetField;
  private String[] fields;

  /**
   * @param source name for messages
   * @param clockMillis the wall clock, epoch ms, for records whose {@code ts} is unset or masked
   */
  public ZeekConnParser(String source, LongSupplier clockMillis) {
    this.source = Objects.requireNonNull(source, "source");
    this.clockMillis = Objects.requireNonNull(clockMillis, "clockMillis");
    this.flows = new FlowFieldParser(source);
    reset();
  }

  /** Forgets the header (Zeek's defaults again), for reading a file from the top. */
  public void reset() {
    separator = "\t";
    emptyField = "(empty)";
    unsetField = "-";
    fields = null;
  }

  /**
   * Parses one line.
   *
   * @param line the text without its line end
   * @param lineNumber 1-based line number, for the row and messages
   * @return the flow, or null for a header, comment or blank line
   * @throws InputException for a record that cannot be mapped (the caller counts it and goes on)
   */
  public Row parse(String line, long lineNumber) {
    if (line.isBlank()) {
      return null;
    }
    if (line.startsWith("#")) {
      header(line, lineNumber);
      return null;
    }
    zeek.clear();
    if (line.charAt(0) == '{') {
      readJson(line, lineNumber);
    } else {
      readTsv(line, lineNumber);
    }
    return toFlow(lineNumber);
  }

  private void header(String line, long lineNumber) {
    if (line.startsWith("#separator ")) {
      separator = unescape(line.substring("#separator ".length()).trim());
      if (separator.isEmpty()) {
        throw new InputException(source, lineNumber, 0, "#separator", line, "a separator such as \\x09");
      }
      return;
    }
    String[] parts = line.split(java.util.regex.Pattern.quote(separator), -1);
    switch (parts[0]) {
      case "#empty_field":
        emptyField = parts.length > 1 ? parts[1] : emptyField;
        break;
      case "#unset_field":
        unsetField = parts.length > 1 ? parts[1] : unsetField;
        break;
      case "#fields":
        String[] names = java.util.Arrays.copyOfRange(parts, 1, parts.length);
        List<String> given = List.of(names);
        for (String required : REQUIRED) {
          if (!given.contains(required)) {
            fields = null;
            throw new InputException(source, lineNumber, 0, "#fields", required,
                "a conn.log #fields header with id.orig_h, id.resp_h, id.resp_p and proto");
          }
        }
        fields = names;
        break;
      default:
        break; // #types, #path, #open, #close, #set_separator, comments
    }
  }

  private void readTsv(String line, long lineNumber) {
    if (fields == null) {
      throw new InputException(source, lineNumber, 0, null, line,
          "a #fields header before the first record (or JSON lines)");
    }
    String[] values = line.split(java.util.regex.Pattern.quote(separator), -1);
    if (values.length != fields.length) {
      throw new InputException(source, lineNumber, 0, null, values.length + " fields",
          fields.length + " fields as in #fields");
    }
    for (int i = 0; i < values.length; i++) {
      String v = values[i];
      zeek.put(fields[i], v.equals(unsetField) || v.equals(emptyField) ? null : v);
    }
  }

  private void readJson(String line, long lineNumber) {
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new InputException(source, lineNumber, 0, null, line, "a Zeek JSON object on each line");
    }
    if (node == null || !node.isObject()) {
      throw new InputException(source, lineNumber, 0, null, line, "a Zeek JSON object on each line");
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      JsonNode v = e.getValue();
      String text;
      if (v.isNull()) {
        text = null;
      } else if (v.isNumber()) {
        text = v.decimalValue().toPlainString();
      } else if (v.isValueNode()) {
        text = v.asText();
      } else {
        continue; // sets and vectors (tunnel_parents) are not used
      }
      zeek.put(e.getKey(), text);
    }
  }

  private Row toFlow(long lineNumber) {
    canonical.clear();
    String ts = zeek.get("ts");
    canonical.put(FlowSchema.TIMESTAMP, ts == null || isMasked(ts) ? readTime() : ts);
    canonical.put(FlowSchema.SRC_IP, zeek.get("id.orig_h"));
    canonical.put(FlowSchema.DST_IP, zeek.get("id.resp_h"));
    canonical.put(FlowSchema.SRC_PORT, zeek.get("id.orig_p"));
    canonical.put(FlowSchema.DST_PORT, zeek.get("id.resp_p"));
    String proto = zeek.get("proto");
    String protocol = proto == null ? null : proto.toUpperCase(Locale.ROOT);
    canonical.put(FlowSchema.PROTOCOL, protocol);
    canonical.put(FlowSchema.DURATION, zeek.get("duration"));
    canonical.put(FlowSchema.BYTES_SENT, zeek.get("orig_bytes"));
    canonical.put(FlowSchema.BYTES_RECEIVED, zeek.get("resp_bytes"));
    canonical.put(FlowSchema.PACKETS_SENT, zeek.get("orig_pkts"));
    canonical.put(FlowSchema.PACKETS_RECEIVED, zeek.get("resp_pkts"));
    canonical.put(FlowSchema.PACKET_SIZE, packetSize());
    canonical.put(FlowSchema.FLAGS, flagsFromHistory(zeek.get("history"), protocol));
    return flows.parse(canonical, lineNumber);
  }

  /** Mean bytes per packet as text, or null when it cannot be worked out. */
  private String packetSize() {
    double packets = sum(zeek.get("orig_pkts"), zeek.get("resp_pkts"));
    if (!(packets > 0)) {
      return null;
    }
    double ipBytes = sum(zeek.get("orig_ip_bytes"), zeek.get("resp_ip_bytes"));
    double bytes = Double.isNaN(ipBytes) ? sum(zeek.get("orig_bytes"), zeek.get("resp_bytes")) : ipBytes;
    return Double.isNaN(bytes) ? null : Double.toString(bytes / packets);
  }

  /** a + b when both are plain non-negative numbers, else NaN (the flow parser judges the parts). */
  private static double sum(String a, String b) {
    try {
      double x = a == null ? Double.NaN : Double.parseDouble(a);
      double y = b == null ? Double.NaN : Double.parseDouble(b);
      return x >= 0 && y >= 0 ? x + y : Double.NaN;
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /**
   * The canonical flags of a Zeek {@code history} (see the class comment): "" for a protocol other
   * than TCP or an empty history, null when the protocol is unknown.
   */
  public static String flagsFromHistory(String history, String protocol) {
    if (protocol == null) {
      return null;
    }
    if (!protocol.equals("TCP") || history == null) {
      return "";
    }
    boolean syn = false;
    boolean ack = false;
    boolean psh = false;
    boolean rst = false;
    boolean fin = false;
    for (int i = 0; i < history.length(); i++) {
      switch (Character.toUpperCase(history.charAt(i))) {
        case 'S': syn = true; break;
        case 'H': syn = true; ack = true; break;
        case 'A': ack = true; break;
        case 'D': psh = true; break;
        case 'R': rst = true; break;
        case 'F': fin = true; break;
        default: break;
      }
    }
    StringBuilder b = new StringBuilder(5);
    if (syn) b.append('S');
    if (ack) b.append('A');
    if (psh) b.append('P');
    if (rst) b.append('R');
    if (fin) b.append('F');
    return b.toString();
  }

  /** btest masks times as XXXXXXXXXX.XXXXXX. */
  private static boolean isMasked(String ts) {
    for (int i = 0; i < ts.length(); i++) {
      char c = ts.charAt(i);
      if (c != 'X' && c != '.') {
        return false;
      }
    }
    return true;
  }

  private String readTime() {
    long ms = clockMillis.getAsLong();
    return Math.floorDiv(ms, 1000L) + "." + String.format(Locale.ROOT, "%03d", Math.floorMod(ms, 1000L));
  }

  /** Decodes Zeek's {@code \xHH} escapes (the separator is written as {@code \x09}). */
  static String unescape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 3 < s.length() && s.charAt(i + 1) == 'x') {
        int hi = Character.digit(s.charAt(i + 2), 16);
        int lo = Character.digit(s.charAt(i + 3), 16);
        if (hi >= 0 && lo >= 0) {
          b.append((char) (hi * 16 + lo));
          i += 3;
          continue;
        }
      }
      b.append(c);
    }
    return b.toString();
  }
}
