package io.netanomaly.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.netanomaly.llm.ProtocolServer.Behaviour;
import io.netanomaly.llm.ProtocolServer.Protocol;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OllamaProtocolTest {
  private ProtocolServer server;

  @BeforeEach
  void startServer() throws Exception {
    server = ProtocolServer.start(Protocol.OLLAMA);
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private LlmConfig.Builder config(boolean streaming) {
    return LlmConfig.builder().provider(LlmConfig.Provider.OLLAMA).baseUrl(server.baseUrl()).model("llama-test")
        .maxTokens(123).temperature(0.3).timeout(Duration.ofSeconds(10)).streaming(streaming).maxAttempts(1);
  }

  private Analysis analyse(LlmConfig c) throws Exception {
    try (LlmAnalyst analyst = LlmAnalyst.start(c)) {
      return analyst.analyse(TestAlerts.portScan(7, "10.0.0.5", 87)).get(15, TimeUnit.SECONDS);
    }
  }

  @Test
  void nonStreamedJsonAnswerIsReturnedAndTheRequestCarriesModelMessagesAndOptions() throws Exception {
    Analysis a = analyse(config(false).build());

    assertThat(a.outcome()).isEqualTo(Analysis.Outcome.ANSWERED);
    assertThat(a.text()).isEqualTo(ProtocolServer.ANSWER);
    assertThat(a.provider()).isEqualTo("ollama");
    assertThat(a.model()).isEqualTo("llama-test");
    assertThat(a.attempts()).isEqualTo(1);
    assertThat(server.received()).hasSize(1);
    ProtocolServer.Received r = server.received().get(0);
    assertThat(r.method).isEqualTo("POST");
    assertThat(r.path).isEqualTo("/api/chat");
    assertThat(r.authorization).isNull();
    assertThat(r.body.path("model").asText()).isEqualTo("llama-test");
    assertThat(r.body.path("stream").asBoolean(true)).isFalse();
    assertThat(r.body.path("options").path("num_predict").asInt()).isEqualTo(123);
    assertThat(r.body.path("options").path("temperature").asDouble()).isEqualTo(0.3);
    assertThat(r.body.path("messages")).hasSize(2);
    assertThat(r.body.path("messages").get(0).path("role").asText()).isEqualTo("system");
    assertThat(r.body.path("messages").get(0).path("content").asText()).isEqualTo(PromptBuilder.SYSTEM_PROMPT);
    assertThat(r.body.path("messages").get(1).path("role").asText()).isEqualTo("user");
    assertThat(r.body.path("messages").get(1).path("content").asText())
        .contains("port_scan", "win_distinct_dst_ports = 87", "T1046", "TCP 10.0.0.5:51234 -> 10.0.0.9:22");
  }

  @Test
  void streamedNdjsonAnswerIsJoinedFromItsChunks() throws Exception {
    Analysis a = analyse(config(true).build());

    assertThat(a.outcome()).isEqualTo(Analysis.Outcome.ANSWERED);
    assertThat(a.text()).isEqualTo(ProtocolServer.ANSWER);
    ProtocolServer.Received r = server.received().get(0);
    assertThat(r.body.path("stream").asBoolean(false)).isTrue();
    assertThat(r.body.path("options").path("num_predict").asInt()).isEqualTo(123);
  }

  @Test
  void streamCutOffBeforeTheDoneLineEndsWithoutAnAnswerAtTheDeadline() throws Exception {
    server.behaviour = Behaviour.TRUNCATED;

    // LangChain4j's Ollama stream reports neither completion nor error when the body ends without
    // its done line; the analyst's own per-call deadline ends the wait
    Analysis a = analyse(config(true).timeout(Duration.ofMillis(400)).build());

    assertThat(a.outcome()).isEqualTo(Analysis.Outcome.TIMED_OUT);
    assertThat(a.text()).isNull();
    assertThat(server.hits()).isEqualTo(1);
  }

  @Test
  void jsonCutHalfWayIsAFailure() throws Exception {
    server.behaviour = Behaviour.TRUNCATED;

    Analysis a = analyse(config(false).build());

    assertThat(a.outcome()).isEqualTo(Analysis.Outcome.FAILED);
    assertThat(a.failureReason()).startsWith("answer is not valid JSON");
  }

  @Test
  void garbageBodyIsAFailureCountedWithoutAnException() throws Exception {
    server.behaviour = Behaviour.GARBAGE;
    try (LlmAnalyst analyst = LlmAnalyst.start(config(false).build())) {
      Analysis a = analyst.analyse(TestAlerts.portScan(7, "10.0.0.5", 87)).get(15, TimeUnit.SECONDS);

      assertThat(a.outcome()).isEqualTo(Analysis.Outcome.FAILED);
      assertThat(analyst.stats().failed()).isEqualTo(1);
      assertThat(analyst.stats().succeeded()).isZero();
    }
  }

  @Test
  void serverErrorIsRetriedUpToTheAttemptLimitThenFailed() throws Exception {
    server.behaviour = Behaviour.STATUS_500;
    LlmConfig c = config(false).maxAttempts(3).initialBackoff(Duration.ofMillis(10))
        .maxBackoff(Duration.ofMillis(20)).build();
    try (LlmAnalyst analyst = LlmAnalyst.start(c)) {
      Analysis a = analyst.analyse(TestAlerts.portScan(7, "10.0.0.5", 87)).get(15, TimeUnit.SECONDS);

      assertThat(a.outcome()).isEqualTo(Analysis.Outcome.FAILED);
      assertThat(a.failureReason()).startsWith("HTTP 500");
      assertThat(a.attempts()).isEqualTo(3);
      assertThat(server.hits()).isEqualTo(3);
      assertThat(analyst.stats().retries()).isEqualTo(2);
      assertThat(analyst.stats().failed()).isEqualTo(1);
    }
  }
}
