package io.netanomaly.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.netanomaly.llm.ProtocolServer.Behaviour;
import io.netanomaly.llm.ProtocolServer.Protocol;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AnalystResilienceTest {
  private static LlmConfig.Builder ollama(String baseUrl) {
    return LlmConfig.builder().provider(LlmConfig.Provider.OLLAMA).baseUrl(baseUrl).model("llama-test")
        .timeout(Duration.ofSeconds(10)).maxAttempts(1).initialBackoff(Duration.ofMillis(10))
        .maxBackoff(Duration.ofMillis(20));
  }

  private static void awaitHits(ProtocolServer server, int hits) throws InterruptedException {
    for (int i = 0; i < 1_000 && server.hits() < hits; i++) {
      Thread.sleep(10);
    }
    assertThat(server.hits()).isEqualTo(hits);
  }

  @Test
  void slowServerTimesOutWhileAnalyseReturnsAtOnce() throws Exception {
    try (ProtocolServer server = ProtocolServer.start(Protocol.OLLAMA);
        LlmAnalyst analyst = LlmAnalyst.start(ollama(server.baseUrl()).timeout(Duration.ofMillis(300)).build())) {
      server.behaviour = Behaviour.SLOW;
      server.slowMillis = 3_000;

      CompletableFuture<Analysis> first = analyst.analyse(TestAlerts.portScan(1, "10.0.0.5", 87));
      CompletableFuture<Analysis> second = analyst.analyse(TestAlerts.portScan(2, "10.0.0.6", 870));
      assertThat(first).isNotDone();
      assertThat(second).isNotDone();

      Analysis a = first.get(15, TimeUnit.SECONDS);
      assertThat(a.outcome()).isEqualTo(Analysis.Outcome.TIMED_OUT);
      assertThat(a.failureReason()).contains("300 ms");
      assertThat(second.get(15, TimeUnit.SECONDS).outcome()).isEqualTo(Analysis.Outcome.TIMED_OUT);
      LlmStats s = analyst.stats();
      assertThat(s.timedOut()).isEqualTo(2);
      assertThat(s.failed()).isEqualTo(2);
      assertThat(s.succeeded()).isZero();
      assertThat(s.pending()).isZero();
    }
  }

  @Test
  void fullQueueRejectsAtOnceAndCountsIt() throws Exception {
    try (ProtocolServer server = ProtocolServer.start(Protocol.OLLAMA)) {
      server.behaviour = Behaviour.SLOW;
      server.slowMillis = 3_000;
      LlmAnalyst analyst = LlmAnalyst.start(ollama(server.baseUrl()).queueCapacity(1).build());
      CompletableFuture<Analysis> asked;
      CompletableFuture<Analysis> queued;
      try {
        asked = analyst.analyse(TestAlerts.portScan(1, "10.0.0.5", 87));
        awaitHits(server, 1); // the worker holds the first request
        queued = analyst.analyse(TestAlerts.portScan(2, "10.0.0.6", 870));
        CompletableFuture<Analysis> refused = analyst.analyse(TestAlerts.portScan(3, "10.0.0.7", 8700));

        assertThat(queued).isNotDone();
        assertThat(refused).isDone();
        assertThat(refused.join().outcome()).isEqualTo(Analysis.Outcome.REJECTED);
        assertThat(refused.join().failureReason()).contains("queue full");
        LlmStats s = analyst.stats();
        assertThat(s.rejected()).isEqualTo(1);
        assertThat(s.queueDepth()).isEqualTo(1);
        assertThat(s.submitted()).isEqualTo(3);
      } finally {
        analyst.close();
      }
      // closing completes what was still waiting instead of leaving callers hanging
      assertThat(asked.get(1, TimeUnit.SECONDS).outcome()).isEqualTo(Analysis.Outcome.FAILED);
      assertThat(queued.get(1, TimeUnit.SECONDS).failureReason()).contains("closed");
      assertThat(analyst.analyse(TestAlerts.portScan(4, "10.0.0.8", 5)).join().outcome())
          .isEqualTo(Analysis.Outcome.REJECTED);
      assertThat(analyst.stats().pending()).isZero();
    }
  }

  @Test
  void circuitOpensAfterConsecutiveFailuresFailsFastAndClosesWhenTheServerIsBack() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    LlmConfig c = ollama("http://127.0.0.1:" + port).circuitFailureThreshold(2)
        .circuitOpenDuration(Duration.ofSeconds(1)).build();
    try (LlmAnalyst analyst = LlmAnalyst.start(c)) {
      Analysis down1 = analyst.analyse(TestAlerts.portScan(1, "10.0.0.5", 1)).get(15, TimeUnit.SECONDS);
      Analysis down2 = analyst.analyse(TestAlerts.portScan(2, "10.0.0.5", 10)).get(15, TimeUnit.SECONDS);
      assertThat(down1.outcome()).isEqualTo(Analysis.Outcome.FAILED);
      assertThat(down1.failureReason()).contains("connection refused");
      assertThat(down2.outcome()).isEqualTo(Analysis.Outcome.FAILED);
      assertThat(analyst.stats().circuitState()).isEqualTo(CircuitBreaker.State.OPEN);

      CompletableFuture<Analysis> whileOpen = analyst.analyse(TestAlerts.portScan(3, "10.0.0.5", 100));
      assertThat(whileOpen).isDone();
      assertThat(whileOpen.join().outcome()).isEqualTo(Analysis.Outcome.CIRCUIT_OPEN);
      assertThat(whileOpen.join().attempts()).isZero();
      assertThat(analyst.stats().shortCircuited()).isEqualTo(1);

      try (ProtocolServer server = ProtocolServer.start(Protocol.OLLAMA, port)) {
        Thread.sleep(1_100); // let the cool-down pass
        Analysis back = analyst.analyse(TestAlerts.portScan(4, "10.0.0.5", 1000)).get(15, TimeUnit.SECONDS);

        assertThat(back.outcome()).isEqualTo(Analysis.Outcome.ANSWERED);
        assertThat(server.hits()).isEqualTo(1);
        LlmStats s = analyst.stats();
        assertThat(s.circuitState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(s.failed()).isEqualTo(3);
        assertThat(s.succeeded()).isEqualTo(1);
      }
    }
  }

  @Test
  void sameTypeAndSalientFeaturesAreAskedOnce() throws Exception {
    try (ProtocolServer server = ProtocolServer.start(Protocol.OLLAMA);
        LlmAnalyst analyst = LlmAnalyst.start(ollama(server.baseUrl()).build())) {
      Analysis first = analyst.analyse(TestAlerts.portScan(1, "10.0.0.5", 87)).get(15, TimeUnit.SECONDS);
      // another source, same type, same order of magnitude of every top feature
      CompletableFuture<Analysis> same = analyst.analyse(TestAlerts.portScan(2, "192.168.1.20", 93));

      assertThat(first.outcome()).isEqualTo(Analysis.Outcome.ANSWERED);
      assertThat(same).isDone();
      assertThat(same.join().outcome()).isEqualTo(Analysis.Outcome.CACHED);
      assertThat(same.join().text()).isEqualTo(first.text());
      assertThat(server.hits()).isEqualTo(1);

      // ten times more ports is another situation
      Analysis bigger = analyst.analyse(TestAlerts.portScan(3, "10.0.0.5", 870)).get(15, TimeUnit.SECONDS);
      assertThat(bigger.outcome()).isEqualTo(Analysis.Outcome.ANSWERED);
      assertThat(server.hits()).isEqualTo(2);

      // two alike submitted together: the worker finds the first one's answer for the second
      CompletableFuture<Analysis> a = analyst.analyse(TestAlerts.portScan(4, "10.0.0.7", 5000));
      CompletableFuture<Analysis> b = analyst.analyse(TestAlerts.portScan(5, "10.0.0.8", 6000));
      assertThat(a.get(15, TimeUnit.SECONDS).outcome()).isEqualTo(Analysis.Outcome.ANSWERED);
      assertThat(b.get(15, TimeUnit.SECONDS).outcome()).isEqualTo(Analysis.Outcome.CACHED);
      assertThat(server.hits()).isEqualTo(3);
      assertThat(analyst.stats().cacheHits()).isEqualTo(2);
      assertThat(analyst.stats().succeeded()).isEqualTo(3);
    }
  }

  @Test
  void noProviderCompletesAtOnceAsDisabledWithoutThreads() {
    try (LlmAnalyst analyst = LlmAnalyst.start(LlmConfig.builder().build())) {
      CompletableFuture<Analysis> f = analyst.analyse(TestAlerts.portScan(1, "10.0.0.5", 87));

      assertThat(analyst.enabled()).isFalse();
      assertThat(f).isDone();
      assertThat(f.join().outcome()).isEqualTo(Analysis.Outcome.DISABLED);
      assertThat(analyst.stats().submitted()).isZero();
    }
  }
}
