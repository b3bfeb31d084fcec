package io.netanomaly.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netanomaly.core.explain.Alert;
import io.netanomaly.core.pipeline.DetectionPipeline;
import io.netanomaly.core.schema.FlowSchema;
import io.netanomaly.core.schema.Row;
import io.netanomaly.core.supervised.Target;
import io.netanomaly.core.synth.TrafficSimulator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The predict response says which part of the model fired on each record. */
class PredictorTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static List<Row> flows(long seed, int n) {
    TrafficSimulator sim = TrafficSimulator.builder().seed(seed).anomalyRatio(0.1).build();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(sim.next().toRow());
    }
    return rows;
  }

  private static JsonNode predict(DetectionPipeline model, String body, List<Alert> alerts) throws Exception {
    Predictor.Result r = new Predictor(new LiveModel(model, null, "test"), 100).predict(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    alerts.addAll(r.alerts);
    return JSON.readTree(r.response);
  }

  @Test
  void aHybridSaysWhichPartFiredAndTheClassifiersClass() throws Exception {
    List<Row> train = new ArrayList<>();
    for (Row r : flows(1, 6_000)) {
      // exfiltration never shown to the classifier: only the detector can catch it
      if (!"data_exfiltration".equals(r.anomalyType())) {
        train.add(r);
      }
    }
    DetectionPipeline hybrid = DetectionPipeline.builder().seed(1).threads(1)
        .supervised("rf", Target.CATEGORY, true).gate(1.0).fit(FlowSchema.SCHEMA, train);
    List<Alert> alerts = new ArrayList<>();
    JsonNode n = predict(hybrid, "[" + DetectionServerTest.NORMAL + "," + DetectionServerTest.UPLOAD + "]", alerts);
    JsonNode normal = n.get(0);
    assertThat(normal.get("is_anomaly").asBoolean()).isFalse();
    assertThat(normal.get("fired_by").asText()).isEqualTo("none");
    assertThat(normal.has("predicted_class")).isFalse();
    JsonNode upload = n.get(1);
    assertThat(upload.get("is_anomaly").asBoolean()).isTrue();
    assertThat(upload.get("fired_by").asText()).isIn("detector", "both");
    assertThat(alerts).hasSize(1);
    assertThat(alerts.get(0).detector()).isEqualTo(
        upload.get("fired_by").asText().equals("both") ? "hybrid:both" : "hybrid:iforest");
    if (upload.has("predicted_class")) {
      assertThat(upload.get("predicted_class").asText()).isNotEqualTo("normal").isNotEqualTo("data_exfiltration");
    }
  }

  @Test
  void aPlainDetectorModelFiresAsTheDetector() throws Exception {
    DetectionPipeline forest = DetectionServerTest.train(1);
    List<Alert> alerts = new ArrayList<>();
    JsonNode n = predict(forest, "[" + DetectionServerTest.NORMAL + "," + DetectionServerTest.UPLOAD + "]", alerts);
    assertThat(n.get(0).get("fired_by").asText()).isEqualTo("none");
    assertThat(n.get(1).get("fired_by").asText()).isEqualTo("detector");
    assertThat(n.get(1).has("predicted_class")).isFalse();
    assertThat(alerts).extracting(Alert::detector).containsExactly("iforest");
  }
}
