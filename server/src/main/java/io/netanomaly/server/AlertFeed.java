package io.netanomaly.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.sse.SseClient;
import io.netanomaly.core.explain.Alert;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live alert feed: every alert is sent as a Server-Sent Event named {@code alert} to each
 * connected client. Clients that have gone are dropped.
 *
 * <p>Thread-safe.
 */
public final class AlertFeed implements AlertListener {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final List<SseClient> clients = new CopyOnWriteArrayList<>();
  private final AtomicLong sent = new AtomicLong();

  void add(SseClient client) {
    client.keepAlive();
    client.onClose(() -> clients.remove(client));
    clients.add(client);
    client.sendEvent("hello", "{\"clients\":" + clients.size() + "}", null);
  }

  /** Connected clients. */
  public int clients() {
    return clients.size();
  }

  /** Events sent since start. */
  public long sent() {
    return sent.get();
  }

  @Override
  public void onAlerts(List<Alert> alerts) {
    if (clients.isEmpty()) {
      return;
    }
    for (Alert a : alerts) {
      String data = toJson(a).toString();
      for (SseClient c : clients) {
        if (c.terminated()) {
          clients.remove(c);
          continue;
        }
        c.sendEvent("alert", data, a.id() > 0 ? Long.toString(a.id()) : null);
        sent.incrementAndGet();
      }
    }
  }

  /** Sends an alert again as event {@code alert_update} (its LLM analysis arrived). */
  public void update(Alert a) {
    if (clients.isEmpty()) {
      return; // nobody to tell: the JSON is not worth building (cached analyses arrive by the thousand)
    }
    String data = toJson(a).toString();
    for (SseClient c : clients) {
      if (c.terminated()) {
        clients.remove(c);
        continue;
      }
      c.sendEvent("alert_update", data, a.id() > 0 ? Long.toString(a.id()) : null);
      sent.incrementAndGet();
    }
  }

  /** The JSON form of an alert, as the REST API and the feed show it. */
  public static ObjectNode toJson(Alert a) {
    ObjectNode n = JSON.createObjectNode();
    if (a.id() > 0) {
      n.put("id", a.id());
    }
    n.put("detected_at", Instant.ofEpochMilli(a.detectedAtMillis()).toString());
    n.put("event_time", Instant.ofEpochMilli(a.eventTimeMillis()).toString());
    n.put("src_ip", a.srcIp());
    n.put("dst_ip", a.dstIp());
    if (a.srcPort() >= 0) {
      n.put("src_port", a.srcPort());
    }
    if (a.dstPort() >= 0) {
      n.put("dst_port", a.dstPort());
    }
    n.put("protocol", a.protocol());
    n.put("score", a.score());
    n.put("threshold", a.explanation().threshold());
    n.put("anomaly_type", a.anomalyType());
    n.put("detector", a.detector());
    n.set("explanation", Predictor.explanationJson(a.explanation()));
    ObjectNode f = n.putObject("fields");
    a.fields().forEach(f::put);
    if (a.llmAnalysis() != null) {
      n.put("llm_analysis", a.llmAnalysis());
    }
    return n;
  }
}
