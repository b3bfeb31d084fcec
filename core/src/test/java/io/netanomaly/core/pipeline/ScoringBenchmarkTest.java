package io.netanomaly.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netanomaly.core.detect.DetectorWorkers;
import io.netanomaly.core.schema.FlowSchema;
import io.netanomaly.core.schema.Row;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ScoringBenchmark} reports what it measured: the rows, batches and threads, and positive times. */
class ScoringBenchmarkTest {
  @Test
  void timesEveryRowThroughThePipelineAndTheDetector() {
    List<Row> train = DetectionPipelineTest.flows(1, 2_000, 0.05);
    List<Row> rows = DetectionPipelineTest.flows(2, 1_000, 0.05);
    DetectionPipeline model = DetectionPipeline.builder().seed(3).threads(1).fit(FlowSchema.SCHEMA, train);

    ScoringBenchmark.Result r = ScoringBenchmark.run(model, rows, 300, 0);

    assertThat(r.detector()).isEqualTo("iforest");
    assertThat(r.rows()).isEqualTo(1_000);
    assertThat(r.batchRows()).isEqualTo(300);
    assertThat(r.threads()).isEqualTo(DetectorWorkers.defaultThreads());
    assertThat(r.pipelineSeconds()).isPositive();
    assertThat(r.detectorSeconds()).isPositive();
    assertThat(r.pipelineRowsPerSecond()).isEqualTo(1_000 / r.pipelineSeconds());
    assertThat(r.detectorRowsPerSecond()).isEqualTo(1_000 / r.detectorSeconds());
    assertThat(r.toJsonNode().get("rows").asInt()).isEqualTo(1_000);
    assertThat(r.toString()).startsWith("iforest on 1,000 rows in batches of 300");
  }

  @Test
  void refusesNoRowsAndEmptyBatches() {
    List<Row> train = DetectionPipelineTest.flows(1, 500, 0.05);
    DetectionPipeline model = DetectionPipeline.builder().seed(3).threads(1).fit(FlowSchema.SCHEMA, train);

    assertThatThrownBy(() -> ScoringBenchmark.run(model, List.of(), 100)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ScoringBenchmark.run(model, train, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
