package io.netanomaly.stream.simulate;

import java.util.concurrent.locks.LockSupport;

/**
 * Paces a producer to a rate in items per second against {@link System#nanoTime()}: each item has
 * a due time on a fixed schedule from the start, and the producer parks only when it is ahead of
 * it. Items that fall behind (after a pause or a slow consumer) go out at once, but never more than
 * one second's worth in a burst: a producer more than a second behind restarts the schedule from
 * now. Rate 0 means no pacing. Not thread-safe.
 */
public final class Pacer {
  private static final long MAX_LAG_NANOS = 1_000_000_000L;

  private final double nanosPerItem;
  private long startNanos;
  private long items;

  /** @param perSecond items per second; 0 for as fast as possible */
  public Pacer(double perSecond) {
    if (!(perSecond >= 0) || Double.isInfinite(perSecond)) {
      throw new IllegalArgumentException("rate must be a finite number >= 0: " + perSecond);
    }
    this.nanosPerItem = perSecond == 0 ? 0 : 1e9 / perSecond;
    restart();
  }

  /** Starts the schedule again from now (after a pause). */
  public void restart() {
    startNanos = System.nanoTime();
    items = 0;
  }

  /** Waits until the next item is due. */
  public void awaitNext() {
    if (nanosPerItem == 0) {
      return;
    }
    long due = startNanos + (long) (items * nanosPerItem);
    long now = System.nanoTime();
    if (now - due > MAX_LAG_NANOS) {
      restart();
      due = startNanos;
    }
    while ((now = System.nanoTime()) < due) {
      LockSupport.parkNanos(due - now);
      if (Thread.currentThread().isInterrupted()) {
        break;
      }
    }
    items++;
  }
}
