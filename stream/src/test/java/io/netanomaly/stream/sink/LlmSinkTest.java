package io.netanomaly.stream.sink;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpServer;
import io.netanomaly.core.explain.Alert;
import io.netanomaly.core.explain.Explanation;
import io.netanomaly.core.explain.FeatureContribution;
import io.netanomaly.core.explain.ThreatCatalog;
import io.netanomaly.llm.LlmAnalyst;
import io.netanomaly.llm.LlmConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The LLM sink against a loopback Ollama that takes requests and does not answer. */
class LlmSinkTest {

  private static Alert alert(int i) {
    Explanation e = new Explanation(0.9, 0.5, "port_scan",
        List.of(new FeatureContribution("win_distinct_dst_ports", 80 + i, 1, 11, 0.7)),
        ThreatCatalog.assess("port_scan", 0.9, 0.5));
    return new Alert(i + 1, 1_700_000_000_000L, 1_700_000_000_000L + i, "10.0.0." + i, "10.0.1.1", 40_000, 22, "TCP",
        60, 0.01, "iforest", e, Map.of(), null);
  }

  @Test
  void aFloodTheProviderCannotTakeIsDeliveredAtOnceAndSummedUpInOneLogLine() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    HttpServer ollama = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    ollama.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    ollama.createContext("/api/chat", ex -> {
      calls.incrementAndGet();
      ex.getRequestBody().readAllBytes();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ex.sendResponseHeaders(500, -1);
      ex.close();
    });
    ollama.start();
    Logger log = (Logger) LoggerFactory.getLogger("netanomaly.llm");
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    log.addAppender(lines);
    LlmAnalyst analyst = LlmAnalyst.start(LlmConfig.builder().provider(LlmConfig.Provider.OLLAMA)
        .baseUrl("http://127.0.0.1:" + ollama.getAddress().getPort()).model("llama3.2")
        .timeout(Duration.ofSeconds(20)).maxAttempts(1).queueCapacity(2).workers(1).build());
    try {
      List<Alert> delivered = java.util.Collections.synchronizedList(new ArrayList<>());
      LlmSink sink = new LlmSink(analyst, delivered::add);
      List<Alert> flood = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        flood.add(alert(i));
      }
      sink.accept(flood);
      // one call in flight, two queued: the rest are refused at once and keep their own analysis
      assertThat(delivered).hasSizeGreaterThanOrEqualTo(196).allMatch(a -> a.llmAnalysis() == null);
      assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage)
          .filteredOn(m -> m.startsWith("LLM not asked about")).hasSize(1);
      assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage)
          .noneMatch(m -> m.contains("REJECTED"));
      assertThat(analyst.stats().rejected()).isGreaterThanOrEqualTo(196);
    } finally {
      release.countDown();
      analyst.close();
      ollama.stop(0);
      log.detachAppender(lines);
    }
  }
}
