package io.netanomaly.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands on real data nobody here wrote (NSL-KDD, a UNSW-NB15 sample), as a user runs them:
 * train on a 70% split of normal rows, evaluate on the held-out 30%, detect over a whole file. The
 * ROC-AUC bounds are regression floors, not the quality bar (that is measured separately).
 */
@Tag("dataset")
class DatasetCliTest {
  private static final int NSL_KDD_ROWS = 25_192;
  private static final int UNSW_ROWS = 7_000;

  @TempDir static Path dir;
  private static Path nslKdd;
  private static Path unsw;
  private static Path nslModel;

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  /**
   * The shared data set folder, found as {@code core}'s {@code Datasets} does: the system property
   * {@code netanomaly.datasets}, else {@code ../shared/datasets} beside the repository root (the
   * first directory above user.dir holding {@code mvnw}). Skips the tests when it is absent, or
   * fails them when {@code NETANOMALY_REQUIRE_DATASETS=1}.
   */
  static Path datasetRoot() {
    Path root = null;
    String prop = System.getProperty("netanomaly.datasets");
    if (prop != null && !prop.isBlank() && Files.isDirectory(Path.of(prop))) {
      root = Path.of(prop).toAbsolutePath().normalize();
    }
    for (Path d = Path.of(System.getProperty("user.dir")).toAbsolutePath(); root == null && d != null;
        d = d.getParent()) {
      if (Files.exists(d.resolve("mvnw"))) {
        Path p = d.resolve("../shared/datasets").normalize();
        root = Files.isDirectory(p) ? p : null;
        break;
      }
    }
    if (root == null && "1".equals(System.getenv("NETANOMALY_REQUIRE_DATASETS"))) {
      Assertions.fail("../shared/datasets not found but NETANOMALY_REQUIRE_DATASETS=1: set -Dnetanomaly.datasets");
    }
    Assumptions.assumeTrue(root != null, "../shared/datasets not found: dataset tests skipped");
    return root;
  }

  @BeforeAll
  static void trainOnNslKdd() {
    Path root = datasetRoot();
    nslKdd = root.resolve("nsl-kdd/KDDTrain+_20Percent.txt");
    unsw = root.resolve("unsw-nb15/unsw-nb15_1_sampled.csv");
    nslModel = dir.resolve("m.nam");
    Result t = run("train", "--data", nslKdd.toString(), "--format", "nsl-kdd", "--split", "0.7", "--split-seed", "0",
        "--normal-only", "--seed", "0", "--out", nslModel.toString());
    assertThat(t.code()).as(t.err()).isZero();
    assertThat(t.out()).contains("(normal only)");
  }

  @Test
  void nslKddHeldOutEvaluation() throws Exception {
    Path json = dir.resolve("e.json");
    Result e = run("evaluate", "--model", nslModel.toString(), "--data", nslKdd.toString(), "--format", "nsl-kdd",
        "--split", "0.7", "--split-seed", "0", "--json", json.toString());
    assertThat(e.code()).as(e.err()).isZero();

    JsonNode j = new ObjectMapper().readTree(json.toFile());
    System.out.printf("NSL-KDD held-out: rows %d, ROC-AUC %.4f, PR-AUC %.4f%n", j.get("rows").asLong(),
        j.get("roc_auc").asDouble(), j.get("pr_auc").asDouble());
    assertThat(j.get("rows").asDouble()).isCloseTo(0.3 * NSL_KDD_ROWS, within(0.02 * NSL_KDD_ROWS));
    assertThat(j.get("per_type").has("dos")).isTrue();
    assertThat(j.get("per_type").has("probe")).isTrue();
    assertThat(j.get("per_type").has("r2l")).isTrue();
    assertThat(j.get("per_type").has("u2r")).isTrue();
    assertThat(j.get("roc_auc").asDouble()).isGreaterThanOrEqualTo(0.90);
  }

  @Test
  void evaluatingWithoutTheTrainingSplitIsWarnedAbout() {
    Result e = run("evaluate", "--model", nslModel.toString(), "--data", nslKdd.toString(), "--format", "nsl-kdd");
    assertThat(e.code()).as(e.err()).isZero();
    assertThat(e.err()).contains("--split");
  }

  @Test
  void detectOverTheWholeNslKddFile() throws Exception {
    Path scored = dir.resolve("scored.csv");
    Result d = run("detect", "--model", nslModel.toString(), "--data", nslKdd.toString(), "--format", "nsl-kdd",
        "--out", scored.toString());
    assertThat(d.code()).as(d.err()).isZero();

    long lines = 0;
    long flagged = 0;
    String header;
    try (BufferedReader r = Files.newBufferedReader(scored)) {
      header = r.readLine();
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        lines++;
        String[] cells = line.split(",", -1);
        int n = cells.length;
        assertThat(Double.parseDouble(cells[n - 4])).isBetween(0.0, 1.0);
        assertThat(cells[n - 3]).isIn("0", "1");
        if (cells[n - 3].equals("1")) {
          flagged++;
          assertThat(cells[n - 2]).isNotEqualTo("normal").isNotBlank();
          assertThat(cells[n - 1]).isEqualTo("detector");
        } else {
          assertThat(cells[n - 2]).isEqualTo("normal");
          assertThat(cells[n - 1]).isEqualTo("none");
        }
      }
    }
    assertThat(header).endsWith("score,is_anomaly,anomaly_type,fired_by");
    assertThat(lines + 1).isEqualTo(NSL_KDD_ROWS + 1);
    // Attacks are almost half of the file; a model trained on normal rows flags a good share of it.
    assertThat(flagged).isGreaterThan(NSL_KDD_ROWS / 10);
  }

  @Test
  void unswNb15SampleTrainsAndEvaluatesOnTheHeldOutPart() throws Exception {
    Path model = dir.resolve("u.nam");
    Path json = dir.resolve("u.json");
    Result t = run("train", "--data", unsw.toString(), "--format", "unsw-nb15", "--split", "0.7", "--normal-only",
        "--out", model.toString());
    assertThat(t.code()).as(t.err()).isZero();

    Result e = run("evaluate", "--model", model.toString(), "--data", unsw.toString(), "--format", "unsw-nb15",
        "--split", "0.7", "--json", json.toString());
    assertThat(e.code()).as(e.err()).isZero();
    assertThat(e.out()).contains("ROC-AUC");

    JsonNode j = new ObjectMapper().readTree(json.toFile());
    System.out.printf("UNSW-NB15 held-out: rows %d, anomalies %d, ROC-AUC %.4f%n", j.get("rows").asLong(),
        j.get("anomalies").asLong(), j.get("roc_auc").asDouble());
    assertThat(j.get("rows").asDouble()).isCloseTo(0.3 * UNSW_ROWS, within(0.02 * UNSW_ROWS));
    assertThat(j.get("anomalies").asLong()).isPositive();
    assertThat(j.get("roc_auc").asDouble()).isGreaterThan(0.5);
  }
}
