package io.netanomaly.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.netanomaly.core.schema.FlowSchema;
import io.netanomaly.core.schema.Row;
import io.netanomaly.core.supervised.FiredBy;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Transforming under a session and scoring outside it gives what {@code Session.score} gives:
 * the same scores, the same verdicts, the same sources, for a plain and a hybrid model.
 */
class ScoreTransformedTest {

  private static void assertSplitScoringMatches(DetectionPipeline model, List<Row> rows) {
    int n = rows.size();
    int w = model.features().width();
    DetectionPipeline.Session whole = model.newSession();
    double[] expected = new double[n];
    double[] expectedRaw = new double[n * w];
    whole.score(rows, expected, expectedRaw);

    DetectionPipeline.Session split = model.newSession();
    float[] scaled = new float[n * w];
    double[] raw = new double[n * w];
    split.transform(rows, scaled, raw);
    double[] scores = new double[n];
    FiredBy[] firedBy = new FiredBy[n];
    String[] predicted = new String[n];
    String[] source = new String[n];
    model.scoreTransformed(scaled, n, scores, firedBy, predicted, source);

    assertThat(scores).containsExactly(expected);
    assertThat(raw).containsExactly(expectedRaw);
    assertThat(java.util.Arrays.copyOf(whole.lastFeatures(), n * w)).containsExactly(scaled);
    for (int i = 0; i < n; i++) {
      assertThat(firedBy[i]).as("row %d", i).isEqualTo(whole.lastFiredBy(i));
      assertThat(predicted[i]).as("row %d", i).isEqualTo(whole.lastPredictedClass(i));
      assertThat(source[i]).as("row %d", i).isEqualTo(whole.lastSource(i));
    }
  }

  @Test
  void aPlainForest() {
    List<Row> train = HybridGoldenTest.flows(3, 3_000);
    DetectionPipeline model = DetectionPipeline.builder().seed(1).threads(1).fit(FlowSchema.SCHEMA, train);
    assertSplitScoringMatches(model, HybridGoldenTest.flows(4, 500));
  }

  @Test
  void aHybridWhosePartsFireOnDifferentRows() throws Exception {
    DetectionPipeline hybrid = DetectionPipeline.load(Path.of(
        ScoreTransformedTest.class.getResource("/golden/hybrid-v2.nam").toURI()));
    List<Row> rows = HybridGoldenTest.fixedRows();
    assertSplitScoringMatches(hybrid, rows);
  }
}
