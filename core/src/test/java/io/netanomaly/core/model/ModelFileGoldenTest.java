package io.netanomaly.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins the version 1 container: a file written once ({@link GoldenArchive}) and committed must
 * stay readable value for value, and today's writer must still produce it byte for byte.
 */
class ModelFileGoldenTest {
  @TempDir Path dir;

  private static Path golden() throws URISyntaxException {
    return Path.of(ModelFileGoldenTest.class.getResource("/golden/archive-v1.nam").toURI());
  }

  @Test
  void readsEveryValueOfTheVersion1GoldenFile() throws Exception {
    ModelArchive archive = ModelArchive.read(golden());

    JsonNode m = archive.manifest();
    assertThat(m.size()).isEqualTo(4);
    assertThat(m.get("detector").asText()).isEqualTo("golden");
    assertThat(m.get("trees").asInt()).isEqualTo(3);
    assertThat(m.get("threshold").asDouble()).isEqualTo(0.5);
    assertThat(m.get("features").get(0).asText()).isEqualTo("bytes_sent");
    assertThat(m.get("features").get(1).asText()).isEqualTo("duration");
    assertThat(m.get("features").size()).isEqualTo(2);

    assertThat(archive.arrayNames())
        .containsExactly("weights", "scales", "children", "seeds", "unused");
    double[] w = archive.doubles("weights");
    assertThat(w).hasSize(6);
    assertThat(Double.doubleToRawLongBits(w[0])).isEqualTo(0x3ff0_0000_0000_0000L);
    assertThat(Double.doubleToRawLongBits(w[1])).isEqualTo(0x8000_0000_0000_0000L);
    assertThat(w[2]).isEqualTo(0.1);
    assertThat(Double.doubleToRawLongBits(w[3])).isEqualTo(0x7ff8_0000_0000_0000L);
    assertThat(w[4]).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(w[5]).isEqualTo(-2.5e-300);
    assertThat(archive.floats("scales")).containsExactly(0.5f, Float.NEGATIVE_INFINITY, Float.MAX_VALUE);
    assertThat(archive.ints("children")).containsExactly(1, 2, -1, -1, Integer.MAX_VALUE);
    assertThat(archive.longs("seeds")).containsExactly(42L, Long.MIN_VALUE);
    assertThat(archive.ints("unused")).isEmpty();
  }

  @Test
  void todaysWriterStillProducesTheGoldenBytes() throws Exception {
    Path fresh = dir.resolve("fresh.nam");
    ModelFiles.write(GoldenArchive.content(), fresh, GoldenArchive.CREATED_BY);

    assertThat(Files.readAllBytes(fresh)).isEqualTo(Files.readAllBytes(golden()));
  }

  @Test
  void goldenFileRecordsItsFormatAndCreator() throws IOException, URISyntaxException {
    JsonNode manifest = ModelArchive.JSON.readTree(RawModelFile.entries(golden()).get("manifest.json"));

    assertThat(manifest.get("format").asText()).isEqualTo("netanomaly-model");
    assertThat(manifest.get("format_version").asInt()).isEqualTo(1);
    assertThat(manifest.get("created_by").asText()).isEqualTo(GoldenArchive.CREATED_BY);
    assertThat(RawModelFile.entries(golden()).get("checksum.sha256"))
        .asString()
        .isEqualTo("6e34bd16fd75922b54543c419f923c9752ac38ce6b6f8409114dfd2c0cfa1fe8");
  }
}
