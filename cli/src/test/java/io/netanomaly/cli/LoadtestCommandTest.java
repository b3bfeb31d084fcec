package io.netanomaly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netanomaly.server.DetectionServer;
import io.netanomaly.server.LiveModel;
import io.netanomaly.server.ServerOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load tester against a real server on loopback, with bounded request counts. */
class LoadtestCommandTest {
  static DetectionServer server;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    server = new DetectionServer(new LiveModel(ServeCommand.defaultModel(), null, "test"),
        ServerOptions.builder().port(0).build()).start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new String[] {Integer.toString(code), out.toString(), err.toString()};
  }

  @Test
  void reportsThroughputLatencyAndStatusAsJsonAndLogsTheRun() throws Exception {
    Path log = dir.resolve("lt.log");
    String url = "http://127.0.0.1:" + server.port() + "/api/v1/predict";
    String[] r = run("loadtest", "--url", url, "--concurrency", "4", "--requests", "400", "--anomalous-share", "0.5",
        "--json", "--log", log.toString());
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    JsonNode j = new ObjectMapper().readTree(r[1]);
    assertThat(j.get("requests").asLong()).isEqualTo(400);
    assertThat(j.get("records").asLong()).isEqualTo(400);
    assertThat(j.get("status").get("200").asLong()).isEqualTo(400);
    assertThat(j.get("requests_per_second").asDouble()).isPositive();
    JsonNode lat = j.get("latency_ms");
    assertThat(lat.get("p50").asDouble()).isPositive().isLessThanOrEqualTo(lat.get("p99").asDouble());
    assertThat(lat.get("p99").asDouble()).isLessThanOrEqualTo(lat.get("max").asDouble());
    assertThat(j.get("anomalies_reported").asLong()).isPositive();
    assertThat(Files.readAllLines(log)).hasSize(1);
  }

  @Test
  void batchesCountRecordsAndErrorsGiveExitOne() throws Exception {
    Path log = dir.resolve("lt.log");
    String url = "http://127.0.0.1:" + server.port() + "/api/v1/predict";
    String[] r = run("loadtest", "--url", url, "--concurrency", "2", "--requests", "20", "--batch", "50",
        "--log", log.toString());
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    assertThat(r[1]).contains("20 requests (1,000 records)").contains("p99").contains("{200=20}");
    String[] bad = run("loadtest", "--url", "http://127.0.0.1:" + server.port() + "/api/v1/nope", "--requests", "5",
        "--concurrency", "1", "--log", log.toString());
    assertThat(bad[0]).isEqualTo("1");
    assertThat(bad[1]).contains("HTTP 404");
    assertThat(run("loadtest", "--url", "ftp://x", "--requests", "1")[0]).isEqualTo("2");
  }

  @Test
  void aServerThatIsNotThereGivesCountedConnectionErrorsNotAHang() throws Exception {
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort(); // free again once closed: nothing listens there
    }
    String[] r = run("loadtest", "--url", "http://127.0.0.1:" + closed + "/api/v1/predict", "--requests", "200",
        "--concurrency", "8", "--json", "--log", dir.resolve("lt.log").toString());
    assertThat(r[0]).as(r[2]).isEqualTo("1");
    com.fasterxml.jackson.databind.JsonNode j = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r[1]);
    assertThat(j.get("requests").asLong()).isEqualTo(200);
    assertThat(j.get("errors").fieldNames()).toIterable().anyMatch(e -> e.contains("Connect"));
  }

  @Test
  void aTargetRateIsReportedAndEveryRequestIsSent() throws Exception {
    String url = "http://127.0.0.1:" + server.port() + "/api/v1/predict";
    String[] r = run("loadtest", "--url", url, "--concurrency", "4", "--requests", "100", "--rate", "400", "--json",
        "--log", dir.resolve("lt.log").toString());
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    com.fasterxml.jackson.databind.JsonNode j = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r[1]);
    assertThat(j.get("requests").asLong()).isEqualTo(100);
    assertThat(j.get("target_rate").asDouble()).isEqualTo(400.0);
    assertThat(j.get("status").get("200").asLong()).isEqualTo(100);
  }

  @Test
  void warmUpRequestsReachTheServerButNoFigure() throws Exception {
    String url = "http://127.0.0.1:" + server.port() + "/api/v1/predict";
    long before = scoredByServer();
    String[] r = run("loadtest", "--url", url, "--concurrency", "4", "--requests", "50", "--warmup", "0.5", "--json",
        "--log", dir.resolve("lt.log").toString());
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    com.fasterxml.jackson.databind.JsonNode j = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r[1]);
    assertThat(j.get("requests").asLong()).isEqualTo(50);
    assertThat(j.get("status").get("200").asLong()).isEqualTo(50);
    assertThat(j.get("warmup_seconds").asDouble()).isEqualTo(0.5);
    // half a second of warm-up on loopback is far more than the 50 counted requests
    assertThat(scoredByServer() - before).isGreaterThan(100);
    assertThat(run("loadtest", "--url", url, "--warmup", "-1", "--requests", "1")[0]).isEqualTo("2");
  }

  /** The server's count of scored records, from its Prometheus metrics. */
  private static long scoredByServer() throws Exception {
    java.net.http.HttpResponse<String> m = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    java.util.regex.Matcher x = java.util.regex.Pattern.compile("(?m)^netanomaly_records_scored_total\\S* ([0-9.eE+]+)$")
        .matcher(m.body());
    return x.find() ? (long) Double.parseDouble(x.group(1)) : 0;
  }
}
