package io.netanomaly.llm;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netanomaly.llm.ProtocolServer.Behaviour;
import io.netanomaly.llm.ProtocolServer.Protocol;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Everything logged at any level, by the analyst and by LangChain4j, while a keyed provider answers and fails. */
class LogSecrecyTest {
  private static final String KEY = "sk-secret-4c1d2f0e9b8a7";

  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final ListAppender<ILoggingEvent> events = new ListAppender<>();
  private Level previous;

  @BeforeEach
  void capture() {
    previous = root.getLevel();
    root.setLevel(Level.TRACE);
    events.start();
    root.addAppender(events);
  }

  @AfterEach
  void release() {
    root.detachAppender(events);
    root.setLevel(previous);
  }

  @Test
  void neitherTheKeyNorTheAuthorizationHeaderIsLogged() throws Exception {
    for (boolean streaming : new boolean[] {false, true}) {
      try (ProtocolServer server = ProtocolServer.start(Protocol.OPENAI);
          LlmAnalyst analyst = LlmAnalyst.start(LlmConfig.builder().provider(LlmConfig.Provider.OPENAI)
              .baseUrl(server.baseUrl()).apiKey(KEY).streaming(streaming).timeout(Duration.ofSeconds(10))
              .maxAttempts(2).initialBackoff(Duration.ofMillis(5)).maxBackoff(Duration.ofMillis(10)).build())) {
        assertThat(analyst.analyse(TestAlerts.portScan(1, "10.0.0.5", 87)).get(15, TimeUnit.SECONDS).succeeded())
            .isTrue();
        server.behaviour = Behaviour.STATUS_500;
        assertThat(analyst.analyse(TestAlerts.portScan(2, "10.0.0.5", 870)).get(15, TimeUnit.SECONDS).succeeded())
            .isFalse();
        assertThat(server.received().get(0).authorization).isEqualTo("Bearer " + KEY);
      }
    }

    assertThat(events.list).isNotEmpty();
    for (ILoggingEvent e : events.list) {
      String text = e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage());
      assertThat(text).doesNotContain(KEY).doesNotContain(KEY.substring(KEY.length() - 8))
          .doesNotContainIgnoringCase("bearer").doesNotContainIgnoringCase("authorization");
    }
  }
}
