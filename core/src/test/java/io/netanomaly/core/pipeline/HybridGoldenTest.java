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
import io.netanomaly.core.supervised.FiredBy;
import io.netanomaly.core.supervised.SupervisedDetector;
import io.netanomaly.core.supervised.Target;
import io.netanomaly.core.synth.TrafficSimulator;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pins the hybrid model format: {@code golden/hybrid-v<N>.nam} is a whole model (features, a
 * category random forest and an isolation forest on the normal rows) written once and committed,
 * with {@code hybrid-v<N>-expected.json} holding the scores of 200 fixed rows. Today's code must
 * load every version and score those rows the same.
 *
 * <p><b>If a code change breaks this test it breaks every saved hybrid model: bump
 * {@code SupervisedDetector.VERSION} and keep a reader for the old versions instead of regenerating.</b>
 * A new version's file is written, from the repository root, by
 *
 * <pre>{@code
 * ./mvnw -q -B -pl core test -Dtest=HybridGoldenTest -Dnetanomaly.regenerateGolden=<N>
 * }</pre>
 *
 * which trains on 400 flows of simulator seed 11 (anomaly ratio 0.2, port scans left out so the
 * detector has something of its own to find) with 10 trees, sample size 64, seed 5, one thread;
 * version 2 (which stores the gate) with gate 0.9, and its expected file also holds each row's
 * {@code fired_by} and {@code predicted_class}. Version 1 was written by the code before the gate
 * was stored (commit 02b6d7d); its generator is gone with that code.
 */
class HybridGoldenTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Path resource(String name) throws URISyntaxException {
    var url = HybridGoldenTest.class.getResource("/golden/" + name);
    assertThat(url).as("test resource golden/" + name).isNotNull();
    return Path.of(url.toURI());
  }

  /** {@code n} flows of the simulator at {@code seed} with 20% anomalies. */
  static List<Row> flows(long seed, int n) {
    TrafficSimulator sim = TrafficSimulator.builder().seed(seed).anomalyRatio(0.2).build();
    List<Row> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      rows.add(sim.next().toRow());
    }
    return rows;
  }

  /** The 200 fixed rows. */
  static List<Row> fixedRows() {
    return flows(12, 200);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void theCommittedHybridLoadsAndScoresAsWhenItWasWritten(int version) throws Exception {
    DetectionPipeline golden = DetectionPipeline.load(resource("hybrid-v" + version + ".nam"));
    JsonNode expected = JSON.readTree(resource("hybrid-v" + version + "-expected.json").toFile());
    assertThat(golden.detector().kind()).isEqualTo("hybrid");
    // version 1 stored no gate and meant 0.99; version 2's file was written with 0.9
    assertThat(((SupervisedDetector) golden.detector()).gate()).isEqualTo(version == 1 ? 0.99 : 0.9);
    DetectionPipeline.Session session = golden.newSession();
    List<Row> rows = fixedRows();
    double[] scores = new double[rows.size()];
    session.score(rows, scores);
    JsonNode want = expected.get("scores");
    assertThat(scores).hasSize(want.size()).hasSize(200);
    int detectorOnly = 0;
    for (int i = 0; i < scores.length; i++) {
      assertThat(scores[i]).as("score of row " + i).isCloseTo(want.get(i).asDouble(), within(1e-12));
      FiredBy f = session.lastFiredBy(i);
      assertThat(f.isAlert()).as("verdict of row " + i).isEqualTo(scores[i] >= 0.5);
      detectorOnly += f == FiredBy.DETECTOR ? 1 : 0;
      if (expected.has("fired_by")) {
        assertThat(f.label()).as("fired_by of row " + i).isEqualTo(expected.get("fired_by").get(i).asText());
        assertThat(session.lastPredictedClass(i)).isEqualTo(expected.get("predicted_class").get(i).asText());
      }
    }
    assertThat(detectorOnly).as("rows only the detector caught").isPositive();
    assertThat(Files.size(resource("hybrid-v" + version + ".nam"))).isLessThan(200_000);
  }

  /** Writes the current version's files; runs only with {@code -Dnetanomaly.regenerateGolden=N}. */
  @ParameterizedTest
  @ValueSource(ints = {2})
  @EnabledIfSystemProperty(named = "netanomaly.regenerateGolden", matches = "\\d+")
  void regenerate(int version) throws Exception {
    if (version != Integer.parseInt(System.getProperty("netanomaly.regenerateGolden"))) {
      return;
    }
    List<Row> train = new ArrayList<>();
    for (Row r : flows(11, 400)) {
      if (!"port_scan".equals(r.anomalyType())) {
        train.add(r);
      }
    }
    DetectionPipeline m = DetectionPipeline.builder().trees(10).sampleSize(64).seed(5).threads(1)
        .supervised("rf", Target.BINARY, true).gate(0.9).fit(FlowSchema.SCHEMA, train);
    m = m.withTraining(new TrainingInfo(m.training().rows(), 0.0, false, 5, "simulator seed 11", null,
        "2026-01-01T00:00:00Z"));
    Path folder = Path.of("src/test/resources/golden");
    Files.createDirectories(folder);
    m.save(folder.resolve("hybrid-v" + version + ".nam"));
    ObjectNode expected = JSON.createObjectNode();
    expected.put("model", "hybrid-v" + version + ".nam");
    expected.put("rows", "TrafficSimulator seed 12, anomaly ratio 0.2, first 200 flows, scored in one session");
    ArrayNode scores = expected.putArray("scores");
    ArrayNode firedBy = expected.putArray("fired_by");
    ArrayNode predicted = expected.putArray("predicted_class");
    DetectionPipeline.Session session = m.newSession();
    double[] s = session.score(fixedRows());
    for (int i = 0; i < s.length; i++) {
      scores.add(s[i]);
      firedBy.add(session.lastFiredBy(i).label());
      predicted.add(session.lastPredictedClass(i));
    }
    JSON.writer().with(SerializationFeature.INDENT_OUTPUT)
        .writeValue(folder.resolve("hybrid-v" + version + "-expected.json").toFile(), expected);
  }
}
