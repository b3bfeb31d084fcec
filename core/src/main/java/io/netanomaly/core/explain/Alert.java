package io.netanomaly.core.explain;

import io.netanomaly.core.schema.FieldType;
import io.netanomaly.core.schema.FlowRecord;
import io.netanomaly.core.schema.Row;
import io.netanomaly.core.schema.Schema;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A flagged row as stored, shown and sent on: when and what was seen, its verdict and explanation,
 * and the LLM's written analysis once it arrives. Flow fields are null / -1 / NaN when the table is
 * not a flow table; {@link #fields()} always holds the whole record as text.
 *
 * <p>Immutable; {@link #withId} and {@link #withLlmAnalysis} return copies.
 */
public final class Alert {
  private final long id;
  private final long detectedAtMillis;
  private final long eventTimeMillis;
  private final String srcIp;
  private final String dstIp;
  private final int srcPort;
  private final int dstPort;
  private final String protocol;
  private final double packetSize;
  private final double duration;
  private final String detector;
  private final Explanation explanation;
  private final Map<String, String> fields;
  private final String llmAnalysis;

  /**
   * @param id store id, 0 before the alert is stored
   * @param detectedAtMillis wall-clock time of detection, epoch ms
   * @param eventTimeMillis event time of the flow, epoch ms (the detection time when the row has none)
   * @param detector which model fired ("iforest"; later "rcf-online", "hybrid:supervised")
   * @param fields the record's columns as text, in schema order
   * @param llmAnalysis the LLM's analysis, null until it arrives
   */
  public Alert(long id, long detectedAtMillis, long eventTimeMillis, String srcIp, String dstIp, int srcPort,
      int dstPort, String protocol, double packetSize, double duration, String detector, Explanation explanation,
      Map<String, String> fields, String llmAnalysis) {
    this.id = id;
    this.detectedAtMillis = detectedAtMillis;
    this.eventTimeMillis = eventTimeMillis;
    this.srcIp = srcIp;
    this.dstIp = dstIp;
    this.srcPort = srcPort;
    this.dstPort = dstPort;
    this.protocol = protocol;
    this.packetSize = packetSize;
    this.duration = duration;
    this.detector = Objects.requireNonNull(detector, "detector");
    this.explanation = Objects.requireNonNull(explanation, "explanation");
    this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    this.llmAnalysis = llmAnalysis;
  }

  /** An alert for a flow (id 0, no LLM analysis yet). */
  public static Alert ofFlow(FlowRecord f, long detectedAtMillis, String detector, Explanation e,
      Map<String, String> fields) {
    return new Alert(0, detectedAtMillis, f.timestampMillis(), f.srcIp(), f.dstIp(), f.srcPort(), f.dstPort(),
        f.protocol(), f.packetSize(), f.duration(), detector, e, fields, null);
  }

  /**
   * An alert for a row of any schema (id 0, no LLM analysis yet). Flow fields are taken from the
   * columns named as in the flow schema (or the UNSW/Zeek names), when present.
   */
  public static Alert of(Schema schema, Row row, long detectedAtMillis, String detector, Explanation e) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (int i = 0; i < schema.size(); i++) {
      fields.put(schema.field(i).name(), text(schema.field(i).type(), row, i));
    }
    int ts = schema.firstOfType(FieldType.TIMESTAMP);
    double t = ts >= 0 ? row.number(ts) : Double.NaN;
    return new Alert(0, detectedAtMillis, Double.isNaN(t) ? detectedAtMillis : (long) t,
        textOf(schema, row, "src_ip", "srcip", "id.orig_h"), textOf(schema, row, "dst_ip", "dstip", "id.resp_h"),
        portOf(schema, row, "src_port", "sport", "id.orig_p"), portOf(schema, row, "dst_port", "dsport", "id.resp_p"),
        textOf(schema, row, "protocol", "proto", "protocol_type"), numberOf(schema, row, "packet_size", "smeansz"),
        numberOf(schema, row, "duration", "dur"), detector, e, fields, null);
  }

  private static String text(FieldType type, Row row, int i) {
    if (row.text(i) != null) {
      return row.text(i);
    }
    double v = row.number(i);
    if (Double.isNaN(v)) {
      return "";
    }
    if (type == FieldType.TIMESTAMP) {
      return java.time.Instant.ofEpochMilli((long) v).toString();
    }
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  private static int column(Schema schema, String... names) {
    for (String n : names) {
      int i = schema.indexOf(n);
      if (i >= 0) {
        return i;
      }
    }
    return -1;
  }

  private static String textOf(Schema schema, Row row, String... names) {
    int i = column(schema, names);
    return i < 0 ? null : row.text(i);
  }

  private static int portOf(Schema schema, Row row, String... names) {
    int i = column(schema, names);
    return i < 0 || Double.isNaN(row.number(i)) ? -1 : (int) row.number(i);
  }

  private static double numberOf(Schema schema, Row row, String... names) {
    int i = column(schema, names);
    return i < 0 ? Double.NaN : row.number(i);
  }

  public long id() { return id; }
  public long detectedAtMillis() { return detectedAtMillis; }
  public long eventTimeMillis() { return eventTimeMillis; }
  public String srcIp() { return srcIp; }
  public String dstIp() { return dstIp; }
  public int srcPort() { return srcPort; }
  public int dstPort() { return dstPort; }
  public String protocol() { return protocol; }
  /** Mean bytes per packet, NaN when unknown. */
  public double packetSize() { return packetSize; }
  /** Seconds, NaN when unknown. */
  public double duration() { return duration; }
  public String detector() { return detector; }
  public Explanation explanation() { return explanation; }
  public double score() { return explanation.score(); }
  public String anomalyType() { return explanation.anomalyType(); }
  public Map<String, String> fields() { return fields; }
  /** The LLM's analysis, or null. */
  public String llmAnalysis() { return llmAnalysis; }

  public Alert withId(long newId) {
    return new Alert(newId, detectedAtMillis, eventTimeMillis, srcIp, dstIp, srcPort, dstPort, protocol, packetSize,
        duration, detector, explanation, fields, llmAnalysis);
  }

  public Alert withLlmAnalysis(String analysis) {
    return new Alert(id, detectedAtMillis, eventTimeMillis, srcIp, dstIp, srcPort, dstPort, protocol, packetSize,
        duration, detector, explanation, fields, analysis);
  }

  @Override
  public String toString() {
    return "Alert[" + id + " " + anomalyType() + " " + srcIp + ":" + srcPort + " -> " + dstIp + ":" + dstPort
        + " score=" + score() + "]";
  }
}
