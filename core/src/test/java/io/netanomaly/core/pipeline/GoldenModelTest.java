package io.netanomaly.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netanomaly.core.schema.FlowSchema;
import io.netanomaly.core.schema.Row;
import io.netanomaly.core.synth.TrafficSimulator;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Pins model format v1: {@code src/test/resources/golden/model-v1.nam} is a small trained model
 * written once and committed, with {@code golden/model-v1-expected.json} holding its feature names,
 * threshold and the scores of 20 fixed rows. Today's code must load it and score those rows the
 * same.
 *
 * <p><b>This file pins model format v1. If a code change breaks this test, that change breaks every
 * user's saved models: bump the format version and keep a reader for v1 instead of regenerating the
 * file.</b> The one allowed exception: before the first release, if the feature layout changes, the
 * lead may regenerate it once, from the repository root:
 *
 * <pre>{@code
 * ./mvnw -q -B -pl core test -Dtest=GoldenModelTest -Dnetanomaly.regenerateGolden=true
 * }</pre>
 *
 * which trains the model below (simulator seed 11, 2,000 rows, 10 trees, sample size 64, seed 5,
 * one thread) and rewrites both files under {@code core/src/test/resources/golden/}; commit them.
 */
class GoldenModelTest {
  static final String MODEL = "golden/model-v1.nam";
  static final String EXPECTED = "golden/model-v1-expected.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Path resource(String name) throws URISyntaxException {
    var url = GoldenModelTest.class.getResource("/" + name);
    assertThat(url).as("test resource " + name).isNotNull();
    return Path.of(url.toURI());
  }

  /** The 20 fixed rows: the first 20 flows of simulator seed 12. */
  static List<Row> fixedRows() {
    TrafficSimulator sim = TrafficSimulator.builder().seed(12).build();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      rows.add(sim.next().toRow());
    }
    return rows;
  }

  @Test
  void theCommittedVersion1ModelLoadsAndScoresAsWhenItWasWritten() throws Exception {
    DetectionPipeline golden = DetectionPipeline.load(resource(MODEL));
    JsonNode expected = JSON.readTree(resource(EXPECTED).toFile());

    assertThat(golden.schema()).isEqualTo(FlowSchema.SCHEMA);
    List<String> names = new ArrayList<>();
    expected.get("features").forEach(n -> names.add(n.asText()));
    assertThat(golden.features().featureNames()).isEqualTo(names);
    assertThat(golden.threshold().value()).isEqualTo(expected.get("threshold").asDouble());
    assertThat(golden.threshold().policy()).isEqualTo("contamination");
    assertThat(golden.training().rows()).isEqualTo(2_000);

    double[] scores = golden.newSession().score(fixedRows());
    JsonNode want = expected.get("scores");
    assertThat(scores).hasSize(want.size()).hasSize(20);
    for (int i = 0; i < scores.length; i++) {
      assertThat(scores[i]).as("score of row " + i).isCloseTo(want.get(i).asDouble(), within(1e-12));
    }
  }

  @Test
  void theGoldenFileStaysSmall() throws Exception {
    assertThat(Files.size(resource(MODEL))).isLessThan(100_000);
  }

  /** Rewrites the golden files; runs only with {@code -Dnetanomaly.regenerateGolden=true} (see class Javadoc). */
  @Test
  @EnabledIfSystemProperty(named = "netanomaly.regenerateGolden", matches = "true")
  void regenerate() throws Exception {
    TrafficSimulator sim = TrafficSimulator.builder().seed(11).build();
    List<Row> train = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      train.add(sim.next().toRow());
    }
    DetectionPipeline m = DetectionPipeline.builder().trees(10).sampleSize(64).seed(5).threads(1)
        .fit(FlowSchema.SCHEMA, train);
    // Fixed training info, so rerunning the generator writes the same bytes.
    m = m.withTraining(new TrainingInfo(m.training().rows(), 0.0, false, 5, "simulator seed 11", null,
        "2026-01-01T00:00:00Z"));
    Path folder = Path.of("src/test/resources/golden");
    Files.createDirectories(folder);
    m.save(folder.resolve("model-v1.nam"));

    ObjectNode expected = JSON.createObjectNode();
    expected.put("model", "model-v1.nam");
    expected.put("rows", "TrafficSimulator seed 12 (defaults), first 20 flows, scored in one session");
    expected.put("threshold", m.threshold().value());
    ArrayNode features = expected.putArray("features");
    m.features().featureNames().forEach(features::add);
    ArrayNode scores = expected.putArray("scores");
    for (double s : m.newSession().score(fixedRows())) {
      scores.add(s);
    }
    JSON.writer().with(SerializationFeature.INDENT_OUTPUT).writeValue(folder.resolve("model-v1-expected.json").toFile(),
        expected);
  }
}
