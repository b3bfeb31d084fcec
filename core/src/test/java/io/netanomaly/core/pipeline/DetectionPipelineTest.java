package io.netanomaly.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netanomaly.core.detect.Threshold;
import io.netanomaly.core.eval.Ranking;
import io.netanomaly.core.model.ModelArchive;
import io.netanomaly.core.model.ModelFormatException;
import io.netanomaly.core.schema.FlowRecord;
import io.netanomaly.core.schema.FlowSchema;
import io.netanomaly.core.schema.Row;
import io.netanomaly.core.synth.TrafficSimulator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The train → save → load → score path of {@link DetectionPipeline} on simulated flows: file round
 * trips are bit-exact, batching does not change scores, training options do what they say, and a
 * tampered model file is refused.
 */
class DetectionPipelineTest {
  @TempDir Path dir;

  private static List<Row> train;
  private static List<Row> test;
  private static DetectionPipeline model;

  @BeforeAll
  static void trainOnce() {
    train = flows(1, 5_000, 0.05);
    test = flows(2, 3_000, 0.05);
    model = DetectionPipeline.builder().seed(7).threads(2).fit(FlowSchema.SCHEMA, train);
  }

  /** {@code n} simulated flows of seed {@code seed}, as labelled rows in event order. */
  static List<Row> flows(long seed, int n, double anomalyRatio) {
    TrafficSimulator sim = TrafficSimulator.builder().seed(seed).anomalyRatio(anomalyRatio).build();
    List<Row> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      rows.add(sim.next().toRow());
    }
    return rows;
  }

  @Test
  void savedAndLoadedModelScoresBitForBitTheSame() throws Exception {
    Path file = dir.resolve("m.nam");
    model.save(file);
    DetectionPipeline loaded = DetectionPipeline.load(file);

    assertThat(loaded.score(test)).isEqualTo(model.score(test));
    assertThat(loaded.features().featureNames()).isEqualTo(model.features().featureNames());
    assertThat(loaded.schema()).isEqualTo(FlowSchema.SCHEMA);
    assertThat(loaded.trainingScoreQuantiles()).isEqualTo(model.trainingScoreQuantiles());
  }

  @Test
  void trainingInfoAndThresholdSurviveTheRoundTrip() throws Exception {
    DetectionPipeline sourced = model.withTraining(model.training().withSource("flows.csv", "0.7@3"));
    Path file = dir.resolve("m.nam");
    sourced.save(file);
    DetectionPipeline loaded = DetectionPipeline.load(file);

    TrainingInfo a = sourced.training();
    TrainingInfo b = loaded.training();
    assertThat(b.rows()).isEqualTo(5_000).isEqualTo(a.rows());
    assertThat(b.seconds()).isEqualTo(a.seconds());
    assertThat(b.normalOnly()).isFalse();
    assertThat(b.seed()).isEqualTo(7);
    assertThat(b.data()).isEqualTo("flows.csv");
    assertThat(b.split()).isEqualTo("0.7@3");
    assertThat(b.created()).isEqualTo(a.created()).isNotBlank();

    assertThat(loaded.threshold().value()).isEqualTo(model.threshold().value());
    assertThat(loaded.threshold().policy()).isEqualTo("contamination");
    assertThat(loaded.threshold().contamination()).isEqualTo(0.05);
  }

  @Test
  void scoringInBatchesOfSevenThroughOneSessionEqualsOneBatch() {
    double[] whole = model.newSession().score(test);

    DetectionPipeline.Session session = model.newSession();
    double[] batched = new double[test.size()];
    for (int from = 0; from < test.size(); from += 7) {
      List<Row> batch = test.subList(from, Math.min(from + 7, test.size()));
      System.arraycopy(session.score(batch), 0, batched, from, batch.size());
    }

    assertThat(batched).isEqualTo(whole);
  }

  @Test
  void windowsCarryOverBetweenBatchesOfOneSession() {
    // Scoring the second half in a fresh session loses the windows the first half filled.
    List<Row> secondHalf = test.subList(1_500, 3_000);
    DetectionPipeline.Session carried = model.newSession();
    carried.score(test.subList(0, 1_500));

    assertThat(carried.score(secondHalf)).isEqualTo(java.util.Arrays.copyOfRange(model.score(test), 1_500, 3_000))
        .isNotEqualTo(model.newSession().score(secondHalf));
  }

  @Test
  void rawFeaturesComeWithTheSameScores() {
    int width = model.features().width();
    double[] scores = new double[test.size()];
    double[] raw = new double[test.size() * width];
    model.newSession().score(test, scores, raw);

    assertThat(scores).isEqualTo(model.score(test));
    int bytesSent = model.features().featureNames().indexOf("bytes_sent");
    assertThat(bytesSent).isNotNegative();
    for (int i = 0; i < test.size(); i += 97) {
      assertThat(raw[i * width + bytesSent]).isEqualTo(test.get(i).number(FlowSchema.I_BYTES_SENT));
    }
  }

  @Test
  void normalOnlyTrainsOnNormalRowsOnly() {
    long normal = train.stream().filter(r -> r.label() == 0).count();
    assertThat(normal).isBetween(4_000L, 4_990L);

    DetectionPipeline m = DetectionPipeline.builder().seed(7).threads(2).normalOnly(true).fit(FlowSchema.SCHEMA, train);

    assertThat(m.training().rows()).isEqualTo(normal);
    assertThat(m.training().normalOnly()).isTrue();
  }

  @Test
  void normalOnlyRefusesUnlabelledRows() {
    List<Row> rows = new ArrayList<>(train.subList(0, 100));
    FlowRecord unlabelled = new FlowRecord(TrafficSimulator.DEFAULT_START_MILLIS, "10.0.0.1", "10.0.0.2", 40000, 443,
        "TCP", 500, 1.0, "SAPF", 1000, 2000, 2, 4, Row.UNLABELLED, null);
    rows.add(unlabelled.toRow());

    assertThatThrownBy(() -> DetectionPipeline.builder().normalOnly(true).threads(1).fit(FlowSchema.SCHEMA, rows))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs labelled rows");
  }

  @Test
  void contaminationTenPercentFlagsAboutTenPercentOfTheTrainingRows() {
    DetectionPipeline m = DetectionPipeline.builder().seed(7).threads(2).contamination(Threshold.parse("0.1"))
        .fit(FlowSchema.SCHEMA, train);

    double[] scores = m.score(train);
    long flagged = java.util.Arrays.stream(scores).filter(s -> m.threshold().isAnomaly(s)).count();
    assertThat(flagged / (double) train.size()).isCloseTo(0.1, within(0.01));
    assertThat(m.threshold().contamination()).isEqualTo(0.1);
  }

  @Test
  void sameSeedGivesTheSameModelAndThreadsDoNotMatter() {
    DetectionPipeline again = DetectionPipeline.builder().seed(7).threads(2).fit(FlowSchema.SCHEMA, train);
    DetectionPipeline oneThread = DetectionPipeline.builder().seed(7).threads(1).fit(FlowSchema.SCHEMA, train);
    DetectionPipeline otherSeed = DetectionPipeline.builder().seed(8).threads(2).fit(FlowSchema.SCHEMA, train);

    double[] expected = model.score(test);
    assertThat(again.score(test)).isEqualTo(expected);
    assertThat(oneThread.score(test)).isEqualTo(expected);
    assertThat(oneThread.threshold().value()).isEqualTo(model.threshold().value());
    assertThat(otherSeed.score(test)).isNotEqualTo(expected);
  }

  @Test
  void anomaliesScoreClearlyHigherThanNormalFlows() {
    double[] scores = model.score(test);
    int[] labels = test.stream().mapToInt(Row::label).toArray();
    double anomalous = 0;
    double normal = 0;
    int nAnomalous = 0;
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] == 1) {
        anomalous += scores[i];
        nAnomalous++;
      } else {
        normal += scores[i];
      }
    }
    assertThat(nAnomalous).isBetween(50, 300);

    assertThat(anomalous / nAnomalous).isGreaterThan(normal / (labels.length - nAnomalous) + 0.05);
    assertThat(Ranking.rocAuc(scores, labels)).isGreaterThan(0.85);
  }

  @Test
  void anUnknownDetectorKindIsRefused() throws Exception {
    Path file = dir.resolve("evil.nam");
    tampered(model, m -> ((ObjectNode) m.get("detector")).put("kind", "evil")).write(file);

    assertThatThrownBy(() -> DetectionPipeline.load(file))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("unknown detector kind 'evil'");
  }

  @Test
  void aPipelineFeatureListThatDoesNotFitIsRefused() throws Exception {
    Path file = dir.resolve("wide.nam");
    tampered(model, m -> ((ArrayNode) m.get("pipeline").get("features")).add("extra_feature")).write(file);

    assertThatThrownBy(() -> DetectionPipeline.load(file))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("features");
  }

  @Test
  void aForestWithAnotherFeatureCountThanThePipelineIsRefused() throws Exception {
    int width = model.features().width();
    Path file = dir.resolve("forest.nam");
    tampered(model, m -> ((ObjectNode) m.get("detectors").get("forest")).put("features", width + 1)).write(file);

    assertThatThrownBy(() -> DetectionPipeline.load(file))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("detector expects " + (width + 1) + " features, pipeline gives " + width);
  }

  @Test
  void anUntamperedCopyLoads() throws Exception {
    Path file = dir.resolve("copy.nam");
    tampered(model, m -> { }).write(file);

    assertThat(DetectionPipeline.load(file).score(test)).isEqualTo(model.score(test));
  }

  /** The model's archive rebuilt through the public builder, its manifest changed by {@code edit}. */
  static ModelArchive tampered(DetectionPipeline m, Consumer<ObjectNode> edit) throws ModelFormatException {
    ModelArchive original = m.toArchive();
    ModelArchive.Builder b = ModelArchive.builder();
    b.manifest().setAll((ObjectNode) original.manifest());
    edit.accept(b.manifest());
    for (String name : original.arrayNames()) {
      copyArray(original, name, b);
    }
    return b.build();
  }

  private static void copyArray(ModelArchive from, String name, ModelArchive.Builder to) throws ModelFormatException {
    // The archive exposes arrays by type only; try each until the stored one answers.
    try {
      to.put(name, from.doubles(name));
      return;
    } catch (ModelFormatException notDoubles) {
      // another type
    }
    try {
      to.put(name, from.floats(name));
      return;
    } catch (ModelFormatException notFloats) {
      // another type
    }
    try {
      to.put(name, from.ints(name));
      return;
    } catch (ModelFormatException notInts) {
      // another type
    }
    to.put(name, from.longs(name));
  }

  @Test
  void manifestNamesTheDetectorAndFeatures() {
    JsonNode m = model.toArchive().manifest();
    assertThat(m.get("detector").get("kind").asText()).isEqualTo("iforest");
    assertThat(m.get("pipeline").get("features").size()).isEqualTo(model.features().width());
    assertThat(m.get("detectors").get("forest").get("features").asInt()).isEqualTo(model.features().width());
  }
}
