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

  @Test
  void theFormFollowsAnyTablesSchemaAWebLogForInstance() throws Exception {
    // a web-server log: a time, an HTTP method and status, a client address, response bytes
    Path log = dir.resolve("weblog.csv");
    StringBuilder csv = new StringBuilder("time,client,method,status,bytes\n");
    java.util.SplittableRandom r = new java.util.SplittableRandom(5);
    String[] methods = {"GET", "GET", "GET", "POST", "HEAD"};
    for (int i = 0; i < 3_000; i++) {
      csv.append(java.time.Instant.ofEpochSecond(1_767_600_000L + i * 7L)).append(",10.1.0.").append(r.nextInt(200))
          .append(',').append(methods[r.nextInt(methods.length)]).append(',').append(r.nextInt(20) == 0 ? "404" : "200")
          .append(',').append(200 + r.nextInt(5_000)).append('\n');
    }
    Files.writeString(log, csv);
    List<io.netanomaly.core.schema.Row> rows = new ArrayList<>();
    io.netanomaly.core.schema.Schema schema;
    try (io.netanomaly.core.io.RowSource src = io.netanomaly.core.io.Readers.open(log,
        io.netanomaly.core.io.ReadOptions.builder().format(io.netanomaly.core.io.DataFormat.CSV).build())) {
      src.forEachRemaining(rows::add);
      schema = src.schema();
    }
    DetectionPipeline model = DetectionPipeline.builder().seed(0).threads(1).fit(schema, rows);
    try (DetectionServer web = new DetectionServer(new LiveModel(model, null, "web log"),
        ServerOptions.builder().port(0).build()).start()) {
      JsonNode m = JSON.readTree(DetectionServerTest.get(web, "/api/v1/model").body());
      java.util.Map<String, String> types = new java.util.LinkedHashMap<>();
      m.get("form").forEach(f -> types.put(f.get("name").asText(), f.get("type").asText()));
      assertThat(types).containsExactly(java.util.Map.entry("time", "timestamp"), java.util.Map.entry("client", "address"),
          java.util.Map.entry("method", "categorical"), java.util.Map.entry("status", schema.field(3).type().name()
              .toLowerCase(java.util.Locale.ROOT)), java.util.Map.entry("bytes", "numeric"));
      assertThat(field(m, "method").get("choices").get(0).asText()).isEqualTo("GET");
      // what the form would send: a record of those fields
      HttpResponse<String> p = DetectionServerTest.post(web, "/api/v1/predict",
          "{\"time\":\"2026-01-05T10:00:00Z\",\"client\":\"10.1.0.7\",\"method\":\"GET\",\"status\":200,\"bytes\":1200}");
      assertThat(p.statusCode()).as(p.body()).isEqualTo(200);
      assertThat(JSON.readTree(p.body()).get("is_anomaly").isBoolean()).isTrue();
    }
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
