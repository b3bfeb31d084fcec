package io.netanomaly.store;

import io.netanomaly.core.explain.Alert;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes alerts to an {@link AlertStore} in batches on a background thread, so that detection hands
 * an alert over and goes on. A batch is written when {@code batchSize} alerts are waiting, or when
 * the oldest waiting alert has waited {@code flushInterval}, or on {@link #flush()} and
 * {@link #close()}.
 *
 * <p><b>Back-pressure:</b> the queue holds at most {@code capacity} alerts. When it is full,
 * {@link #offer} blocks for up to {@code offerTimeout}; if no room frees up by then, the alert is
 * dropped, {@link #dropped()} counts it and {@code offer} returns false. Alerts offered after
 * {@link #close()} are dropped the same way. So a slow or stalled database slows detection by at
 * most {@code offerTimeout} per alert and never blocks it forever.
 *
 * <p><b>Failures:</b> a batch the store refuses is retried twice (after 100 ms and 400 ms; not once
 * {@link #close()} has begun); if it still fails its alerts are counted in {@link #failed()} and
 * logged (count and reason only), and the writer goes on with the next batch.
 *
 * <p><b>Durability:</b> an alert is durable once {@link #flush()} has returned after it was offered
 * (or the {@code onStored} callback has seen it). A process killed before that loses what was queued:
 * at most {@code capacity} alerts, in practice the last {@code flushInterval}'s worth.
 *
 * <p>Thread-safe: any number of threads may offer concurrently. The writer thread is a daemon; call
 * {@link #close()} on shutdown to drain the queue.
 */
public final class AlertWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AlertWriter.class);
  private static final long[] RETRY_DELAYS_MS = {100, 400};

  private final AlertStore store;
  private final int capacity;
  private final int batchSize;
  private final long flushIntervalNanos;
  private final long offerTimeoutNanos;
  private final Consumer<List<Alert>> onStored;

  private final ReentrantLock lock = new ReentrantLock();
  /** Signalled when the writer may have something to do: alerts arrived, flush or close asked. */
  private final Condition work = lock.newCondition();
  /** Signalled when the writer took alerts off the queue. */
  private final Condition notFull = lock.newCondition();
  /** Signalled when the writer finished a batch. */
  private final Condition progress = lock.newCondition();
  private final ArrayDeque<Alert> queue;
  // all guarded by lock
  private long accepted;
  private long processed;
  private long flushTarget;
  private long oldestQueuedNanos;
  private boolean closing;
  private boolean writerAlive = true;
  private long stored;
  private long dropped;
  private long failed;

  private final Thread thread;

  private AlertWriter(Builder b) {
    this.store = b.store;
    this.capacity = b.capacity;
    this.batchSize = b.batchSize;
    this.flushIntervalNanos = b.flushInterval.toNanos();
    this.offerTimeoutNanos = b.offerTimeout.toNanos();
    this.onStored = b.onStored;
    this.queue = new ArrayDeque<>(Math.min(capacity, 4096));
    this.thread = new Thread(this::run, "netanomaly-alert-writer");
    thread.setDaemon(true);
    thread.start();
  }

  /** A builder with the defaults: capacity 65,536, batches of 500, 200 ms interval, 1 s offer timeout. */
  public static Builder builder(AlertStore store) {
    return new Builder(store);
  }

  /** A writer with the default settings. */
  public static AlertWriter start(AlertStore store) {
    return builder(store).start();
  }

  /**
   * Queues an alert for storing; blocks at most the offer timeout when the queue is full.
   *
   * @return true when queued, false when dropped (queue stayed full, writer closed, or interrupted)
   */
  public boolean offer(Alert alert) {
    Objects.requireNonNull(alert, "alert");
    lock.lock();
    try {
      long nanos = offerTimeoutNanos;
      while (queue.size() >= capacity && !closing) {
        if (nanos <= 0) {
          dropped++;
          return false;
        }
        try {
          nanos = notFull.awaitNanos(nanos);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          dropped++;
          return false;
        }
      }
      if (closing) {
        dropped++;
        return false;
      }
      if (queue.isEmpty()) {
        oldestQueuedNanos = System.nanoTime();
        work.signal();
      }
      queue.addLast(alert);
      accepted++;
      if (queue.size() == batchSize) {
        work.signal();
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Queues several alerts, each as by {@link #offer(Alert)}.
   *
   * @return how many were queued (the rest were dropped)
   */
  public int offerAll(List<Alert> alerts) {
    int queued = 0;
    for (Alert a : alerts) {
      if (offer(a)) {
        queued++;
      }
    }
    return queued;
  }

  /**
   * Writes everything queued before this call and waits until it is stored (or counted as failed).
   * Returns early, with the interrupt flag set, when the calling thread is interrupted.
   */
  public void flush() {
    lock.lock();
    try {
      long target = accepted;
      if (target > flushTarget) {
        flushTarget = target;
        work.signal();
      }
      while (processed < target && writerAlive) {
        progress.await();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  /** Alerts written to the store so far. */
  public long stored() {
    lock.lock();
    try {
      return stored;
    } finally {
      lock.unlock();
    }
  }

  /** Alerts dropped because the queue stayed full for the offer timeout, or offered after close. */
  public long dropped() {
    lock.lock();
    try {
      return dropped;
    } finally {
      lock.unlock();
    }
  }

  /** Alerts the store refused even after retries. */
  public long failed() {
    lock.lock();
    try {
      return failed;
    } finally {
      lock.unlock();
    }
  }

  /** Alerts waiting in the queue now. */
  public int queued() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  private void run() {
    try {
      List<Alert> batch = new ArrayList<>(batchSize);
      while (takeBatch(batch)) {
        int written = write(batch);
        lock.lock();
        try {
          processed += batch.size();
          stored += written;
          failed += batch.size() - written;
          progress.signalAll();
        } finally {
          lock.unlock();
        }
        batch.clear();
      }
    } catch (InterruptedException e) {
      LOG.warn("alert writer interrupted; {} alerts left unwritten", queued());
    } finally {
      lock.lock();
      try {
        writerAlive = false;
        progress.signalAll();
        notFull.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /** Waits for a batch to be due and moves it into {@code batch}; false when closed and drained. */
  private boolean takeBatch(List<Alert> batch) throws InterruptedException {
    lock.lock();
    try {
      while (true) {
        if (queue.isEmpty()) {
          if (closing) {
            return false;
          }
          work.await();
          continue;
        }
        if (queue.size() >= batchSize || closing || flushTarget > processed) {
          break;
        }
        long wait = flushIntervalNanos - (System.nanoTime() - oldestQueuedNanos);
        if (wait <= 0) {
          break;
        }
        work.awaitNanos(wait);
      }
      while (batch.size() < batchSize && !queue.isEmpty()) {
        batch.add(queue.pollFirst());
      }
      // what is left has waited at least as long as what was taken: keep the old clock
      notFull.signalAll();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Stores a batch with retries; returns how many were stored (all or none). */
  private int write(List<Alert> batch) {
    for (int attempt = 0; ; attempt++) {
      try {
        List<Alert> withIds = store.insert(batch);
        notifyStored(withIds);
        return batch.size();
      } catch (RuntimeException e) {
        // on close a dead database must not hold shutdown for every queued batch's retries
        if (attempt >= RETRY_DELAYS_MS.length || isClosing()) {
          LOG.error("alert writer: {} alerts could not be stored after {} attempts: {}", batch.size(), attempt + 1,
              e.getMessage());
          return 0;
        }
        LOG.warn("alert writer: storing {} alerts failed, retrying: {}", batch.size(), e.getMessage());
        try {
          TimeUnit.MILLISECONDS.sleep(RETRY_DELAYS_MS[attempt]);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return 0;
        }
      }
    }
  }

  private boolean isClosing() {
    lock.lock();
    try {
      return closing;
    } finally {
      lock.unlock();
    }
  }

  private void notifyStored(List<Alert> withIds) {
    if (onStored == null) {
      return;
    }
    try {
      onStored.accept(withIds);
    } catch (RuntimeException e) {
      LOG.warn("alert writer: onStored callback failed: {}", e.toString());
    }
  }

  /**
   * Stops taking alerts, writes everything queued and waits for the writer thread to end. Does not
   * close the store. Idempotent.
   */
  @Override
  public void close() {
    lock.lock();
    try {
      closing = true;
      work.signal();
      notFull.signalAll();
    } finally {
      lock.unlock();
    }
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Settings of an {@link AlertWriter}. Not thread-safe; {@link #start()} makes the writer. */
  public static final class Builder {
    private final AlertStore store;
    private int capacity = 65_536;
    private int batchSize = 500;
    private Duration flushInterval = Duration.ofMillis(200);
    private Duration offerTimeout = Duration.ofSeconds(1);
    private Consumer<List<Alert>> onStored;

    private Builder(AlertStore store) {
      this.store = Objects.requireNonNull(store, "store");
    }

    /** Most alerts waiting at once (≥ 1). */
    public Builder capacity(int alerts) {
      if (alerts < 1) {
        throw new IllegalArgumentException("capacity must be at least 1, got " + alerts);
      }
      this.capacity = alerts;
      return this;
    }

    /** Most alerts per transaction; a full batch is written at once (≥ 1). */
    public Builder batchSize(int alerts) {
      if (alerts < 1) {
        throw new IllegalArgumentException("batch size must be at least 1, got " + alerts);
      }
      this.batchSize = alerts;
      return this;
    }

    /** Longest an alert waits in the queue for its batch to fill (> 0). */
    public Builder flushInterval(Duration interval) {
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("flush interval must be positive, got " + interval);
      }
      this.flushInterval = interval;
      return this;
    }

    /** Longest {@link AlertWriter#offer} blocks on a full queue before dropping (≥ 0). */
    public Builder offerTimeout(Duration timeout) {
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("offer timeout must not be negative, got " + timeout);
      }
      this.offerTimeout = timeout;
      return this;
    }

    /**
     * Called on the writer thread with each stored batch, the alerts carrying their store ids (for a
     * live feed or the LLM analyst). Must be quick; exceptions are logged and ignored.
     */
    public Builder onStored(Consumer<List<Alert>> callback) {
      this.onStored = callback;
      return this;
    }

    /** Starts the writer thread. */
    public AlertWriter start() {
      return new AlertWriter(this);
    }
  }
}
