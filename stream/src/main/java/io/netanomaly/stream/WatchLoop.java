package io.netanomaly.stream;

import io.netanomaly.core.explain.Alert;
import io.netanomaly.core.pipeline.DetectionPipeline;
import io.netanomaly.core.schema.FieldType;
import io.netanomaly.core.schema.Row;
import io.netanomaly.stream.source.MalformedLines;
import io.netanomaly.stream.source.Source;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The {@code watch} loop: one thread reads the {@link Source} into a bounded queue, the calling
 * thread scores micro-batches through one {@link DetectionPipeline.Session} (so per-source windows
 * carry across batches), explains every flagged row with {@link AlertFactory} and hands the
 * batch's alerts to each {@link AlertSink}, flushing them after every batch.
 *
 * <p>Back-pressure: when scoring is slower than the source, the queue fills and the reader blocks,
 * so memory stays flat (at most {@link WatchOptions#queueCapacity()} rows wait). A batch is scored
 * when it is full or its first row has waited {@link WatchOptions#maxDelayMillis()}.
 *
 * <p>Stopping: {@link #stop()} (from any thread, e.g. a shutdown hook) closes the source; the rows
 * already queued are scored, every sink is flushed and closed, and {@link #run()} returns. See
 * {@link WatchOptions} for what a {@code kill -9} can lose. A sink that throws is reported and
 * dropped; the others carry on. {@link #run()} may be called once.
 */
public final class WatchLoop {
  /** How long a stop waits for a reader blocked where close() cannot reach (stdin). */
  private static final long STOP_GRACE_MILLIS = 1_000;
  private static final Row END = new Row(new double[0], new String[0], Row.UNLABELLED, null, 0);

  private final DetectionPipeline model;
  private final Source source;
  private final List<AlertSink> sinks;
  private final WatchOptions options;
  private final Consumer<String> log;
  private final Consumer<String> statsOut;
  private final BlockingQueue<Row> queue;
  private final WatchStats stats;
  private final AlertFactory alertFactory;
  private OnlineDetection online;
  private final int timestampColumn;
  private volatile boolean readerDone;
  private volatile long stopRequestedNanos;
  private volatile Throwable sourceFailure;
  private volatile Thread reader;

  /**
   * @param model the model (its schema must be the source's, the canonical flow schema)
   * @param sinks where alerts go, called in this order
   * @param malformed the malformed-line counter the source reports to (for the statistics)
   * @param log receives notices (source failure, dropped sink), one line each
   * @param statsOut receives the periodic statistics line
   */
  public WatchLoop(DetectionPipeline model, Source source, List<AlertSink> sinks, WatchOptions options,
      MalformedLines malformed, Consumer<String> log, Consumer<String> statsOut) {
    this.model = Objects.requireNonNull(model, "model");
    this.source = Objects.requireNonNull(source, "source");
    this.sinks = new ArrayList<>(sinks);
    this.options = Objects.requireNonNull(options, "options");
    this.log = Objects.requireNonNull(log, "log");
    this.statsOut = Objects.requireNonNull(statsOut, "statsOut");
    this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
    this.stats = new WatchStats(malformed::count, queue::size, options.queueCapacity(), System::currentTimeMillis);
    this.alertFactory = new AlertFactory(model);
    this.timestampColumn = model.schema().firstOfType(FieldType.TIMESTAMP);
  }

  /** The running counts; thread-safe. */
  /**
   * Adds the online forest beside the trained model (call before {@link #run()}); its alerts carry
   * detector {@value OnlineDetection#DETECTOR}.
   */
  public WatchLoop online(int warmup, double contamination, long seed) {
    this.online = new OnlineDetection(model, alertFactory, warmup, contamination, seed);
    return this;
  }

  public WatchStats stats() {
    return stats;
  }

  /** The error that ended the source, or null when it ended normally or was stopped. */
  public Throwable sourceFailure() {
    return sourceFailure;
  }

  /** Asks the loop to finish: stop reading, score what is queued, flush and close the sinks. */
  public void stop() {
    if (stopRequestedNanos == 0) {
      stopRequestedNanos = System.nanoTime();
    }
    source.close();
    Thread r = reader;
    if (r != null) {
      r.interrupt();
    }
  }

  /**
   * Reads, scores and alerts until the source ends or {@link #stop()} is called, then flushes and
   * closes every sink.
   *
   * @return the final statistics
   * @throws InterruptedException when the calling thread is interrupted (sinks are still closed)
   */
  public WatchStats run() throws InterruptedException {
    Thread r = new Thread(this::read, "watch-reader:" + source.name());
    r.setDaemon(true); // a read blocked on stdin must not keep the JVM alive
    reader = r;
    r.start();
    if (stopRequestedNanos != 0) {
      r.interrupt();
    }
    ScheduledExecutorService ticker = null;
    if (options.statsIntervalMillis() > 0) {
      ticker = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread t = new Thread(task, "watch-stats");
        t.setDaemon(true);
        return t;
      });
      ticker.scheduleAtFixedRate(() -> statsOut.accept(stats.line()), options.statsIntervalMillis(),
          options.statsIntervalMillis(), TimeUnit.MILLISECONDS);
    }
    try {
      score();
    } finally {
      if (ticker != null) {
        ticker.shutdownNow();
      }
      source.close();
      r.interrupt();
      closeSinks();
    }
    return stats;
  }

  private void read() {
    try {
      while (stopRequestedNanos == 0) {
        Row row = source.next();
        if (row == null) {
          break;
        }
        queue.put(row);
      }
    } catch (InterruptedException e) {
      // stop() interrupts a reader blocked on a full queue
    } catch (Exception e) {
      if (stopRequestedNanos == 0) {
        sourceFailure = e;
        log.accept(source.name() + ": source failed: " + e.getMessage());
      }
    } finally {
      readerDone = true;
      queue.offer(END); // best effort: the scorer also ends on readerDone with an empty queue
    }
  }

  private void score() throws InterruptedException {
    int batchSize = options.batchSize();
    int width = model.features().width();
    DetectionPipeline.Session session = model.newSession();
    List<Row> batch = new ArrayList<>(batchSize);
    double[] scores = new double[batchSize];
    double[] raw = new double[batchSize * width];
    List<Alert> alerts = new ArrayList<>();
    long pollMillis = Math.min(options.maxDelayMillis(), 100);
    boolean ended = false;
    while (!ended) {
      Row first = queue.poll(pollMillis, TimeUnit.MILLISECONDS);
      if (first == null) {
        if (queue.isEmpty() && (readerDone || stopGraceOver())) {
          break;
        }
        continue;
      }
      if (first == END) {
        break;
      }
      batch.add(first);
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.maxDelayMillis());
      while (batch.size() < batchSize) {
        queue.drainTo(batch, batchSize - batch.size());
        if (batch.get(batch.size() - 1) == END) {
          batch.remove(batch.size() - 1);
          ended = true;
          break;
        }
        if (batch.size() == batchSize) {
          break;
        }
        long wait = deadline - System.nanoTime();
        if (wait <= 0) {
          break;
        }
        Row next = queue.poll(wait, TimeUnit.NANOSECONDS);
        if (next == END) {
          ended = true;
          break;
        }
        if (next == null) {
          if (readerDone && queue.isEmpty()) {
            ended = true;
          }
          break;
        }
        batch.add(next);
      }
      if (batch.isEmpty()) {
        continue;
      }
      session.score(batch, scores, raw);
      alerts.clear();
      long now = System.currentTimeMillis();
      alertFactory.collect(batch, scores, raw, session, now, alerts);
      if (online != null) {
        online.accept(batch, session.lastFeatures(), raw, scores, now, alerts);
      }
      stats.record(batch.size(), alerts, newestEvent(batch));
      deliver(alerts);
      batch.clear();
    }
  }

  private boolean stopGraceOver() {
    long stop = stopRequestedNanos;
    return stop != 0 && System.nanoTime() - stop > TimeUnit.MILLISECONDS.toNanos(STOP_GRACE_MILLIS);
  }

  private long newestEvent(List<Row> batch) {
    long newest = Long.MIN_VALUE;
    if (timestampColumn >= 0) {
      for (Row row : batch) {
        double t = row.number(timestampColumn);
        if (t > newest) {
          newest = (long) t;
        }
      }
    }
    return newest;
  }

  private void deliver(List<Alert> alerts) {
    for (int i = 0; i < sinks.size(); i++) {
      AlertSink sink = sinks.get(i);
      try {
        if (!alerts.isEmpty()) {
          sink.accept(alerts);
        }
        sink.flush();
      } catch (Exception e) {
        log.accept("alert sink " + sink.getClass().getSimpleName() + " failed and is dropped: " + e);
        sinks.remove(i--);
        closeQuietly(sink);
      }
    }
  }

  private void closeSinks() {
    for (AlertSink sink : sinks) {
      try {
        sink.flush();
      } catch (Exception e) {
        log.accept("alert sink " + sink.getClass().getSimpleName() + " failed to flush: " + e);
      }
      closeQuietly(sink);
    }
    sinks.clear();
  }

  private void closeQuietly(AlertSink sink) {
    try {
      sink.close();
    } catch (Exception e) {
      log.accept("alert sink " + sink.getClass().getSimpleName() + " failed to close: " + e);
    }
  }
}
