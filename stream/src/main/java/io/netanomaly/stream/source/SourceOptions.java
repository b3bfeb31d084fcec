package io.netanomaly.stream.source;

/**
 * How sources behave when input stops: whether a TCP source reconnects, its backoff, and how often
 * a followed file is polled. Immutable and thread-safe.
 */
public final class SourceOptions {
  private static final SourceOptions DEFAULTS = new SourceOptions(true, 100, 5_000, 100, 5_000);

  private final boolean reconnect;
  private final long initialBackoffMillis;
  private final long maxBackoffMillis;
  private final long pollMillis;
  private final int connectTimeoutMillis;

  /**
   * @param reconnect whether a TCP source reconnects after the connection drops or is refused
   *     (false: a closed connection ends the source, a refused one fails it)
   * @param initialBackoffMillis first wait before reconnecting, milliseconds (doubles each failed
   *     attempt)
   * @param maxBackoffMillis longest wait between attempts, milliseconds
   * @param pollMillis how often a followed file is checked for new data, milliseconds
   * @param connectTimeoutMillis TCP connect timeout, milliseconds
   */
  public SourceOptions(boolean reconnect, long initialBackoffMillis, long maxBackoffMillis,
      long pollMillis, int connectTimeoutMillis) {
    if (initialBackoffMillis <= 0 || maxBackoffMillis < initialBackoffMillis || pollMillis <= 0
        || connectTimeoutMillis <= 0) {
      throw new IllegalArgumentException("backoff, poll interval and timeout must be positive"
          + " and the maximum backoff at least the initial one");
    }
    this.reconnect = reconnect;
    this.initialBackoffMillis = initialBackoffMillis;
    this.maxBackoffMillis = maxBackoffMillis;
    this.pollMillis = pollMillis;
    this.connectTimeoutMillis = connectTimeoutMillis;
  }

  /** Reconnect, backoff 100 ms doubling to 5 s, poll files every 100 ms, connect timeout 5 s. */
  public static SourceOptions defaults() {
    return DEFAULTS;
  }

  /** These options with reconnection switched on or off. */
  public SourceOptions withReconnect(boolean on) {
    return new SourceOptions(on, initialBackoffMillis, maxBackoffMillis, pollMillis,
        connectTimeoutMillis);
  }

  public boolean reconnect() {
    return reconnect;
  }

  /** Milliseconds. */
  public long initialBackoffMillis() {
    return initialBackoffMillis;
  }

  /** Milliseconds. */
  public long maxBackoffMillis() {
    return maxBackoffMillis;
  }

  /** Milliseconds. */
  public long pollMillis() {
    return pollMillis;
  }

  /** Milliseconds. */
  public int connectTimeoutMillis() {
    return connectTimeoutMillis;
  }
}
