package io.netanomaly.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netanomaly.core.features.FeaturePipeline;
import io.netanomaly.core.features.WindowAggregator;
import io.netanomaly.core.pipeline.DetectionPipeline;
import io.netanomaly.core.schema.FlowSchema;
import io.netanomaly.core.schema.Row;
import io.netanomaly.core.synth.TrafficSimulator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Per-source windows keep memory bounded on a stream of ever-new source addresses: the session
 * never tracks more sources than the model's cap, and sources idle past the horizon are forgotten.
 * (Counts, not timing: no speed is asserted.)
 */
@Timeout(120)
class PerSourceWindowsTest {
  private static final int CAP = 100_000;
  private static final int FLOWS = 2_000_000;
  private static final int BATCH = 4_096;

  private static Row flow(long timeMillis, int source) {
    double[] num = new double[FlowSchema.SCHEMA.size()];
    String[] txt = new String[num.length];
    Arrays.fill(num, Double.NaN);
    num[FlowSchema.I_TIMESTAMP] = timeMillis;
    txt[FlowSchema.I_SRC_IP] = "10." + ((source >>> 16) & 0xff) + "." + ((source >>> 8) & 0xff) + "." + (source & 0xff);
    txt[FlowSchema.I_DST_IP] = "10.0.1.1";
    num[FlowSchema.I_SRC_PORT] = 40_000;
    txt[FlowSchema.I_SRC_PORT] = "40000";
    num[FlowSchema.I_DST_PORT] = 443;
    txt[FlowSchema.I_DST_PORT] = "443";
    txt[FlowSchema.I_PROTOCOL] = "TCP";
    txt[FlowSchema.I_FLAGS] = "SAPF";
    num[FlowSchema.I_PACKET_SIZE] = 500;
    num[FlowSchema.I_DURATION] = 0.2;
    num[FlowSchema.I_BYTES_SENT] = 1_000;
    num[FlowSchema.I_BYTES_RECEIVED] = 4_000;
    num[FlowSchema.I_PACKETS_SENT] = 4;
    num[FlowSchema.I_PACKETS_RECEIVED] = 6;
    return new Row(num, txt, Row.UNLABELLED, null, 0);
  }

  @Test
  void twoMillionDistinctSourcesStayWithinTheCapAndIdleOnesExpire() {
    TrafficSimulator sim = TrafficSimulator.builder().seed(1).build();
    List<Row> training = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      training.add(sim.next().toRow());
    }
    long windowMillis = 60_000;
    DetectionPipeline model = DetectionPipeline.builder().trees(10).seed(0).threads(1)
        .featureOptions(new FeaturePipeline.FitOptions(windowMillis, CAP, 0, 0.001))
        .fit(FlowSchema.SCHEMA, training);
    DetectionPipeline.Session session = model.newSession();

    // Ten new sources per millisecond: 200 s of event time, well inside the idle horizon, so only
    // the cap can bound the windows.
    long start = TrafficSimulator.DEFAULT_START_MILLIS;
    List<Row> batch = new ArrayList<>(BATCH);
    double[] scores = new double[BATCH];
    int most = 0;
    for (int i = 0; i < FLOWS; i++) {
      batch.add(flow(start + i / 10, i));
      if (batch.size() == BATCH || i == FLOWS - 1) {
        session.score(batch, scores);
        batch.clear();
        most = Math.max(most, session.trackedSources());
        assertThat(session.trackedSources()).isLessThanOrEqualTo(CAP);
      }
    }
    assertThat(most).as("the cap was reached").isEqualTo(CAP);

    // One flow past the idle horizon: every other source has been idle too long and is forgotten.
    long later = start + FLOWS / 10 + windowMillis * WindowAggregator.HORIZON_FACTOR + 1;
    session.score(List.of(flow(later, FLOWS + 1)), new double[1]);
    assertThat(session.trackedSources()).isEqualTo(1);
  }
}
