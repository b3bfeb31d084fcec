package io.netanomaly.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netanomaly.core.explain.Alert;
import io.netanomaly.core.explain.DecimalText;
import io.netanomaly.core.explain.Explanation;
import io.netanomaly.core.explain.FeatureContribution;
import io.netanomaly.core.explain.ThreatAssessment;
import io.netanomaly.core.io.InputException;
import io.netanomaly.core.io.RecordParser;
import io.netanomaly.core.pipeline.DetectionPipeline;
import io.netanomaly.core.schema.Row;
import io.netanomaly.core.supervised.FiredBy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Scores the records of one predict request through the live model's shared session and builds
 * the response and the alerts. Every record says which part of the model fired ({@code fired_by}:
 * supervised, detector, both or none; plus the classifier's {@code predicted_class} when it fired).
 * Normal records get a one-line explanation; anomalies the full one (top features with normal
 * ranges, threat assessment).
 *
 * <p>Records are read from the request bytes token by token straight into rows through the model's
 * {@link RecordParser}, the same parser the stream sources use.
 *
 * <p>Thread-safe: scoring holds the session's lock; parsing and explaining run outside it.
 */
final class Predictor {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final LiveModel live;
  private final int maxRecords;

  Predictor(LiveModel live, int maxRecords) {
    this.live = live;
    this.maxRecords = maxRecords;
  }

  /** Doubles written with Jackson's shortest-digit writer: Double.toString dominated explained answers. */
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(com.fasterxml.jackson.core.StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build();

  /** What one request produced: the response body (JSON, UTF-8) and the alerts. */
  static final class Result {
    final byte[] response;
    final List<Alert> alerts;
    final int records;

    Result(byte[] response, List<Alert> alerts, int records) {
      this.response = response;
      this.alerts = alerts;
      this.records = records;
    }
  }

  /**
   * Parses and scores one request body (JSON, UTF-8), record by record from the bytes (no JSON
   * tree is built).
   *
   * @throws ApiException 400 for an empty or malformed body (with the line and column Jackson
   *     reports), a body that is neither an object nor an array, an empty array or a bad field (the
   *     first, with the record's index in a batch); 413 for more than the allowed records
   */
  Result predict(byte[] body) {
    if (body.length == 0) {
      throw ApiException.badRequest("empty body", "a JSON object (one record) or an array of objects");
    }
    try (JsonParser p = FACTORY.createParser(body)) {
      return predict(p);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("malformed JSON at line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr(), "a JSON object (one record) or an array of objects");
    } catch (IOException e) {
      throw ApiException.badRequest("unreadable body: " + e.getMessage(), "a JSON body");
    }
  }

  private Result predict(JsonParser p) throws IOException {
    LiveModel.Loaded m = live.current();
    RecordParser parser = m.parser();
    List<Row> rows = new ArrayList<>();
    // The whole body is read before any record error is answered, so malformed JSON anywhere,
    // then the record count, take precedence over a bad field, as when a tree is built first.
    InputException firstError = null;
    int errorIndex = -1;
    JsonToken t = p.nextToken();
    boolean batch = t == JsonToken.START_ARRAY;
    if (batch) {
      int count = 0;
      while (p.nextToken() != JsonToken.END_ARRAY) {
        if (firstError == null && count < maxRecords) {
          try {
            rows.add(parser.parse(p, "request", count + 1));
          } catch (InputException e) {
            firstError = e;
            errorIndex = count;
          }
        } else {
          skipValue(p);
        }
        count++;
      }
      if (count > maxRecords) {
        throw new ApiException(413, "too many records: " + count, null, Integer.toString(count),
            "at most " + maxRecords + " records per request", -1);
      }
      if (count == 0) {
        throw ApiException.badRequest("empty array", "one or more records");
      }
    } else if (t == JsonToken.START_OBJECT) {
      try {
        rows.add(parser.parse(p, "request", 1));
      } catch (InputException e) {
        firstError = e;
      }
    } else {
      if (t != null) {
        skipValue(p);
      }
      throw ApiException.badRequest("the body must be a JSON object or an array of objects",
          "a JSON object (one record) or an array of objects");
    }
    if (firstError != null) {
      InputException e = firstError;
      throw new ApiException(400, (batch ? "record " + errorIndex + ": " : "") + "field '"
          + (e.columnName() == null ? "?" : e.columnName()) + "': got '" + e.value() + "', expected " + e.expected(),
          e.columnName(), e.value(), e.expected(), errorIndex);
    }
    return score(m, rows, batch);
  }

  /** Reads past the current value, checking its syntax (a string's too). */
  private static void skipValue(JsonParser p) throws IOException {
    if (p.currentToken().isScalarValue()) {
      p.finishToken();
    } else {
      p.skipChildren();
    }
  }

  private Result score(LiveModel.Loaded m, List<Row> rows, boolean batch) {
    DetectionPipeline model = m.model();
    int w = model.features().width();
    int n = rows.size();
    double[] scores = new double[n];
    double[] raw = new double[n * w];
    float[] scaled = new float[n * w];
    FiredBy[] firedBy = new FiredBy[n];
    String[] predicted = new String[n];
    String[] source = new String[n];
    // Only the windows need the session to themselves; the detector scores outside its lock, so
    // concurrent requests no longer queue behind each other's forest walks.
    DetectionPipeline.Session session = m.session();
    synchronized (session) {
      session.transform(rows, scaled, raw);
    }
    model.scoreTransformed(scaled, n, scores, firedBy, predicted, source);
    long now = System.currentTimeMillis();
    double threshold = model.threshold().value();
    Explanation[] explained = m.explainer().explainFlagged(rows, scores, raw, scaled);
    List<Alert> alerts = new ArrayList<>();
    // Streamed straight to bytes: at thousands of records per request the tree model and
    // String.format dominated the cost of a prediction.
    ByteArrayOutputStream buf = new ByteArrayOutputStream(64 + n * 160);
    try (JsonGenerator g = FACTORY.createGenerator(buf)) {
      g.setCodec(JSON);
      if (batch) {
        g.writeStartArray();
      }
      for (int i = 0; i < n; i++) {
        boolean anomalous = explained[i] != null;
        g.writeStartObject();
        g.writeNumberField("score", scores[i]);
        g.writeNumberField("threshold", threshold);
        g.writeBooleanField("is_anomaly", anomalous);
        g.writeStringField("fired_by", firedBy[i].label());
        if (firedBy[i].classifierFired()) {
          g.writeStringField("predicted_class", predicted[i]);
        }
        if (anomalous) {
          Explanation e = explained[i];
          g.writeStringField("anomaly_type", e.anomalyType());
          g.writeFieldName("explanation");
          writeExplanation(g, e);
          alerts.add(Alert.of(model.schema(), rows.get(i), now, source[i], e));
        } else {
          g.writeStringField("anomaly_type", "normal");
          g.writeFieldName("explanation");
          g.writeStartObject();
          StringBuilder summary = new StringBuilder(32).append("normal, score ");
          DecimalText.appendFixed(summary, scores[i], 3).append(" < ");
          g.writeStringField("summary", DecimalText.appendFixed(summary, threshold, 3).toString());
          g.writeEndObject();
        }
        g.writeEndObject();
      }
      if (batch) {
        g.writeEndArray();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Result(buf.toByteArray(), alerts, n);
  }

  /** The JSON form of an explanation (also used for alerts). */
  static ObjectNode explanationJson(Explanation e) {
    // built from the same writer as the streamed answers, so the two forms cannot drift apart
    try (com.fasterxml.jackson.databind.util.TokenBuffer tokens = new com.fasterxml.jackson.databind.util.TokenBuffer(
        JSON, false)) {
      writeExplanation(tokens, e);
      return JSON.readTree(tokens.asParser());
    } catch (IOException x) {
      throw new UncheckedIOException("writing to memory cannot fail", x);
    }
  }

  /** Writes an explanation as a JSON object: summary, top features with normal ranges, threat. */
  static void writeExplanation(JsonGenerator g, Explanation e) throws IOException {
    g.writeStartObject();
    g.writeStringField("summary", e.summary());
    g.writeArrayFieldStart("top_features");
    for (FeatureContribution f : e.topFeatures()) {
      g.writeStartObject();
      g.writeStringField("feature", f.feature());
      writeNumber(g, "value", f.value());
      writeNumber(g, "normal_low", f.normalLow());
      writeNumber(g, "normal_high", f.normalHigh());
      g.writeNumberField("contribution", f.contribution());
      g.writeBooleanField("outside_normal_range", f.outsideNormalRange());
      g.writeEndObject();
    }
    g.writeEndArray();
    ThreatAssessment t = e.threat();
    g.writeObjectFieldStart("threat");
    g.writeStringField("level", t.level().name());
    g.writeStringField("attack_type", t.attackType());
    g.writeStringField("impact", t.impact());
    g.writeStringField("recommended_action", t.recommendedAction());
    g.writeStringField("mitre_technique", t.mitreTechniqueId());
    g.writeStringField("mitre_name", t.mitreTechniqueName());
    g.writeEndObject();
    g.writeEndObject();
  }

  /** A finite number, or null (JSON has no NaN or infinity). */
  private static void writeNumber(JsonGenerator g, String key, double v) throws IOException {
    if (Double.isFinite(v)) {
      g.writeNumberField(key, v);
    } else {
      g.writeNullField(key);
    }
  }
}
