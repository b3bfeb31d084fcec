package io.netanomaly.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.netanomaly.core.eval.HoldoutSplit;
import io.netanomaly.core.io.ReadOptions;
import io.netanomaly.core.io.Readers;
import io.netanomaly.core.io.RowSource;
import io.netanomaly.core.io.RowWriter;
import io.netanomaly.core.schema.FlowSchema;
import io.netanomaly.core.schema.Row;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link BatchScoring} streams a file through one session and scores exactly the rows kept. */
class BatchScoringTest {
  @TempDir Path dir;

  @Test
  void streamingAFileInBatchesScoresTheKeptRowsAsOneSessionWould() throws Exception {
    List<Row> rows = DetectionPipelineTest.flows(5, 2_000, 0.05);
    DetectionPipeline model = DetectionPipeline.builder().trees(20).seed(2).threads(1)
        .fit(FlowSchema.SCHEMA, DetectionPipelineTest.flows(6, 2_000, 0.05));
    Path file = dir.resolve("flows.csv");
    try (RowWriter w = RowWriter.open(file, FlowSchema.SCHEMA, true, List.of())) {
      for (Row r : rows) {
        w.write(r);
      }
    }
    HoldoutSplit split = new HoldoutSplit(0.7, 0);
    List<Row> heldOut = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      if (!split.isTraining(i)) {
        heldOut.add(rows.get(i));
      }
    }

    List<Double> streamed = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    List<Long> progress = new ArrayList<>();
    long read;
    try (RowSource src = Readers.open(file, ReadOptions.defaults())) {
      read = BatchScoring.run(src, model.newSession(), 64, i -> !split.isTraining(i), (batch, scores, raw) -> {
        assertThat(batch.size()).isLessThanOrEqualTo(64);
        for (int i = 0; i < batch.size(); i++) {
          streamed.add(scores[i]);
          labels.add(batch.get(i).label());
        }
      }, progress::add);
    }

    assertThat(read).isEqualTo(2_000);
    assertThat(progress).isNotEmpty().isSorted().last().isEqualTo(2_000L);
    double[] expected = model.score(heldOut);
    assertThat(streamed).hasSize(heldOut.size());
    for (int i = 0; i < expected.length; i++) {
      assertThat(streamed.get(i)).as("row " + i).isEqualTo(expected[i]);
      assertThat(labels.get(i)).isEqualTo(heldOut.get(i).label());
    }
  }
}
