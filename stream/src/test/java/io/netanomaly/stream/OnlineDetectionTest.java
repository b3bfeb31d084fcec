package io.netanomaly.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netanomaly.core.explain.Alert;
import io.netanomaly.core.pipeline.DetectionPipeline;
import io.netanomaly.core.schema.FlowSchema;
import io.netanomaly.core.schema.Row;
import io.netanomaly.core.synth.TrafficSimulator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The online forest warms up on the stream, then flags what the trained model lets through. */
class OnlineDetectionTest {
  private static List<Row> flows(long seed, int n, double ratio) {
    TrafficSimulator sim = TrafficSimulator.builder().seed(seed).anomalyRatio(ratio).build();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(sim.next().toRow());
    }
    return rows;
  }

  @Test
  void warmsUpThenRaisesItsOwnAlertsOnlyForFlowsTheModelMissed() {
    DetectionPipeline model = DetectionPipeline.builder().seed(1).threads(1).fit(FlowSchema.SCHEMA, flows(1, 3_000, 0));
    OnlineDetection online = new OnlineDetection(model, new AlertFactory(model), 1_000, 0.05, 3);
    DetectionPipeline.Session session = model.newSession();
    List<Row> stream = flows(2, 4_000, 0.05);
    int w = model.features().width();
    List<Alert> online1 = new ArrayList<>();
    for (int from = 0; from < stream.size(); from += 500) {
      List<Row> batch = stream.subList(from, from + 500);
      double[] scores = new double[500];
      double[] raw = new double[500 * w];
      session.score(batch, scores, raw);
      List<Alert> out = new ArrayList<>();
      online.accept(batch, session.lastFeatures(), raw, scores, 0, out);
      if (from + 500 < 1_000) {
        assertThat(online.ready()).isFalse();
      }
      if (from + 500 <= 1_000) {
        assertThat(out).as("the warm-up flows only train the forest").isEmpty();
      }
      for (int i = 0; i < out.size(); i++) {
        assertThat(out.get(i).detector()).isEqualTo(OnlineDetection.DETECTOR);
        assertThat(out.get(i).score()).isGreaterThanOrEqualTo(out.get(i).explanation().threshold());
      }
      online1.addAll(out);
    }
    assertThat(online.ready()).isTrue();
    assertThat(online.raised()).isEqualTo(online1.size()).isPositive();
    // a 5% threshold on in-distribution traffic keeps the online opinion from flooding
    assertThat(online1.size()).isLessThan(3_000 / 5);
    for (Alert a : online1) {
      assertThat(a.explanation().topFeatures()).isNotEmpty();
    }
  }

  @Test
  void badSettingsAreRefused() {
    DetectionPipeline model = DetectionPipeline.builder().seed(1).threads(1).fit(FlowSchema.SCHEMA, flows(1, 500, 0));
    assertThatThrownBy(() -> new OnlineDetection(model, new AlertFactory(model), 10, 0.05, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new OnlineDetection(model, new AlertFactory(model), 100, 0.9, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
