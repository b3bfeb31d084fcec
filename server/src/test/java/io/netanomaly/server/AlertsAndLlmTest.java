package io.netanomaly.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.netanomaly.core.pipeline.DetectionPipeline;
import io.netanomaly.llm.LlmAnalyst;
import io.netanomaly.llm.LlmConfig;
import io.netanomaly.store.AlertStore;
import io.netanomaly.store.CsvIncidentLog;
import io.netanomaly.stream.sink.IncidentLogSink;
import io.netanomaly.stream.sink.LlmSink;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alerts kept in a real SQLite file and served by GET /alerts; the LLM analysis (from a loopback
 * server speaking Ollama's /api/chat) arrives later, lands on the stored alert and in the incident
 * log, and never delays the prediction.
 */
class AlertsAndLlmTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static DetectionPipeline model;

  @TempDir
  Path dir;

  @BeforeAll
  static void train() {
    model = DetectionServerTest.train(3);
  }

  /** A loopback Ollama: answers /api/chat after {@code delayMillis}, or never when negative. */
  static HttpServer ollama(long delayMillis, AtomicInteger calls, CountDownLatch release) throws Exception {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    s.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    s.createContext("/api/chat", ex -> {
      calls.incrementAndGet();
      ex.getRequestBody().readAllBytes();
      try {
        if (delayMillis < 0) {
          release.await(30, TimeUnit.SECONDS);
        } else {
          Thread.sleep(delayMillis);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      String body = "{\"model\":\"llama3.2\",\"created_at\":\"2025-01-01T00:00:00Z\",\"message\":{\"role\":\"assistant\","
          + "\"content\":\"Likely exfiltration: a host uploaded 2 GB to an unfamiliar address. Isolate it.\"},"
          + "\"done\":true,\"done_reason\":\"stop\",\"total_duration\":1,\"prompt_eval_count\":10,\"eval_count\":12}";
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "application/json");
      try {
        ex.sendResponseHeaders(200, b.length);
        ex.getResponseBody().write(b);
      } catch (java.io.IOException e) {
        // the client gave up (timeout); nothing to answer
      }
      ex.close();
    });
    s.start();
    return s;
  }

  static LlmAnalyst analyst(HttpServer ollama, long timeoutMillis) {
    return LlmAnalyst.start(LlmConfig.builder().provider(LlmConfig.Provider.OLLAMA)
        .baseUrl("http://127.0.0.1:" + ollama.getAddress().getPort()).model("llama3.2")
        .timeout(Duration.ofMillis(timeoutMillis)).maxAttempts(1).build());
  }

  @Test
  void alertsAreStoredQueryableAndGetTheirLlmAnalysisLater() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    HttpServer fake = ollama(50, calls, null);
    try (AlertStore store = AlertStore.open(dir.resolve("alerts.db").toString());
        LlmAnalyst analyst = analyst(fake, 10_000);
        CsvIncidentLog csv = CsvIncidentLog.open(dir.resolve("incidents.csv"))) {
      DetectionServer server = new DetectionServer(new LiveModel(model, null, "test"),
          ServerOptions.builder().port(0).build(), store);
      IncidentLogSink incidents = new IncidentLogSink(csv);
      CountDownLatch analysed = new CountDownLatch(1);
      server.addSink(new LlmSink(analyst, a -> {
        if (a.llmAnalysis() != null) {
          store.setLlmAnalysis(a.id(), a.llmAnalysis());
        }
        incidents.accept(List.of(a));
        analysed.countDown();
      }));
      server.start();
      try {
        HttpResponse<String> r = DetectionServerTest.post(server, "/api/v1/predict", DetectionServerTest.UPLOAD);
        assertThat(JSON.readTree(r.body()).get("is_anomaly").asBoolean()).isTrue();
        DetectionServerTest.post(server, "/api/v1/predict", DetectionServerTest.NORMAL);
        server.flushAlerts();
        JsonNode page = JSON.readTree(DetectionServerTest.get(server, "/api/v1/alerts").body());
        assertThat(page.get("alerts").size()).isEqualTo(1);
        long id = page.get("alerts").get(0).get("id").asLong();
        assertThat(JSON.readTree(DetectionServerTest.get(server,
            "/api/v1/alerts?type=data_exfiltration&min_score=0.1&src_ip=10.20.1.2").body()).get("alerts").size())
            .isEqualTo(1);
        assertThat(JSON.readTree(DetectionServerTest.get(server, "/api/v1/alerts?type=port_scan").body())
            .get("alerts").size()).isZero();
        assertThat(DetectionServerTest.get(server, "/api/v1/alerts?min_score=high").statusCode()).isEqualTo(400);
        assertThat(DetectionServerTest.get(server, "/api/v1/alerts/999").statusCode()).isEqualTo(404);
        assertThat(DetectionServerTest.get(server, "/api/v1/alerts/abc").statusCode()).isEqualTo(400);

        assertThat(analysed.await(10, TimeUnit.SECONDS)).isTrue();
        JsonNode stored = JSON.readTree(DetectionServerTest.get(server, "/api/v1/alerts/" + id).body());
        assertThat(stored.get("llm_analysis").asText()).startsWith("Likely exfiltration");
        assertThat(calls.get()).isEqualTo(1);
        List<String> lines = Files.readAllLines(dir.resolve("incidents.csv"));
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).contains("data_exfiltration").contains("Likely exfiltration");
      } finally {
        server.close();
      }
    } finally {
      fake.stop(0);
    }
  }

  @Test
  void aSilentLlmNeverDelaysPredictionsAndTheAlertKeepsItsOwnAnalysis() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    HttpServer fake = ollama(-1, calls, release);
    try (AlertStore store = AlertStore.open(dir.resolve("alerts2.db").toString());
        LlmAnalyst analyst = analyst(fake, 1_000)) {
      DetectionServer server = new DetectionServer(new LiveModel(model, null, "test"),
          ServerOptions.builder().port(0).build(), store);
      CountDownLatch done = new CountDownLatch(3);
      server.addSink(new LlmSink(analyst, a -> done.countDown()));
      server.start();
      try {
        for (int i = 0; i < 3; i++) {
          long t0 = System.nanoTime();
          HttpResponse<String> r = DetectionServerTest.post(server, "/api/v1/predict",
              DetectionServerTest.UPLOAD.replace("00:05:01", "00:05:0" + (i + 2)));
          // the LLM holds every call for 30 s; the prediction must not wait for it
          assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
          assertThat(r.statusCode()).isEqualTo(200);
        }
        server.flushAlerts();
        assertThat(JSON.readTree(DetectionServerTest.get(server, "/api/v1/alerts").body()).get("alerts").size())
            .isEqualTo(3);
        assertThat(done.await(15, TimeUnit.SECONDS)).isTrue();
        JsonNode a = JSON.readTree(DetectionServerTest.get(server, "/api/v1/alerts").body()).get("alerts").get(0);
        assertThat(a.has("llm_analysis")).isFalse();
        assertThat(a.get("explanation").get("threat").get("mitre_technique").asText()).isEqualTo("T1048");
        assertThat(analyst.stats().timedOut()).isPositive();
      } finally {
        release.countDown();
        server.close();
      }
    } finally {
      fake.stop(0);
    }
  }
}
