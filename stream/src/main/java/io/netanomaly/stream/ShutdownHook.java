package io.netanomaly.stream;

import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns SIGINT and SIGTERM into a clean stop with exit status 0 for a long-running command: a JVM
 * shutdown hook asks the command to stop, waits (up to a grace period) until the command says it
 * has finished (flushed its sinks, printed its last lines), flushes standard output and error and
 * halts with status 0. Without this the JVM would report 130 or 143 for those signals.
 *
 * <p>When the command ends on its own, {@link #close()} removes the hook so that nothing happens
 * at exit. Thread-safe.
 */
public final class ShutdownHook implements AutoCloseable {
  private final Thread hook;
  private final CountDownLatch finished = new CountDownLatch(1);

  private ShutdownHook(String name, Runnable stop, long graceMillis) {
    Objects.requireNonNull(stop, "stop");
    this.hook = new Thread(() -> {
      stop.run();
      try {
        finished.await(graceMillis, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      System.out.flush();
      System.err.flush();
      // The command's own thread is blocked in System.exit behind this hook; end the process here.
      Runtime.getRuntime().halt(0);
    }, name + "-shutdown");
  }

  /**
   * Registers the hook.
   *
   * @param name a name for the hook thread
   * @param stop asks the command to stop; called on the hook thread
   * @param graceMillis longest wait for the command to finish after {@code stop}, milliseconds
   */
  public static ShutdownHook install(String name, Runnable stop, long graceMillis) {
    ShutdownHook h = new ShutdownHook(name, stop, graceMillis);
    Runtime.getRuntime().addShutdownHook(h.hook);
    return h;
  }

  /** Says the command has finished; removes the hook unless the JVM is already shutting down. */
  @Override
  public void close() {
    finished.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // shutdown in progress: the hook sees the latch and halts with status 0
    }
  }
}
