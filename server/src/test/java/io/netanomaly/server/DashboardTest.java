package io.netanomaly.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netanomaly.core.pipeline.DetectionPipeline;
import io.netanomaly.core.synth.TrafficSimulator;
import io.netanomaly.store.AlertStore;
import io.netanomaly.stream.WatchLoop;
import io.netanomaly.stream.WatchOptions;
import io.netanomaly.stream.simulate.FlowFeed;
import io.netanomaly.stream.source.MalformedLines;
import io.netanomaly.stream.source.SourceOptions;
import io.netanomaly.stream.source.Sources;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's assets, its data endpoints and the stream sink, over real HTTP on loopback. */
class DashboardTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dir;
  static AlertStore store;
  static DetectionServer server;

  @BeforeAll
  static void start() throws Exception {
    DetectionPipeline model = DetectionServerTest.train(4);
    Path report = Files.createDirectories(dir.resolve("report"));
    Files.writeString(report.resolve("index.html"), "<!doctype html><title>evaluation report</title>");
    store = AlertStore.open(dir.resolve("alerts.db").toString());
    server = new DetectionServer(new LiveModel(model, null, "test model"),
        ServerOptions.builder().port(0).reportDirectory(report).llm("ollama llama3.2 at http://127.0.0.1:1").build(),
        store).start();
  }

  @AfterAll
  static void stop() {
    server.close();
    store.close();
  }

  @Test
  void servesThePageItsScriptsAndChartJsFromTheJarWithAStrictPolicy() throws Exception {
    HttpResponse<String> page = DetectionServerTest.get(server, "/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
        p -> assertThat(p).contains("default-src 'self'").doesNotContain("unsafe-inline"));
    // every script and stylesheet the page names is served (this catches a WebJar version bump)
    Matcher m = Pattern.compile("(?:src|href)=\"(/[^\"]+)\"").matcher(page.body());
    List<String> assets = new ArrayList<>();
    while (m.find()) {
      assets.add(m.group(1));
    }
    assertThat(assets).contains("/app.js", "/app.css").anyMatch(a -> a.startsWith("/webjars/chart.js/"));
    for (String a : assets) {
      HttpResponse<String> r = DetectionServerTest.get(server, a);
      assertThat(r.statusCode()).as(a).isEqualTo(200);
      assertThat(r.body()).as(a).hasSizeGreaterThan(a.contains("chart.umd") ? 100_000 : 200);
    }
    assertThat(page.body()).doesNotContain("http://", "https://"); // nothing from the internet
    assertThat(DetectionServerTest.get(server, "/report/index.html").body()).contains("evaluation report");
  }

  @Test
  void theModelDescribesAFormForItsSchema() throws Exception {
    JsonNode m = JSON.readTree(DetectionServerTest.get(server, "/api/v1/model").body());
    assertThat(m.get("report_url").asText()).isEqualTo("/report/index.html");
    assertThat(m.get("llm").asText()).isEqualTo("ollama llama3.2 at http://127.0.0.1:1");
    assertThat(m.get("alert_store").asText()).contains("alerts.db");
    List<String> names = new ArrayList<>();
    m.get("form").forEach(f -> names.add(f.get("name").asText()));
    // every input field of the flow schema, the label columns left out
    assertThat(names).containsExactly("timestamp", "src_ip", "dst_ip", "src_port", "dst_port", "protocol",
        "packet_size", "duration", "flags", "bytes_sent", "bytes_received", "packets_sent", "packets_received");
    JsonNode protocol = field(m, "protocol");
    assertThat(protocol.get("type").asText()).isEqualTo("categorical");
    assertThat(protocol.get("choices").get(0).asText()).isEqualTo("TCP");
    JsonNode size = field(m, "packet_size");
    assertThat(size.get("type").asText()).isEqualTo("numeric");
    assertThat(size.get("typical").asDouble()).isBetween(50.0, 1500.0);
    assertThat(field(m, "dst_port").get("choices")).isNotEmpty();
    assertThat(field(m, "src_ip").has("choices")).isFalse();
  }

  private static JsonNode field(JsonNode model, String name) {
    for (JsonNode f : model.get("form")) {
      if (f.get("name").asText().equals(name)) {
        return f;
      }
    }
    throw new AssertionError("no form field " + name);
  }

  @Test
  void aWatchedStreamsAlertsAreStoredSummarisedAndServedLikePredictedOnes() throws Exception {
    DetectionPipeline model = server.model().current().model();
    Path flows = dir.resolve("flows.jsonl");
    try (java.io.OutputStream out = Files.newOutputStream(flows)) {
      FlowFeed.write(TrafficSimulator.builder().seed(11).anomalyRatio(0.2).build(), out, 0, 2_000, () -> false);
    }
    long before = store.count();
    MalformedLines malformed = new MalformedLines(line -> { });
    WatchLoop loop = new WatchLoop(model, Sources.open("file:" + flows, SourceOptions.defaults(), malformed, l -> { }),
        List.of(server.alertSink()), new WatchOptions(256, 50, 1024, 0), malformed, l -> { }, l -> { });
    loop.run();
    assertThat(loop.stats().flows()).isEqualTo(2_000);
    assertThat(loop.stats().alerts()).isGreaterThan(50);
    // closing the sink at the end of the loop waited until every alert was stored
    assertThat(store.count()).isEqualTo(before + loop.stats().alerts());

    JsonNode s = JSON.readTree(DetectionServerTest.get(server, "/api/v1/alerts/summary?top=3&bins=10").body());
    assertThat(s.get("total").asLong()).isEqualTo(store.count());
    assertThat(s.get("top_src_ip")).hasSizeLessThanOrEqualTo(3);
    assertThat(s.get("scores").get("counts")).hasSize(10);
    long binned = 0;
    for (JsonNode c : s.get("scores").get("counts")) {
      binned += c.asLong();
    }
    assertThat(binned).isEqualTo(store.count());
    String type = s.get("by_type").get(0).get("type").asText();
    JsonNode one = JSON.readTree(DetectionServerTest.get(server, "/api/v1/alerts/summary?type=" + type).body());
    assertThat(one.get("total").asLong()).isEqualTo(s.get("by_type").get(0).get("count").asLong());
    // the metrics count them as alerts too
    assertThat(DetectionServerTest.get(server, "/metrics").body()).contains("netanomaly_alerts_total{type=\"" + type + "\"}");
  }

  @Test
  void badSummaryParametersAreClientErrorsNamingTheParameter() throws Exception {
    for (String q : List.of("buckets=0", "bins=1.5", "top=x", "min_score=abc", "since=yesterday")) {
      HttpResponse<String> r = DetectionServerTest.get(server, "/api/v1/alerts/summary?" + q);
      assertThat(r.statusCode()).as(q).isEqualTo(400);
      assertThat(JSON.readTree(r.body()).get("field").asText()).as(q).isEqualTo(q.substring(0, q.indexOf('=')));
    }
  }
}
