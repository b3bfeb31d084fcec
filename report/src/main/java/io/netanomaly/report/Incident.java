package io.netanomaly.report;

import io.netanomaly.core.explain.Alert;

/**
 * One alert as the incident dashboard sees it: the columns of the CSV incident log. Unknown
 * numbers are NaN, unknown ports −1, unknown texts null. Immutable and thread-safe.
 *
 * @param timeMillis event time, epoch milliseconds (UTC)
 * @param srcIp source address, or null
 * @param dstIp destination address, or null
 * @param srcPort source port, or −1
 * @param dstPort destination port, or −1
 * @param packetSize packet size in bytes, or NaN
 * @param durationMs flow duration in milliseconds, or NaN
 * @param protocol protocol name, or null
 * @param score anomaly score (model units)
 * @param type anomaly type, or null
 * @param llmAnalysis the LLM's written analysis, or null
 */
public record Incident(long timeMillis, String srcIp, String dstIp, int srcPort, int dstPort, double packetSize,
    double durationMs, String protocol, double score, String type, String llmAnalysis) {

  /** The incident of a stored alert (its duration converted from seconds to milliseconds). */
  public static Incident of(Alert a) {
    return new Incident(a.eventTimeMillis(), a.srcIp(), a.dstIp(), a.srcPort(), a.dstPort(), a.packetSize(),
        a.duration() * 1000.0, a.protocol(), a.score(), a.anomalyType(), a.llmAnalysis());
  }
}
