package io.netanomaly.core.supervised;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netanomaly.core.detect.Matrix;
import io.netanomaly.core.model.ModelArchive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pins the classifier formats: {@code golden/<kind>-v1.nam} (kind rf, gbm, logreg) is a small
 * classifier written once and committed, with {@code <kind>-v1-expected.json} holding the class
 * probabilities of 20 fixed rows. Today's code must load each and predict the same.
 *
 * <p><b>If a code change breaks this test, it breaks every saved model: bump the family's
 * {@code ARCHIVE_VERSION} and keep a reader for version 1 instead of regenerating.</b> Before the
 * first release the lead may regenerate them once, from the repository root:
 *
 * <pre>{@code
 * ./mvnw -q -B -pl core test -Dtest=SupervisedGoldenTest -Dnetanomaly.regenerateGolden=true
 * }</pre>
 *
 * which trains each family on {@code SupervisedFixtures.gaussians(300, 3, 31)} with
 * {@code SupervisedFixtures.small(5, 1)} and rewrites the files under
 * {@code core/src/test/resources/golden/}; commit them.
 */
class SupervisedGoldenTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> CLASSES = List.of("normal", "dos", "probe");
  private static final String PREFIX = "sup0";

  /** The 20 fixed rows. */
  private static Matrix fixedRows() {
    return SupervisedFixtures.gaussians(20, 3, 32).x();
  }

  private static Path resource(String name) throws Exception {
    var url = SupervisedGoldenTest.class.getResource("/golden/" + name);
    assertThat(url).as("test resource golden/" + name).isNotNull();
    return Path.of(url.toURI());
  }

  @ParameterizedTest
  @ValueSource(strings = {"rf", "gbm", "logreg"})
  void theCommittedVersion1ClassifierLoadsAndPredictsAsWhenItWasWritten(String kind) throws Exception {
    Classifier golden = Classifiers.readFrom(ModelArchive.read(resource(kind + "-v1.nam")), PREFIX);
    JsonNode expected = JSON.readTree(resource(kind + "-v1-expected.json").toFile());
    assertThat(golden.kind()).isEqualTo(kind);
    assertThat(golden.classes()).isEqualTo(CLASSES);
    double[] got = golden.predictProba(fixedRows());
    JsonNode want = expected.get("probabilities");
    assertThat(got).hasSize(want.size()).hasSize(60);
    for (int i = 0; i < got.length; i++) {
      assertThat(got[i]).as("probability %d", i).isCloseTo(want.get(i).asDouble(), within(1e-12));
    }
    assertThat(Files.size(resource(kind + "-v1.nam"))).isLessThan(100_000);
  }

  /** Rewrites the golden files; runs only with {@code -Dnetanomaly.regenerateGolden=true} (see class Javadoc). */
  @ParameterizedTest
  @ValueSource(strings = {"rf", "gbm", "logreg"})
  @EnabledIfSystemProperty(named = "netanomaly.regenerateGolden", matches = "true")
  void regenerate(String kind) throws Exception {
    SupervisedFixtures.Labelled train = SupervisedFixtures.gaussians(300, 3, 31);
    Classifier c = Classifiers.train(kind, train.x(), train.y(), CLASSES, SupervisedFixtures.small(5, 1));
    ModelArchive.Builder b = ModelArchive.builder();
    c.writeTo(b, PREFIX);
    Path folder = Path.of("src/test/resources/golden");
    Files.createDirectories(folder);
    b.build().write(folder.resolve(kind + "-v1.nam"));
    ObjectNode expected = JSON.createObjectNode();
    expected.put("model", kind + "-v1.nam");
    expected.put("rows", "SupervisedFixtures.gaussians(20, 3, 32), probabilities row-major (row * 3 + class)");
    ArrayNode p = expected.putArray("probabilities");
    for (double v : c.predictProba(fixedRows())) {
      p.add(v);
    }
    JSON.writer().with(SerializationFeature.INDENT_OUTPUT).writeValue(folder.resolve(kind + "-v1-expected.json").toFile(),
        expected);
  }
}
