package io.netanomaly.llm;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Stops calling a provider that keeps failing. After {@code failureThreshold} consecutive failed
 * calls the circuit opens and {@link #tryAcquire()} refuses every call for {@code openDuration};
 * then it lets exactly one trial call through (half-open): its success closes the circuit, its
 * failure opens it again for another {@code openDuration}. Thread-safe (all state changes under
 * this object's lock; calls are rare next to their HTTP cost).
 */
public final class CircuitBreaker {
  /** Circuit state. */
  public enum State {
    /** Calls flow. */
    CLOSED,
    /** Calls are refused until the cool-down ends. */
    OPEN,
    /** One trial call is under way; others are refused. */
    HALF_OPEN
  }

  private final int failureThreshold;
  private final long openNanos;
  private final LongSupplier nanoClock;

  private State state = State.CLOSED;
  private int consecutiveFailures;
  private long openedAtNanos;
  private long timesOpened;

  /**
   * @param failureThreshold consecutive failures that open the circuit, at least 1
   * @param openDuration how long the circuit stays open before a trial call
   */
  public CircuitBreaker(int failureThreshold, Duration openDuration) {
    this(failureThreshold, openDuration, System::nanoTime);
  }

  /** As {@link #CircuitBreaker(int, Duration)} with a clock in nanoseconds, for tests. */
  CircuitBreaker(int failureThreshold, Duration openDuration, LongSupplier nanoClock) {
    if (failureThreshold < 1) {
      throw new IllegalArgumentException("failureThreshold: expected at least 1 but got " + failureThreshold);
    }
    this.failureThreshold = failureThreshold;
    this.openNanos = openDuration.toNanos();
    this.nanoClock = nanoClock;
  }

  /**
   * Asks to make a call. True when the circuit is closed, or when it has been open for the
   * cool-down and this caller becomes the one trial call; the caller must then report the
   * result with {@link #onSuccess()} or {@link #onFailure()}.
   */
  public synchronized boolean tryAcquire() {
    switch (state) {
      case CLOSED:
        return true;
      case OPEN:
        if (nanoClock.getAsLong() - openedAtNanos >= openNanos) {
          state = State.HALF_OPEN;
          return true;
        }
        return false;
      default:
        return false;
    }
  }

  /**
   * Whether a call would be refused now without changing anything: open and still cooling down,
   * or half-open with its trial under way.
   */
  public synchronized boolean refusesCalls() {
    return state == State.HALF_OPEN || (state == State.OPEN && nanoClock.getAsLong() - openedAtNanos < openNanos);
  }

  /** Reports a successful call: the circuit closes. */
  public synchronized void onSuccess() {
    consecutiveFailures = 0;
    state = State.CLOSED;
  }

  /** Reports a failed call: the circuit opens after the threshold, or at once after a failed trial. */
  public synchronized void onFailure() {
    consecutiveFailures++;
    if (state == State.HALF_OPEN || (state == State.CLOSED && consecutiveFailures >= failureThreshold)) {
      state = State.OPEN;
      openedAtNanos = nanoClock.getAsLong();
      timesOpened++;
    }
  }

  /** The current state; an open circuit whose cool-down has ended still reads OPEN until a call is tried. */
  public synchronized State state() {
    return state;
  }

  /** How many times the circuit has opened. */
  public synchronized long timesOpened() {
    return timesOpened;
  }
}
