package io.netanomaly.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netanomaly.core.pipeline.DetectionPipeline;
import io.netanomaly.core.schema.FlowSchema;
import io.netanomaly.core.schema.Row;
import io.netanomaly.core.synth.TrafficSimulator;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST API over real HTTP on loopback. */
class DetectionServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String NORMAL = "{\"timestamp\":\"2026-01-05T00:05:00Z\",\"src_ip\":\"10.20.1.2\","
      + "\"dst_ip\":\"93.184.216.34\",\"src_port\":40000,\"dst_port\":443,\"protocol\":\"TCP\",\"packet_size\":600,"
      + "\"duration\":1.2,\"flags\":\"SAPF\",\"bytes_sent\":2000,\"bytes_received\":9000,\"packets_sent\":10,"
      + "\"packets_received\":12}";
  static final String UPLOAD = "{\"timestamp\":\"2026-01-05T00:05:01Z\",\"src_ip\":\"10.20.1.2\","
      + "\"dst_ip\":\"203.0.113.5\",\"src_port\":40001,\"dst_port\":443,\"protocol\":\"TCP\",\"packet_size\":1400,"
      + "\"duration\":900,\"flags\":\"SAPF\",\"bytes_sent\":2000000000,\"bytes_received\":9000,"
      + "\"packets_sent\":1400000,\"packets_received\":12}";

  @TempDir
  static Path dir;
  static Path modelFile;
  static Path otherModelFile;
  static DetectionServer server;
  static DetectionServer keyed;
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    modelFile = dir.resolve("model.nam");
    otherModelFile = dir.resolve("other.nam");
    train(1).save(modelFile);
    train(2).save(otherModelFile);
    server = new DetectionServer(new LiveModel(DetectionPipeline.load(modelFile), modelFile, "file model.nam"),
        ServerOptions.builder().port(0).maxRecords(50).maxBodyBytes(64 * 1024)
            .corsOrigins(List.of("http://dashboard.example")).build()).start();
    keyed = new DetectionServer(new LiveModel(DetectionPipeline.load(modelFile), modelFile, "file model.nam"),
        ServerOptions.builder().port(0).apiKey("s3cret-key").build()).start();
  }

  static DetectionPipeline train(long seed) {
    TrafficSimulator sim = TrafficSimulator.builder().seed(seed).build();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      rows.add(sim.next().toRow());
    }
    return DetectionPipeline.builder().seed(seed).threads(1).fit(FlowSchema.SCHEMA, rows);
  }

  @AfterAll
  static void stop() {
    server.close();
    keyed.close();
  }

  static HttpResponse<String> post(DetectionServer s, String path, String body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
        .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> get(DetectionServer s, String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
        .timeout(Duration.ofSeconds(10)).GET();
    if (headers.length > 0) {
      b.headers(headers);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void predictAnswersAreGzippedOnlyWhenConfigured() throws Exception {
    String batch = "[" + String.join(",", java.util.Collections.nCopies(30, NORMAL)) + "]";
    HttpResponse<String> plain = post(server, "/api/v1/predict", batch, "Accept-Encoding", "gzip");
    assertThat(plain.statusCode()).isEqualTo(200);
    assertThat(plain.body().length()).isGreaterThan(3_000);
    assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
    try (DetectionServer gz = new DetectionServer(server.model(),
        ServerOptions.builder().port(0).gzipPredictions(true).build()).start()) {
      HttpResponse<byte[]> zipped = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gz.port()
          + "/api/v1/predict")).header("Accept-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofString(batch))
          .build(), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(zipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
      String unzipped = new String(new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(zipped.body()))
          .readAllBytes(), StandardCharsets.UTF_8);
      assertThat(JSON.readTree(unzipped)).hasSize(30);
    }
  }

  @Test
  void requestTimesAreLoggedInMillisecondsWithTwoDecimals() {
    assertThat(DetectionServer.millis(1_214_999)).isEqualTo("1.21");
    assertThat(DetectionServer.millis(1_215_000)).isEqualTo("1.22");
    assertThat(DetectionServer.millis(5_000)).isEqualTo("0.01");
    assertThat(DetectionServer.millis(0)).isEqualTo("0.00");
    assertThat(DetectionServer.millis(12_345_678_900L)).isEqualTo("12345.68");
  }

  @Test
  void predictsOneRecordAndExplainsAnAnomaly() throws Exception {
    HttpResponse<String> r = post(server, "/api/v1/predict", NORMAL);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode n = JSON.readTree(r.body());
    assertThat(n.get("is_anomaly").asBoolean()).isFalse();
    assertThat(n.get("anomaly_type").asText()).isEqualTo("normal");
    assertThat(n.has("score")).isTrue();
    assertThat(n.get("threshold").asDouble()).isPositive();

    JsonNode a = JSON.readTree(post(server, "/api/v1/predict", UPLOAD).body());
    assertThat(a.get("is_anomaly").asBoolean()).isTrue();
    assertThat(a.get("anomaly_type").asText()).isEqualTo("data_exfiltration");
    JsonNode top = a.get("explanation").get("top_features");
    assertThat(top.size()).isPositive();
    assertThat(top.get(0).has("normal_low")).isTrue();
    assertThat(a.get("explanation").get("threat").get("mitre_technique").asText()).isEqualTo("T1048");
  }

  @Test
  void predictsABatchInOrder() throws Exception {
    HttpResponse<String> r = post(server, "/api/v1/predict", "[" + NORMAL + "," + UPLOAD + "]");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode n = JSON.readTree(r.body());
    assertThat(n.isArray()).isTrue();
    assertThat(n.size()).isEqualTo(2);
    assertThat(n.get(1).get("is_anomaly").asBoolean()).isTrue();
  }

  @Test
  void badRequestsGetJsonNamingWhatWasWrong() throws Exception {
    HttpResponse<String> r = post(server, "/api/v1/predict", "{\"timestamp\":");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(r.body()).get("error").asText()).startsWith("malformed JSON");

    r = post(server, "/api/v1/predict", "[" + NORMAL + "," + NORMAL.replace("\"dst_port\":443", "\"dst_port\":\"http\"") + "]");
    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode e = JSON.readTree(r.body());
    assertThat(e.get("field").asText()).isEqualTo("dst_port");
    assertThat(e.get("value").asText()).isEqualTo("http");
    assertThat(e.get("index").asInt()).isEqualTo(1);
    assertThat(e.get("expected").asText()).contains("port");

    r = post(server, "/api/v1/predict", NORMAL.replace("\"protocol\":\"TCP\",", ""));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(r.body()).get("field").asText()).isEqualTo("protocol");

    r = post(server, "/api/v1/predict", "42");
    assertThat(r.statusCode()).isEqualTo(400);
    r = post(server, "/api/v1/predict", "");
    assertThat(r.statusCode()).isEqualTo(400);
    r = post(server, "/api/v1/predict", "[]");
    assertThat(r.statusCode()).isEqualTo(400);
  }

  @Test
  void malformedJsonThenTheRecordCountWinOverABadFieldAnywhereInTheBody() throws Exception {
    String bad = NORMAL.replace("\"dst_port\":443", "\"dst_port\":\"http\"");
    HttpResponse<String> r = post(server, "/api/v1/predict", "[" + bad + ",\n" + NORMAL + ",\n {\"timestamp\": x}]");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(r.body()).get("error").asText()).isEqualTo("malformed JSON at line 3, column 16");

    StringBuilder b = new StringBuilder("[").append(bad);
    for (int i = 0; i < 60; i++) {
      b.append(',').append(NORMAL);
    }
    r = post(server, "/api/v1/predict", b.append(']').toString());
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(JSON.readTree(r.body()).get("error").asText()).isEqualTo("too many records: 61");

    r = post(server, "/api/v1/predict", "[" + NORMAL + ", [1, {\"a\": \"\\u00e9\"}], " + bad + "]");
    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode e = JSON.readTree(r.body());
    assertThat(e.get("error").asText()).isEqualTo(
        "record 1: field '?': got '[1,{\"a\":\"\u00e9\"}]', expected a JSON object with the model's fields");
    assertThat(e.get("index").asInt()).isEqualTo(1);

    r = post(server, "/api/v1/predict", "\"unterminated");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(r.body()).get("error").asText()).startsWith("malformed JSON at line 1");
  }

  @Test
  void limitsOnRecordsAndBodySize() throws Exception {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < 51; i++) {
      b.append(i == 0 ? "" : ",").append(NORMAL);
    }
    HttpResponse<String> r = post(server, "/api/v1/predict", b.append("]").toString());
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(JSON.readTree(r.body()).get("expected").asText()).contains("50");
    r = post(server, "/api/v1/predict", "\"" + "x".repeat(100_000) + "\"");
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(r.headers().firstValue("content-type").orElse("")).contains("json");
  }

  @Test
  void unknownEndpointsAndMethodsAnswerJson() throws Exception {
    HttpResponse<String> r = get(server, "/api/v1/nope");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.headers().firstValue("content-type").orElse("")).contains("json");
    assertThat(JSON.readTree(r.body()).get("error").asText()).contains("/api/v1/nope");
    r = get(server, "/api/v1/predict");
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(JSON.readTree(r.body()).has("error")).isTrue();
  }

  @Test
  void randomGarbageNeverGetsAServerError() throws Exception {
    SplittableRandom rnd = new SplittableRandom(7);
    String[] pieces = {"{", "}", "[", "]", "\"", ":", ",", "null", "true", "-1e999", "\"dst_port\"", "\"timestamp\"",
        "\\u0000", "NaN", "\"10.0.0.1\"", "{\"src_ip\":", "9".repeat(40), "\u00ff", " "};
    for (int i = 0; i < 200; i++) {
      StringBuilder body = new StringBuilder();
      int n = rnd.nextInt(1, 30);
      for (int k = 0; k < n; k++) {
        body.append(pieces[rnd.nextInt(pieces.length)]);
      }
      HttpResponse<String> r = post(server, "/api/v1/predict", body.toString());
      assertThat(r.statusCode()).as(body.toString()).isLessThan(500);
      assertThat(JSON.readTree(r.body()).isObject() || JSON.readTree(r.body()).isArray()).isTrue();
    }
  }

  @Test
  void postNeedsTheApiKeyWhenOneIsSet() throws Exception {
    assertThat(post(keyed, "/api/v1/predict", NORMAL).statusCode()).isEqualTo(401);
    assertThat(post(keyed, "/api/v1/predict", NORMAL, "X-API-Key", "wrong").statusCode()).isEqualTo(401);
    assertThat(post(keyed, "/api/v1/predict", NORMAL, "X-API-Key", "s3cret-key").statusCode()).isEqualTo(200);
    assertThat(post(keyed, "/api/v1/predict", NORMAL, "Authorization", "Bearer s3cret-key").statusCode())
        .isEqualTo(200);
    assertThat(get(keyed, "/api/v1/model").statusCode()).isEqualTo(200);
    assertThat(get(keyed, "/health").statusCode()).isEqualTo(200);
  }

  @Test
  void corsIsOnlyForConfiguredOrigins() throws Exception {
    HttpResponse<String> ok = get(server, "/api/v1/model", "Origin", "http://dashboard.example");
    assertThat(ok.headers().firstValue("access-control-allow-origin")).contains("http://dashboard.example");
    HttpResponse<String> other = get(server, "/api/v1/model", "Origin", "http://evil.example");
    assertThat(other.headers().firstValue("access-control-allow-origin")).isEmpty();
    HttpResponse<String> none = get(keyed, "/api/v1/model", "Origin", "http://dashboard.example");
    assertThat(none.headers().firstValue("access-control-allow-origin")).isEmpty();
  }

  @Test
  void corsPreflightIsAnsweredForConfiguredOrigins() throws Exception {
    HttpRequest pre = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/v1/predict"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "http://dashboard.example")
        .header("Access-Control-Request-Method", "POST").timeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> r = HTTP.send(pre, HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.headers().firstValue("access-control-allow-methods").orElse("")).contains("POST");
  }

  @Test
  void modelDescribesSchemaFeaturesAndThreshold() throws Exception {
    JsonNode m = JSON.readTree(get(server, "/api/v1/model").body());
    assertThat(m.get("schema").get("name").asText()).isEqualTo("flow");
    assertThat(m.get("features").size()).isPositive();
    assertThat(m.get("threshold").get("value").asDouble()).isPositive();
    assertThat(m.get("training").get("rows").asLong()).isEqualTo(5_000);
    JsonNode api = JSON.readTree(get(server, "/api/v1/openapi.json").body());
    // every API route the server answers is described
    assertThat(api.get("paths").fieldNames()).toIterable().contains("/api/v1/predict", "/api/v1/model",
        "/api/v1/model/reload", "/api/v1/alerts", "/api/v1/alerts/summary", "/api/v1/alerts/{id}",
        "/api/v1/alerts/stream", "/health", "/ready", "/metrics");
  }

  @Test
  void reloadSwapsTheModelAndABadFileKeepsTheOldOne() throws Exception {
    DetectionServer s = new DetectionServer(new LiveModel(DetectionPipeline.load(modelFile), modelFile, "file a"),
        ServerOptions.builder().port(0).build()).start();
    try {
      double before = JSON.readTree(get(s, "/api/v1/model").body()).get("threshold").get("value").asDouble();
      HttpResponse<String> r = post(s, "/api/v1/model/reload",
          JSON.createObjectNode().put("path", otherModelFile.toString()).toString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      double after = JSON.readTree(get(s, "/api/v1/model").body()).get("threshold").get("value").asDouble();
      assertThat(after).isNotEqualTo(before);
      Path broken = dir.resolve("broken.nam");
      Files.write(broken, new byte[] {1, 2, 3});
      r = post(s, "/api/v1/model/reload", JSON.createObjectNode().put("path", broken.toString()).toString());
      assertThat(r.statusCode()).isEqualTo(422);
      assertThat(JSON.readTree(r.body()).get("error").asText()).contains("cannot load model");
      assertThat(JSON.readTree(get(s, "/api/v1/model").body()).get("threshold").get("value").asDouble())
          .isEqualTo(after);
      assertThat(post(s, "/api/v1/predict", NORMAL).statusCode()).isEqualTo(200);
    } finally {
      s.close();
    }
  }

  @Test
  void theLiveFeedStreamsAlertsAsTheyHappen() throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/v1/alerts/stream"))
        .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(10)).GET().build();
    HttpResponse<java.io.InputStream> stream = HTTP.send(req, HttpResponse.BodyHandlers.ofInputStream());
    try (BufferedReader in = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
      CompletableFuture<String> alert = CompletableFuture.supplyAsync(() -> {
        try {
          String line;
          boolean alertEvent = false;
          while ((line = in.readLine()) != null) {
            if (line.equals("event: alert")) {
              alertEvent = true;
            } else if (alertEvent && line.startsWith("data:")) {
              return line.substring(5).trim();
            }
          }
          return null;
        } catch (java.io.IOException e) {
          return null;
        }
      });
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (server.feed().clients() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      post(server, "/api/v1/predict", UPLOAD);
      String data = alert.get(2, TimeUnit.SECONDS);
      JsonNode a = JSON.readTree(data);
      assertThat(a.get("anomaly_type").asText()).isEqualTo("data_exfiltration");
      assertThat(a.get("dst_ip").asText()).isEqualTo("203.0.113.5");
    }
  }

  @Test
  void metricsCountRequestsAndAlertsByType() throws Exception {
    post(server, "/api/v1/predict", UPLOAD);
    String m = get(server, "/metrics").body();
    assertThat(m).contains("netanomaly_alerts_total{type=\"data_exfiltration\"}");
    assertThat(m).contains("netanomaly_http_requests_seconds_bucket");
    assertThat(m).contains("route=\"/api/v1/predict\"");
    assertThat(m).contains("netanomaly_records_scored_total");
  }
}
