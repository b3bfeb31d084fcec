package io.netanomaly.stream;

/**
 * Sizes and timing of a {@link WatchLoop}. Immutable and thread-safe.
 *
 * <p>Memory and loss bounds follow from these numbers: the loop holds at most
 * {@code queueCapacity} rows read but not yet scored plus one batch of {@code batchSize} rows in
 * scoring; every sink is flushed after each batch. A clean stop (end of input, SIGINT, SIGTERM)
 * scores everything queued and flushes; a {@code kill -9} loses at most
 * {@code queueCapacity + batchSize} rows read from the source but not yet scored, and nothing
 * already handed to a sink that flushes durably.
 */
public final class WatchOptions {
  private final int batchSize;
  private final long maxDelayMillis;
  private final int queueCapacity;
  private final long statsIntervalMillis;

  /**
   * @param batchSize rows scored together, at least 1
   * @param maxDelayMillis longest a row waits for its batch to fill, milliseconds, at least 1
   * @param queueCapacity rows read ahead of scoring; the reader blocks when it is full
   * @param statsIntervalMillis how often a statistics line is reported, milliseconds; 0 for never
   */
  public WatchOptions(int batchSize, long maxDelayMillis, int queueCapacity, long statsIntervalMillis) {
    if (batchSize < 1 || maxDelayMillis < 1 || queueCapacity < 1 || statsIntervalMillis < 0) {
      throw new IllegalArgumentException("batch size, delay and queue capacity must be positive, "
          + "the statistics interval not negative");
    }
    this.batchSize = batchSize;
    this.maxDelayMillis = maxDelayMillis;
    this.queueCapacity = queueCapacity;
    this.statsIntervalMillis = statsIntervalMillis;
  }

  public int batchSize() {
    return batchSize;
  }

  /** Milliseconds. */
  public long maxDelayMillis() {
    return maxDelayMillis;
  }

  public int queueCapacity() {
    return queueCapacity;
  }

  /** Milliseconds; 0 for no periodic statistics. */
  public long statsIntervalMillis() {
    return statsIntervalMillis;
  }
}
