package io.netanomaly.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on standard error when it is a terminal, nothing otherwise (pipes, files, CI).
 * Not thread-safe except {@link #stepTo}, which may be called from any one thread at a time.
 */
final class Progress implements AutoCloseable {
  private final ProgressBar bar;

  private Progress(ProgressBar bar) {
    this.bar = bar;
  }

  /** Whether progress should be drawn: a console is attached and NETANOMALY_PROGRESS is not "0". */
  static boolean enabled() {
    return System.console() != null && !"0".equals(System.getenv("NETANOMALY_PROGRESS"));
  }

  /**
   * @param task label
   * @param max total units (-1 unknown)
   * @param unit unit name shown after the counts ("rows", "MB")
   */
  static Progress start(String task, long max, String unit) {
    if (!enabled()) {
      return new Progress(null);
    }
    ProgressBar b = new ProgressBarBuilder().setTaskName(task).setInitialMax(max)
        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).setUnit(" " + unit, 1)
        .setConsumer(new ConsoleProgressBarConsumer(System.err)).continuousUpdate().build();
    return new Progress(b);
  }

  void stepTo(long n) {
    if (bar != null) {
      bar.stepTo(n);
    }
  }

  void maxHint(long n) {
    if (bar != null) {
      bar.maxHint(n);
    }
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
