package io.netanomaly.core.detect;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fixed pool that fits and scores every detector family in parallel: one daemon thread per
 * processor, shared by all of them so the process never holds more busy threads than processors.
 * Work is handed out as {@code workers} copies of one body that claim pieces from a shared
 * counter, so at most {@code workers} threads (the caller included) run it.
 */
public final class DetectorWorkers {
  private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();
  private static final ForkJoinPool POOL = new ForkJoinPool(
      Math.max(1, Runtime.getRuntime().availableProcessors()),
      pool -> {
        ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
        t.setName("netanomaly-detect-" + THREAD_NUMBER.incrementAndGet());
        t.setDaemon(true);
        return t;
      },
      null,
      false);

  private DetectorWorkers() {}

  /**
   * Runs {@code body} on {@code workers} threads at once (the calling thread is one of them) and
   * returns when all copies have returned; rethrows the first failure.
   */
  public static void run(int workers, Runnable body) {
    if (workers <= 1) {
      body.run();
      return;
    }
    ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[workers - 1];
    for (int i = 0; i < tasks.length; i++) {
      tasks[i] = POOL.submit(body);
    }
    Throwable failure = null;
    try {
      body.run();
    } catch (RuntimeException | Error e) {
      failure = e;
    }
    for (ForkJoinTask<?> task : tasks) {
      try {
        task.join();
      } catch (RuntimeException | Error e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure instanceof RuntimeException re) {
      throw re;
    }
    if (failure instanceof Error err) {
      throw err;
    }
  }

  /** Threads used when none is asked for: one per processor. */
  public static int defaultThreads() {
    return Math.max(1, Runtime.getRuntime().availableProcessors());
  }
}
