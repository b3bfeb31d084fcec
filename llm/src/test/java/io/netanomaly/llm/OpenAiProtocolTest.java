package io.netanomaly.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.netanomaly.llm.ProtocolServer.Behaviour;
import io.netanomaly.llm.ProtocolServer.Protocol;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenAiProtocolTest {
  private static final String KEY = "tgp_v1_test-key-0123456789";

  private ProtocolServer server;

  @BeforeEach
  void startServer() throws Exception {
    server = ProtocolServer.start(Protocol.OPENAI);
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private LlmConfig.Builder config(boolean streaming) {
    return LlmConfig.builder().provider(LlmConfig.Provider.OPENAI).baseUrl(server.baseUrl()).apiKey(KEY)
        .model("meta-llama/test-model").maxTokens(222).temperature(0.7).timeout(Duration.ofSeconds(10))
        .streaming(streaming).maxAttempts(1);
  }

  private Analysis analyse(LlmConfig c) throws Exception {
    try (LlmAnalyst analyst = LlmAnalyst.start(c)) {
      return analyst.analyse(TestAlerts.portScan(7, "10.0.0.5", 87)).get(15, TimeUnit.SECONDS);
    }
  }

  @Test
  void jsonCompletionIsReturnedAndTheRequestCarriesBearerKeyModelAndLimits() throws Exception {
    Analysis a = analyse(config(false).build());

    assertThat(a.outcome()).isEqualTo(Analysis.Outcome.ANSWERED);
    assertThat(a.text()).isEqualTo(ProtocolServer.ANSWER);
    assertThat(a.provider()).isEqualTo("openai");
    ProtocolServer.Received r = server.received().get(0);
    assertThat(r.method).isEqualTo("POST");
    assertThat(r.path).isEqualTo("/v1/chat/completions");
    assertThat(r.authorization).isEqualTo("Bearer " + KEY);
    assertThat(r.contentType).startsWith("application/json");
    assertThat(r.body.path("model").asText()).isEqualTo("meta-llama/test-model");
    assertThat(r.body.path("max_tokens").asInt()).isEqualTo(222);
    assertThat(r.body.path("temperature").asDouble()).isEqualTo(0.7);
    assertThat(r.body.path("stream").asBoolean(false)).isFalse();
    assertThat(r.body.path("messages").get(0).path("role").asText()).isEqualTo("system");
    assertThat(r.body.path("messages").get(0).path("content").asText()).isEqualTo(PromptBuilder.SYSTEM_PROMPT);
    assertThat(r.body.path("messages").get(1).path("role").asText()).isEqualTo("user");
    assertThat(r.body.path("messages").get(1).path("content").asText()).contains("port_scan", "T1046");
  }

  @Test
  void sseStreamIsJoinedFromItsDeltas() throws Exception {
    Analysis a = analyse(config(true).build());

    assertThat(a.outcome()).isEqualTo(Analysis.Outcome.ANSWERED);
    assertThat(a.text()).isEqualTo(ProtocolServer.ANSWER);
    ProtocolServer.Received r = server.received().get(0);
    assertThat(r.body.path("stream").asBoolean(false)).isTrue();
    assertThat(r.authorization).isEqualTo("Bearer " + KEY);
    assertThat(r.body.path("max_tokens").asInt()).isEqualTo(222);
  }

  @Test
  void sseStreamWithoutFinishReasonAndDoneIsAFailure() throws Exception {
    server.behaviour = Behaviour.TRUNCATED;

    Analysis a = analyse(config(true).build());

    assertThat(a.outcome()).isEqualTo(Analysis.Outcome.FAILED);
    assertThat(a.text()).isNull();
  }

  @Test
  void localServerWithoutKeyGetsNoBearerToken() throws Exception {
    Analysis a = analyse(config(false).apiKey(null).build());

    assertThat(a.outcome()).isEqualTo(Analysis.Outcome.ANSWERED);
    assertThat(server.received().get(0).authorization).isNull();
  }

  @Test
  void rateLimitIsRetriedThenFailed() throws Exception {
    server.behaviour = Behaviour.STATUS_429;
    LlmConfig c = config(false).maxAttempts(2).initialBackoff(Duration.ofMillis(10))
        .maxBackoff(Duration.ofMillis(20)).build();
    try (LlmAnalyst analyst = LlmAnalyst.start(c)) {
      Analysis a = analyst.analyse(TestAlerts.portScan(7, "10.0.0.5", 87)).get(15, TimeUnit.SECONDS);

      assertThat(a.outcome()).isEqualTo(Analysis.Outcome.FAILED);
      assertThat(a.failureReason()).startsWith("HTTP 429");
      assertThat(server.hits()).isEqualTo(2);
      assertThat(analyst.stats().retries()).isEqualTo(1);
      assertThat(analyst.stats().failed()).isEqualTo(1);
    }
  }

  @Test
  void garbageJsonIsAFailure() throws Exception {
    server.behaviour = Behaviour.GARBAGE;

    Analysis a = analyse(config(false).build());

    assertThat(a.outcome()).isEqualTo(Analysis.Outcome.FAILED);
  }
}
