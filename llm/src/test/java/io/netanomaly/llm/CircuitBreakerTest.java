package io.netanomaly.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
  private final AtomicLong now = new AtomicLong(1_000);
  private final CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofNanos(100), now::get);

  @Test
  void opensAfterTheThresholdOfConsecutiveFailuresOnly() {
    breaker.onFailure();
    breaker.onFailure();
    breaker.onSuccess(); // resets the run
    breaker.onFailure();
    breaker.onFailure();
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(breaker.tryAcquire()).isTrue();

    breaker.onFailure();

    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(breaker.tryAcquire()).isFalse();
    assertThat(breaker.refusesCalls()).isTrue();
    assertThat(breaker.timesOpened()).isEqualTo(1);
  }

  @Test
  void letsOneTrialThroughAfterTheCoolDownAndClosesOnItsSuccess() {
    open();
    now.addAndGet(99);
    assertThat(breaker.tryAcquire()).isFalse();
    now.addAndGet(1);
    assertThat(breaker.refusesCalls()).isFalse();

    assertThat(breaker.tryAcquire()).isTrue();
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
    assertThat(breaker.tryAcquire()).isFalse(); // only one trial
    breaker.onSuccess();

    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(breaker.tryAcquire()).isTrue();
  }

  @Test
  void aFailedTrialOpensTheCircuitForAnotherCoolDown() {
    open();
    now.addAndGet(100);
    assertThat(breaker.tryAcquire()).isTrue();

    breaker.onFailure();

    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    assertThat(breaker.tryAcquire()).isFalse();
    now.addAndGet(100);
    assertThat(breaker.tryAcquire()).isTrue();
    assertThat(breaker.timesOpened()).isEqualTo(2);
  }

  private void open() {
    for (int i = 0; i < 3; i++) {
      breaker.onFailure();
    }
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
  }
}
