package io.netanomaly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the commands as a user would: generate → train → evaluate → detect, checking what they write. */
class CliEndToEndTest {
  @TempDir
  Path dir;

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void generateTrainEvaluateDetect() throws Exception {
    Path train = dir.resolve("train.csv");
    Path test = dir.resolve("test.jsonl");
    Path model = dir.resolve("model.nam");
    Path metrics = dir.resolve("metrics.json");
    Path scored = dir.resolve("scored.csv");

    Result g1 = run("generate", "--samples", "5000", "--anomaly-ratio", "0.05", "--seed", "1", "--out", train.toString());
    assertThat(g1.code()).as(g1.err()).isZero();
    assertThat(Files.readAllLines(train)).hasSize(5001);
    assertThat(Files.readAllLines(train).get(0)).startsWith("timestamp,src_ip,dst_ip,src_port,dst_port,protocol")
        .endsWith("is_anomaly,anomaly_type");
    Result g2 = run("generate", "--samples", "4000", "--seed", "2", "--out", test.toString());
    assertThat(g2.code()).as(g2.err()).isZero();
    assertThat(Files.readAllLines(test)).hasSize(4000).allMatch(l -> l.startsWith("{"));

    Result t = run("train", "--data", train.toString(), "--out", model.toString(), "--seed", "3", "--threads", "2");
    assertThat(t.code()).as(t.err()).isZero();
    assertThat(t.out()).contains("trained iforest on").contains("model written to");
    assertThat(model).exists();

    Result e = run("evaluate", "--model", model.toString(), "--data", test.toString(), "--json", metrics.toString());
    assertThat(e.code()).as(e.err()).isZero();
    assertThat(e.out()).contains("ROC-AUC");
    JsonNode j = new ObjectMapper().readTree(metrics.toFile());
    for (String key : List.of("rows", "anomalies", "roc_auc", "pr_auc", "precision", "recall", "f1", "accuracy",
        "threshold", "confusion", "per_type")) {
      assertThat(j.has(key)).as(key).isTrue();
    }
    assertThat(j.get("rows").asLong()).isEqualTo(4000);
    JsonNode c = j.get("confusion");
    assertThat(c.get("tp").asLong() + c.get("fp").asLong() + c.get("tn").asLong() + c.get("fn").asLong()).isEqualTo(4000);
    assertThat(j.get("roc_auc").asDouble()).isGreaterThan(0.8);
    assertThat(j.get("per_type").size()).isGreaterThanOrEqualTo(5);

    Result d = run("detect", "--model", model.toString(), "--data", test.toString(), "--out", scored.toString());
    assertThat(d.code()).as(d.err()).isZero();
    List<String> lines = Files.readAllLines(scored);
    assertThat(lines).hasSize(4001);
    assertThat(lines.get(0)).endsWith("score,is_anomaly,anomaly_type,fired_by");
    // a plain detector model: every flagged row was raised by the detector, every other by nothing
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      assertThat(f[f.length - 1]).isEqualTo(f[f.length - 3].equals("1") ? "detector" : "none");
    }
    long flagged = lines.stream().skip(1).filter(l -> l.contains(",1,")).count();
    assertThat(flagged).isPositive();
  }

  @Test
  void benchMeasuresATrainedModelOnTheHeldOutRows() throws Exception {
    Path data = dir.resolve("flows.csv");
    Path model = dir.resolve("model.nam");
    run("generate", "--samples", "3000", "--seed", "1", "--out", data.toString());
    Result t = run("train", "--data", data.toString(), "--split", "0.7", "--models", "eif", "--out", model.toString());
    assertThat(t.code()).as(t.err()).isZero();

    Result b = run("bench", "--model", model.toString(), "--data", data.toString(), "--split", "0.7", "--batch",
        "500", "--json");
    assertThat(b.code()).as(b.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(b.out());
    assertThat(j.get("detector").asText()).isEqualTo("eif");
    // the held-out 30 % of 3,000 rows, as evaluate --split 0.7 scores them
    assertThat(j.get("rows").asInt()).isBetween(800, 1000);
    assertThat(j.get("batch_rows").asInt()).isEqualTo(500);
    assertThat(j.get("pipeline_rows_per_second").asDouble()).isPositive();
    assertThat(j.get("detector_rows_per_second").asDouble()).isPositive();
    assertThat(run("bench", "--model", model.toString()).code()).isEqualTo(2);
  }

  @Test
  void supervisedAndHybridModelsFromTheCommandLine() throws Exception {
    Path train = dir.resolve("train.csv");
    Path test = dir.resolve("test.csv");
    Path model = dir.resolve("hybrid.nam");
    run("generate", "--samples", "4000", "--seed", "1", "--out", train.toString());
    run("generate", "--samples", "3000", "--seed", "2", "--out", test.toString());
    Result t = run("train", "--data", train.toString(), "--supervised", "rf", "--target", "category", "--hybrid",
        "--exclude-type", "data_exfiltration", "--out", model.toString(), "--threads", "2");
    assertThat(t.code()).as(t.err()).isZero();
    assertThat(t.out()).contains("rf (category) + iforest on normal rows (hybrid)");
    assertThat(t.err()).contains("left out");
    Result e = run("evaluate", "--model", model.toString(), "--data", test.toString(), "--json", "-");
    assertThat(e.code()).as(e.err()).isZero();
    JsonNode j = new ObjectMapper().readTree(e.out());
    assertThat(j.get("threshold").asDouble()).isEqualTo(0.5);
    assertThat(j.get("roc_auc").asDouble()).isGreaterThan(0.9);
    JsonNode firedBy = j.get("fired_by");
    assertThat(firedBy.get("alerts").get("supervised").get("alerts").asLong()).isPositive();
    // exfiltration was left out of training: the detector catches it too
    JsonNode exfil = firedBy.get("recall").get("data_exfiltration");
    assertThat(exfil.get("either").asDouble()).isGreaterThanOrEqualTo(exfil.get("supervised").asDouble());
    assertThat(exfil.get("detector").asDouble()).isGreaterThan(0.5);

    Path scored = dir.resolve("scored.csv");
    Result d = run("detect", "--model", model.toString(), "--data", test.toString(), "--out", scored.toString());
    assertThat(d.code()).as(d.err()).isZero();
    List<String> lines = Files.readAllLines(scored);
    assertThat(lines.get(0)).endsWith(",score,is_anomaly,anomaly_type,fired_by,predicted_class");
    List<String> values = List.of("none", "supervised", "detector", "both");
    long detectorOnly = 0;
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      String fired = f[f.length - 2];
      assertThat(values).contains(fired);
      assertThat(f[f.length - 4]).isEqualTo(fired.equals("none") ? "0" : "1");
      // the classifier's class is an attack class exactly when it fired
      assertThat(f[f.length - 1].equals("normal")).isEqualTo(!fired.equals("supervised") && !fired.equals("both"));
      detectorOnly += fired.equals("detector") ? 1 : 0;
    }
    assertThat(detectorOnly).isPositive();
    assertThat(run("train", "--data", train.toString(), "--hybrid", "--out", model.toString()).code()).isEqualTo(2);
    assertThat(run("train", "--data", train.toString(), "--supervised", "svm", "--out", model.toString()).code())
        .isEqualTo(2);
  }

  @Test
  void everyCommandHasHelp() {
    for (String c : List.of("generate", "train", "evaluate", "detect", "bench", "serve", "loadtest", "simulate", "watch",
        "report", "demo")) {
      Result r = run(c, "--help");
      assertThat(r.code()).as(c).isZero();
      assertThat(r.out()).as(c).contains("Usage: netanomaly " + c);
    }
    assertThat(run("--help").out()).contains("generate", "train", "evaluate", "detect", "bench", "demo");
  }

  @Test
  void usageErrorsExitWithTwo() {
    assertThat(run("train").code()).isEqualTo(2);
    assertThat(run("no-such-command").code()).isEqualTo(2);
    assertThat(run("train", "--data", "x.csv", "--out", "m.nam", "--contamination", "lots").code()).isEqualTo(2);
    assertThat(run("generate", "--out", "-", "--scenario", "alien_invasion").code()).isEqualTo(2);
  }

  @Test
  void badInputStopsWithALocatedErrorAndExitOne() throws Exception {
    Path bad = dir.resolve("bad.csv");
    Files.writeString(bad, "timestamp,src_ip,dst_ip,src_port,dst_port,protocol,packet_size,duration,flags,bytes_sent,"
        + "bytes_received,packets_sent,packets_received\n"
        + "2026-01-05T00:00:00Z,10.0.0.1,10.0.0.2,40000,443,TCP,100,0.5,SAPF,300,500,3,3\n"
        + "2026-01-05T00:00:01Z,10.0.0.1,10.0.0.2,40000,http,TCP,100,0.5,SAPF,300,500,3,3\n");
    Result r = run("train", "--data", bad.toString(), "--out", dir.resolve("m.nam").toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("bad.csv:3:5").contains("dst_port").contains("http");
    assertThat(dir.resolve("m.nam")).doesNotExist();
  }

  @Test
  void aCorruptModelIsRefusedInOneLine() throws Exception {
    Path m = dir.resolve("m.nam");
    Files.write(m, new byte[] {1, 2, 3, 4});
    Path data = dir.resolve("d.csv");
    run("generate", "--samples", "10", "--out", data.toString());
    Result r = run("evaluate", "--model", m.toString(), "--data", data.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("error: cannot load model:");
    assertThat(r.err().trim().lines()).hasSize(1);
  }
}
