package io.netanomaly.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netanomaly.core.explain.Explanation;
import io.netanomaly.core.explain.FeatureContribution;
import io.netanomaly.core.explain.ThreatAssessment;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON text of an alert's explanation and record fields as kept in the store. Non-finite numbers
 * are written as the strings "NaN", "Infinity" and "-Infinity" so the text stays standard JSON and
 * reads back to the same double. Thread-safe (Jackson's factory and mapper are).
 *
 * <p>Explanation layout: {@code {"top_features":[{"feature","value","normal_low","normal_high",
 * "contribution"}…],"threat":{"level","attack_type","impact","recommended_action",
 * "mitre_technique_id","mitre_technique_name"}}}. Score, threshold and anomaly type are columns.
 */
final class AlertJson {
  private static final ObjectMapper MAPPER = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
      .enable(com.fasterxml.jackson.core.StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build());
  private static final JsonFactory FACTORY = MAPPER.getFactory();

  private AlertJson() {
  }

  /** The explanation's features and threat assessment as JSON text. */
  static String explanation(Explanation e) {
    StringWriter out = new StringWriter(256 + 96 * e.topFeatures().size());
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      g.writeArrayFieldStart("top_features");
      for (FeatureContribution f : e.topFeatures()) {
        g.writeStartObject();
        g.writeStringField("feature", f.feature());
        number(g, "value", f.value());
        number(g, "normal_low", f.normalLow());
        number(g, "normal_high", f.normalHigh());
        number(g, "contribution", f.contribution());
        g.writeEndObject();
      }
      g.writeEndArray();
      ThreatAssessment t = e.threat();
      g.writeObjectFieldStart("threat");
      g.writeStringField("level", t.level().name());
      g.writeStringField("attack_type", t.attackType());
      g.writeStringField("impact", t.impact());
      g.writeStringField("recommended_action", t.recommendedAction());
      g.writeStringField("mitre_technique_id", t.mitreTechniqueId());
      g.writeStringField("mitre_technique_name", t.mitreTechniqueName());
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return out.toString();
  }

  /** The record's fields as a JSON object of strings (null values kept), in map order. */
  static String fields(Map<String, String> fields) {
    StringWriter out = new StringWriter(32 * fields.size() + 2);
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.writeStartObject();
      for (Map.Entry<String, String> e : fields.entrySet()) {
        if (e.getValue() == null) {
          g.writeNullField(e.getKey());
        } else {
          g.writeStringField(e.getKey(), e.getValue());
        }
      }
      g.writeEndObject();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return out.toString();
  }

  /** Rebuilds an explanation from its columns and its JSON text. */
  static Explanation readExplanation(double score, double threshold, String anomalyType, String json) {
    JsonNode root = tree(json);
    List<FeatureContribution> features = new ArrayList<>();
    for (JsonNode f : root.path("top_features")) {
      features.add(new FeatureContribution(f.path("feature").asText(), number(f.get("value")),
          number(f.get("normal_low")), number(f.get("normal_high")), number(f.get("contribution"))));
    }
    JsonNode t = root.path("threat");
    ThreatAssessment threat = new ThreatAssessment(ThreatAssessment.Level.valueOf(t.path("level").asText()),
        t.path("attack_type").asText(), t.path("impact").asText(), t.path("recommended_action").asText(),
        t.path("mitre_technique_id").asText(), t.path("mitre_technique_name").asText());
    return new Explanation(score, threshold, anomalyType, features, threat);
  }

  /** Reads a fields object back, in its stored order. */
  static Map<String, String> readFields(String json) {
    JsonNode root = tree(json);
    Map<String, String> fields = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : root.properties()) {
      fields.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText());
    }
    return fields;
  }

  private static JsonNode tree(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException ex) {
      throw new StoreException("stored JSON is unreadable: " + ex.getMessage(), ex);
    }
  }

  private static void number(JsonGenerator g, String name, double v) throws IOException {
    if (Double.isFinite(v)) {
      g.writeNumberField(name, v);
    } else {
      g.writeStringField(name, Double.toString(v));
    }
  }

  private static double number(JsonNode n) {
    if (n == null || n.isNull()) {
      return Double.NaN;
    }
    return n.isTextual() ? Double.parseDouble(n.asText()) : n.doubleValue();
  }
}
