package io.netanomaly.core.explain;

import io.netanomaly.core.schema.FlowRecord;
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
