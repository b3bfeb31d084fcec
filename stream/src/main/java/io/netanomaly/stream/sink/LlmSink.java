package io.netanomaly.stream.sink;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netanomaly.core.explain.Alert;
import io.netanomaly.llm.Analysis;
import io.netanomaly.llm.LlmAnalyst;
import io.netanomaly.llm.LlmStats;
import io.netanomaly.stream.AlertSink;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each alert to the {@link LlmAnalyst} and, when the analyst is done with it, passes the
 * alert on (to the store, the live feed, the incident log): with its written analysis when one
 * arrived, unchanged when the LLM failed, timed out or was busy. Submitting never blocks: the
 * analyst's queue rejects when full and the alert keeps its deterministic explanation. Exposes the
 * analyst's counters as metrics ({@code netanomaly_llm_*}).
 *
 * <p>Thread-safe.
 */
public final class LlmSink implements AlertSink {
  private static final Logger LOG = LoggerFactory.getLogger("netanomaly.llm");
  /** Alerts the LLM was not asked about are summed up in at most one line per this many ms. */
  static final long NOT_ASKED_LOG_MILLIS = 10_000;
  private final LlmAnalyst analyst;
  private final Consumer<Alert> onDone;
  private final java.util.concurrent.atomic.LongAdder notAsked = new java.util.concurrent.atomic.LongAdder();
  private final java.util.concurrent.atomic.AtomicLong lastNotAskedLog = new java.util.concurrent.atomic.AtomicLong();

  /**
   * @param analyst the analyst (owned by the caller)
   * @param onDone receives every alert once the analyst is done with it ({@link Alert#llmAnalysis()}
   *     null when no analysis was written), on an analyst thread
   */
  public LlmSink(LlmAnalyst analyst, Consumer<Alert> onDone) {
    this.analyst = analyst;
    this.onDone = onDone;
  }

  /** Registers the analyst's queue depth and outcome counters in {@code registry}. */
  public LlmSink bindMetrics(MeterRegistry registry) {
    Gauge.builder("netanomaly.llm.queue.depth", analyst, a -> a.stats().queueDepth())
        .description("alerts waiting for the LLM").register(registry);
    counter(registry, "netanomaly.llm.succeeded", "LLM analyses written", LlmStats::succeeded);
    counter(registry, "netanomaly.llm.failures", "LLM calls that failed (timeouts, errors, open circuit)",
        LlmStats::failed);
    counter(registry, "netanomaly.llm.timeouts", "LLM calls that timed out", LlmStats::timedOut);
    counter(registry, "netanomaly.llm.rejected", "alerts not analysed because the LLM queue was full",
        LlmStats::rejected);
    counter(registry, "netanomaly.llm.cache.hits", "analyses answered from the cache", LlmStats::cacheHits);
    return this;
  }

  private void counter(MeterRegistry registry, String name, String description,
      java.util.function.ToLongFunction<LlmStats> f) {
    FunctionCounter.builder(name, analyst, a -> f.applyAsLong(a.stats())).description(description)
        .register(registry);
  }

  @Override
  public void accept(List<Alert> alerts) {
    for (Alert a : alerts) {
      analyst.analyse(a).thenAccept(result -> deliver(a, result));
    }
  }

  /** Nothing to flush: analyses arrive when they arrive. */
  @Override
  public void flush() {
  }

  /** The analyst is owned by the caller, who closes it. */
  @Override
  public void close() {
  }

  private void deliver(Alert alert, Analysis result) {
    if (result.succeeded()) {
      LOG.info("alert {} {}: LLM {} in {} ms", alert.id(), alert.anomalyType(), result.outcome(),
          result.latencyMillis());
      onDone.accept(alert.withLlmAnalysis(result.text()));
      return;
    }
    if (result.outcome() == Analysis.Outcome.REJECTED || result.outcome() == Analysis.Outcome.CIRCUIT_OPEN) {
      // Under a flood (provider down, queue full) a line per alert would swamp the log and cost
      // the detection path; the metrics count each one, the log sums them up.
      notAsked.increment();
      long now = System.currentTimeMillis();
      long last = lastNotAskedLog.get();
      if (now - last >= NOT_ASKED_LOG_MILLIS && lastNotAskedLog.compareAndSet(last, now)) {
        LOG.info("LLM not asked about {} alerts ({}; latest: {} {}); they keep their deterministic analysis",
            notAsked.sumThenReset(), result.failureReason(), alert.id(), alert.anomalyType());
      }
    } else {
      LOG.info("alert {} {}: LLM {} ({}); the alert keeps its deterministic analysis", alert.id(),
          alert.anomalyType(), result.outcome(), result.failureReason());
    }
    onDone.accept(alert);
  }
}
