package io.netanomaly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code simulate} → {@code watch} over loopback TCP, and watch on files and stdin, run as a user would. */
@Timeout(120)
class WatchCommandTest {
  @TempDir
  static Path dir;

  static Path model;

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  @BeforeAll
  static void train() {
    Path train = dir.resolve("train.csv");
    model = dir.resolve("model.nam");
    Result g = run("generate", "--samples", "20000", "--seed", "1", "--out", train.toString());
    assertThat(g.code()).as(g.err()).isZero();
    Result t = run("train", "--data", train.toString(), "--out", model.toString(), "--seed", "0", "--threads", "2");
    assertThat(t.code()).as(t.err()).isZero();
  }

  @Test
  void simulateToWatchOverLoopbackPrintsCardsAndExitsAtTheEndOfTheStream() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      StringWriter simErr = new StringWriter();
      // paced to last about 2 s, so the half-second statistics line shows however fast watch is
      Future<Integer> sim = pool.submit(() -> Main.run(new String[] {"simulate", "--port", "0", "--rate", "10000",
          "--count", "20000", "--seed", "7"}, new PrintWriter(new StringWriter(), true), new PrintWriter(simErr, true)));
      int port = SimulateCommandTest.awaitPort(simErr, sim);
      Result w = run("watch", "--model", model.toString(), "--source", "tcp://127.0.0.1:" + port, "--no-reconnect",
          "--stats-interval", "0.5", "--color", "never");
      assertThat(w.code()).as(w.err()).isZero();
      assertThat(sim.get(30, TimeUnit.SECONDS)).as(simErr.toString()).isZero();

      assertThat(w.err()).contains("connected").contains("end of stream").contains("stats: ");
      Matcher fin = Pattern.compile("final: .* \\| 20,000 flows \\| ([\\d,]+) alerts .* \\| 0 malformed").matcher(w.err());
      assertThat(fin.find()).as(w.err()).isTrue();
      int alerts = Integer.parseInt(fin.group(1).replace(",", ""));
      Map<String, Integer> cards = new TreeMap<>();
      Matcher title = Pattern.compile("(?m)^\\+-- ALERT ([A-Z ]+) \\| threat (LOW|MEDIUM|HIGH|CRITICAL)").matcher(w.out());
      while (title.find()) {
        cards.merge(title.group(1), 1, Integer::sum);
      }
      assertThat(cards.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(alerts);
      assertThat(w.out()).doesNotContain("\u001b[").contains("LLM analysis: pending").contains("MITRE ATT&CK");
      // seed 7 injects about 100-200 flows of each scenario in 20,000; these kinds are flagged reliably
      for (String kind : new String[] {"PORT SCAN", "SYN FLOOD", "DATA EXFILTRATION", "LARGE PACKET", "UNKNOWN PROTOCOL"}) {
        assertThat(cards.getOrDefault(kind, 0)).as(kind + " cards in " + cards).isGreaterThanOrEqualTo(50);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void quietWatchOfAFileCountsMalformedLinesAndEndsAtEndOfFile() throws Exception {
    Path flows = dir.resolve("flows.jsonl");
    Result g = run("generate", "--samples", "3000", "--seed", "5", "--out", flows.toString());
    assertThat(g.code()).as(g.err()).isZero();
    Files.writeString(flows, "this is not a flow\n{\"timestamp\":\"x\"}\n", java.nio.file.StandardOpenOption.APPEND);
    Result w = run("watch", "--model", model.toString(), "--source", "file:" + flows, "--quiet", "--stats-interval", "0");
    assertThat(w.code()).as(w.err()).isZero();
    assertThat(w.out()).isEmpty();
    assertThat(w.err()).contains("malformed line #1").contains("malformed line #2").contains("3,000 flows")
        .contains("| 2 malformed");
  }

  @Test
  void watchReadsCsvFromStandardInput() throws Exception {
    Path flows = dir.resolve("stdin.csv");
    Result g = run("generate", "--samples", "1000", "--seed", "6", "--out", flows.toString());
    assertThat(g.code()).as(g.err()).isZero();
    InputStream saved = System.in;
    Result w;
    try {
      System.setIn(new ByteArrayInputStream(Files.readString(flows).getBytes(StandardCharsets.UTF_8)));
      w = run("watch", "--model", model.toString(), "--source", "-", "--color", "always", "--stats-interval", "0");
    } finally {
      System.setIn(saved);
    }
    assertThat(w.code()).as(w.err()).isZero();
    assertThat(w.err()).contains("1,000 flows");
    assertThat(w.out()).contains("\u001b[").contains("ALERT");
  }

  @Test
  void badSourcesAndOptionsAreUsageErrors() {
    assertThat(run("watch", "--model", model.toString(), "--source", "udp://x:1").code()).isEqualTo(2);
    assertThat(run("watch", "--model", model.toString(), "--source", "-", "--batch", "0").code()).isEqualTo(2);
    assertThat(run("watch", "--model", model.toString(), "--source", "-", "--color", "pink").code()).isEqualTo(2);
    Result missing = run("watch", "--model", model.toString(), "--source", "file:" + dir.resolve("none.jsonl"));
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).contains("none.jsonl");
  }
}
