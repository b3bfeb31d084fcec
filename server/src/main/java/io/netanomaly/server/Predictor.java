package io.netanomaly.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netanomaly.core.explain.Alert;
import io.netanomaly.core.explain.Explanation;
import io.netanomaly.core.explain.FeatureContribution;
import io.netanomaly.core.explain.ThreatAssessment;
import io.netanomaly.core.io.InputException;
import io.netanomaly.core.pipeline.DetectionPipeline;
import io.netanomaly.core.schema.Row;
import java.util.ArrayList;
import java.util.List;

/**
 * Scores the records of one predict request through the live model's shared session and builds
 * the response and the alerts. Normal records get a one-line explanation; anomalies the full one
 * (top features with normal ranges, threat assessment).
 *
 * <p>Thread-safe: scoring holds the session's lock; parsing and explaining run outside it.
 */
final class Predictor {
  private final LiveModel live;
  private final int maxRecords;

  Predictor(LiveModel live, int maxRecords) {
    this.live = live;
    this.maxRecords = maxRecords;
  }

  /** What one request produced. */
  static final class Result {
    final JsonNode response;
    final List<Alert> alerts;
    final int records;

    Result(JsonNode response, List<Alert> alerts, int records) {
      this.response = response;
      this.alerts = alerts;
      this.records = records;
    }
  }

  Result predict(JsonNode body) {
    LiveModel.Loaded m = live.current();
    boolean batch = body != null && body.isArray();
    List<JsonNode> records = new ArrayList<>();
    if (batch) {
      if (body.size() > maxRecords) {
        throw new ApiException(413, "too many records: " + body.size(), null, Integer.toString(body.size()),
            "at most " + maxRecords + " records per request", -1);
      }
      if (body.isEmpty()) {
        throw ApiException.badRequest("empty array", "one or more records");
      }
      body.forEach(records::add);
    } else if (body != null && body.isObject()) {
      records.add(body);
    } else {
      throw ApiException.badRequest("the body must be a JSON object or an array of objects",
          "a JSON object (one record) or an array of objects");
    }
    List<Row> rows = new ArrayList<>(records.size());
    for (int i = 0; i < records.size(); i++) {
      try {
        rows.add(m.parser().parse(records.get(i), "request", i + 1));
      } catch (InputException e) {
        throw new ApiException(400, (batch ? "record " + i + ": " : "") + "field '"
            + (e.columnName() == null ? "?" : e.columnName()) + "': got '" + e.value() + "', expected " + e.expected(),
            e.columnName(), e.value(), e.expected(), batch ? i : -1);
      }
    }
    DetectionPipeline model = m.model();
    int w = model.features().width();
    int n = rows.size();
    double[] scores = new double[n];
    double[] raw = new double[n * w];
    float[] scaled = new float[n * w];
    DetectionPipeline.Session session = m.session();
    synchronized (session) {
      session.score(rows, scores, raw);
      System.arraycopy(session.lastFeatures(), 0, scaled, 0, n * w);
    }
    long now = System.currentTimeMillis();
    double threshold = model.threshold().value();
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    List<Alert> alerts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ObjectNode r = out.addObject();
      r.put("score", scores[i]);
      r.put("threshold", threshold);
      boolean anomalous = scores[i] >= threshold;
      r.put("is_anomaly", anomalous);
      if (anomalous) {
        Explanation e = m.explainer().explain(rows.get(i), scores[i], raw, i * w, scaled, i * w);
        r.put("anomaly_type", e.anomalyType());
        r.set("explanation", explanationJson(e));
        alerts.add(Alert.of(model.schema(), rows.get(i), now, model.detector().kind(), e));
      } else {
        r.put("anomaly_type", "normal");
        r.putObject("explanation").put("summary",
            String.format(java.util.Locale.ROOT, "normal, score %.3f < %.3f", scores[i], threshold));
      }
    }
    return new Result(batch ? out : out.get(0), alerts, n);
  }

  /** The JSON form of an explanation (also used for alerts). */
  static ObjectNode explanationJson(Explanation e) {
    ObjectNode x = JsonNodeFactory.instance.objectNode();
    x.put("summary", e.summary());
    ArrayNode top = x.putArray("top_features");
    for (FeatureContribution f : e.topFeatures()) {
      ObjectNode o = top.addObject();
      o.put("feature", f.feature());
      putNumber(o, "value", f.value());
      putNumber(o, "normal_low", f.normalLow());
      putNumber(o, "normal_high", f.normalHigh());
      o.put("contribution", f.contribution());
      o.put("outside_normal_range", f.outsideNormalRange());
    }
    ThreatAssessment t = e.threat();
    ObjectNode th = x.putObject("threat");
    th.put("level", t.level().name());
    th.put("attack_type", t.attackType());
    th.put("impact", t.impact());
    th.put("recommended_action", t.recommendedAction());
    th.put("mitre_technique", t.mitreTechniqueId());
    th.put("mitre_name", t.mitreTechniqueName());
    return x;
  }

  private static void putNumber(ObjectNode o, String key, double v) {
    if (Double.isFinite(v)) {
      o.put(key, v);
    } else {
      o.putNull(key);
    }
  }
}
