package io.netanomaly.llm;

/**
 * A snapshot of the analyst's counters, for metrics and logs. Each submitted request ends in
 * exactly one of rejected, cache hit, succeeded or failed; {@code timedOut} and
 * {@code shortCircuited} count failed requests by cause. Counts are since start. Immutable.
 */
public final class LlmStats {
  private final int queueDepth;
  private final long submitted;
  private final long succeeded;
  private final long failed;
  private final long timedOut;
  private final long rejected;
  private final long cacheHits;
  private final long shortCircuited;
  private final long retries;
  private final CircuitBreaker.State circuitState;

  /**
   * @param queueDepth requests waiting for a worker now
   * @param submitted requests given to {@link LlmAnalyst#analyse}
   * @param succeeded requests the provider answered
   * @param failed requests that ended without an answer after being taken (timeouts and open circuit included)
   * @param timedOut failed requests whose last attempt timed out
   * @param rejected requests refused because the queue was full or the analyst closed
   * @param cacheHits requests answered from the cache
   * @param shortCircuited failed requests refused by the open circuit breaker
   * @param retries HTTP calls beyond the first of their request
   * @param circuitState the circuit breaker's state now
   */
  public LlmStats(int queueDepth, long submitted, long succeeded, long failed, long timedOut, long rejected,
      long cacheHits, long shortCircuited, long retries, CircuitBreaker.State circuitState) {
    this.queueDepth = queueDepth;
    this.submitted = submitted;
    this.succeeded = succeeded;
    this.failed = failed;
    this.timedOut = timedOut;
    this.rejected = rejected;
    this.cacheHits = cacheHits;
    this.shortCircuited = shortCircuited;
    this.retries = retries;
    this.circuitState = circuitState;
  }

  public int queueDepth() { return queueDepth; }
  public long submitted() { return submitted; }
  public long succeeded() { return succeeded; }
  public long failed() { return failed; }
  public long timedOut() { return timedOut; }
  public long rejected() { return rejected; }
  public long cacheHits() { return cacheHits; }
  public long shortCircuited() { return shortCircuited; }
  public long retries() { return retries; }
  public CircuitBreaker.State circuitState() { return circuitState; }

  /** Requests submitted but not finished yet (queued or being asked). */
  public long pending() {
    return submitted - rejected - cacheHits - succeeded - failed;
  }

  @Override
  public String toString() {
    return "LlmStats[queue=" + queueDepth + " submitted=" + submitted + " succeeded=" + succeeded + " failed=" + failed
        + " timedOut=" + timedOut + " rejected=" + rejected + " cacheHits=" + cacheHits + " shortCircuited="
        + shortCircuited + " retries=" + retries + " circuit=" + circuitState + "]";
  }
}
