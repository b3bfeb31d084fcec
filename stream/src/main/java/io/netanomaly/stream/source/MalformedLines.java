package io.netanomaly.stream.source;

import io.netanomaly.core.io.InputException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Counts malformed input lines and logs them, each cut to {@link #MAX_LOGGED_CHARS} characters on
 * one line. The first {@link #LOGGED_IN_FULL} are logged, then every {@link #LOG_EVERY}th, so a
 * stream of garbage cannot flood the log; every one is counted. Thread-safe.
 */
public final class MalformedLines {
  /** Longest logged message, in characters. */
  public static final int MAX_LOGGED_CHARS = 200;
  /** Malformed lines logged one by one before sampling starts. */
  public static final long LOGGED_IN_FULL = 100;
  /** After the first {@link #LOGGED_IN_FULL}, one malformed line in this many is logged. */
  public static final long LOG_EVERY = 1000;

  private final Consumer<String> log;
  private final AtomicLong count = new AtomicLong();

  /** @param log receives one line per logged malformed input line (called on the reading thread) */
  public MalformedLines(Consumer<String> log) {
    this.log = Objects.requireNonNull(log, "log");
  }

  /** Counts and logs a line a core reader refused (its message names source, line and field). */
  public void report(InputException e) {
    record(e.getMessage());
  }

  /**
   * Counts and logs a malformed line.
   *
   * @param source the source name
   * @param line 1-based line number, 0 when unknown
   * @param reason what was wrong
   * @param text the line itself, or null
   */
  public void report(String source, long line, String reason, String text) {
    StringBuilder b = new StringBuilder(source);
    if (line > 0) {
      b.append(':').append(line);
    }
    b.append(": ").append(reason);
    if (text != null) {
      b.append(": ").append(text);
    }
    record(b.toString());
  }

  /** Malformed lines seen so far. */
  public long count() {
    return count.get();
  }

  private void record(String message) {
    long n = count.incrementAndGet();
    if (n <= LOGGED_IN_FULL || n % LOG_EVERY == 0) {
      String suffix = n == LOGGED_IN_FULL ? " (further malformed lines are counted; every "
          + LOG_EVERY + "th is shown)" : "";
      log.accept("malformed line #" + n + ": " + oneLine(message) + suffix);
    }
  }

  /** The message on one line, at most {@link #MAX_LOGGED_CHARS} characters. */
  static String oneLine(String message) {
    int n = Math.min(message.length(), MAX_LOGGED_CHARS);
    StringBuilder b = new StringBuilder(n + 3);
    for (int i = 0; i < n; i++) {
      char c = message.charAt(i);
      b.append(c < 0x20 || c == 0x7f ? ' ' : c);
    }
    if (message.length() > MAX_LOGGED_CHARS) {
      b.append("...");
    }
    return b.toString();
  }
}
