package io.netanomaly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class SimulateCommandTest {
  private static final Pattern LISTENING = Pattern.compile("on 127\\.0\\.0\\.1:(\\d+)");

  /** Waits for the "streaming ... on 127.0.0.1:PORT" line of a command running on another thread. */
  static int awaitPort(StringWriter err, Future<?> command) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      Matcher m = LISTENING.matcher(err.toString());
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
      assertThat(command.isDone()).as("simulate ended early: %s", err).isFalse();
      Thread.sleep(10);
    }
    throw new AssertionError("simulate did not start: " + err);
  }

  @Test
  void servesACountedStreamToATcpClientAndExits() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      StringWriter err = new StringWriter();
      Future<Integer> sim = pool.submit(() -> Main.run(new String[] {"simulate", "--port", "0", "--rate", "0",
          "--count", "700", "--seed", "3"}, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true)));
      int port = awaitPort(err, sim);
      List<String> lines;
      try (Socket s = new Socket("127.0.0.1", port);
          BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
        lines = in.lines().collect(Collectors.toList());
      }
      assertThat(lines).hasSize(700);
      ObjectMapper json = new ObjectMapper();
      for (String line : lines) {
        JsonNode n = json.readTree(line);
        assertThat(n.has("src_ip") && n.has("dst_port") && n.has("is_anomaly") && n.has("anomaly_type")).isTrue();
      }
      assertThat(sim.get(30, TimeUnit.SECONDS)).as(err.toString()).isZero();
      assertThat(err.toString()).contains("sent 700 flows");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void writesToStandardOutputWithOutDash() throws Exception {
    PrintStream saved = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int code;
    StringWriter err = new StringWriter();
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      code = Main.run(new String[] {"simulate", "--out", "-", "--count", "250", "--rate", "0", "--seed", "2",
          "--scenario", "port_scan"}, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
    } finally {
      System.setOut(saved);
    }
    assertThat(code).as(err.toString()).isZero();
    List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().collect(Collectors.toList());
    assertThat(lines).hasSize(250).allMatch(l -> l.startsWith("{\"timestamp\":"));
    assertThat(lines).filteredOn(l -> l.contains("\"is_anomaly\":1")).allMatch(l -> l.contains("port_scan"));
  }

  @Test
  void badOptionsAreUsageErrors() {
    for (String[] args : new String[][] {{"simulate", "--out", "flows.jsonl"}, {"simulate", "--rate", "-1"},
        {"simulate", "--scenario", "nope"}, {"simulate", "--port", "70000"}}) {
      StringWriter err = new StringWriter();
      int code = Main.run(args, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
      assertThat(code).as(String.join(" ", args) + ": " + err).isEqualTo(2);
    }
  }
}
