package io.netanomaly.llm;

import io.netanomaly.core.explain.Alert;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes an LLM threat analysis for alerts, off the detection path. {@link #analyse(Alert)} never
 * blocks: it queues the request (or refuses it when the bounded queue is full) and returns a future
 * that always completes normally with an {@link Analysis}, whatever happens to the call. Worker
 * threads take requests from the queue and ask the provider with a per-call timeout, retrying with
 * exponential backoff; a circuit breaker stops calls to a provider that keeps failing, and a cache
 * keyed by anomaly type and salient features answers repeated situations without a call.
 *
 * <p>Thread-safe. Futures complete on a worker thread (or the caller's, for immediate outcomes):
 * keep their callbacks short or move work elsewhere with the {@code ...Async} methods. Logs name
 * alerts, outcomes and reasons, never the API key. {@link #close()} stops the workers; requests
 * still queued complete as failed.
 */
public final class LlmAnalyst implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LlmAnalyst.class);

  private final LlmConfig config;
  private final ChatProvider provider;
  private final String providerName;
  private final PromptBuilder prompts = new PromptBuilder();
  private final BlockingQueue<Request> queue;
  private final AnalysisCache cache;
  private final CircuitBreaker breaker;
  private final List<Thread> workers = new ArrayList<>();
  private final ExecutorService calls;
  private final AtomicBoolean closed = new AtomicBoolean();

  private final LongAdder submitted = new LongAdder();
  private final LongAdder succeeded = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder timedOut = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder cacheHits = new LongAdder();
  private final LongAdder shortCircuited = new LongAdder();
  private final LongAdder retries = new LongAdder();

  private LlmAnalyst(LlmConfig config, ChatProvider provider) {
    this.config = config;
    this.provider = provider;
    this.providerName = config.provider().name().toLowerCase(Locale.ROOT);
    this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
    this.cache = new AnalysisCache(config.cacheSize());
    this.breaker = new CircuitBreaker(config.circuitFailureThreshold(), config.circuitOpenDuration());
    if (provider == null) {
      this.calls = null;
      return;
    }
    AtomicInteger callThreads = new AtomicInteger();
    this.calls = Executors.newCachedThreadPool(r -> daemon(r, "netanomaly-llm-call-" + callThreads.incrementAndGet()));
    for (int i = 0; i < config.workers(); i++) {
      Thread t = daemon(this::work, "netanomaly-llm-worker-" + (i + 1));
      workers.add(t);
      t.start();
    }
  }

  /**
   * Starts an analyst: its worker threads run until {@link #close()}. With provider {@code none}
   * no thread starts and every analysis completes at once as {@link Analysis.Outcome#DISABLED}.
   */
  public static LlmAnalyst start(LlmConfig config) {
    Objects.requireNonNull(config, "config");
    ChatProvider provider = config.provider() == LlmConfig.Provider.NONE ? null
        : LangChainChatProvider.create(config);
    LlmAnalyst analyst = new LlmAnalyst(config, provider);
    log.info("LLM analyst started: {}", config);
    return analyst;
  }

  /** The configuration this analyst runs with. */
  public LlmConfig config() {
    return config;
  }

  /** Whether a provider is configured. */
  public boolean enabled() {
    return provider != null;
  }

  /**
   * Asks for an analysis of an alert without waiting for it. Returns at once; the future completes
   * normally (never exceptionally) with the analysis or the reason there is none: at once when the
   * cache holds the answer, the queue is full, the circuit is open or no LLM is configured.
   */
  public CompletableFuture<Analysis> analyse(Alert alert) {
    Objects.requireNonNull(alert, "alert");
    long start = System.nanoTime();
    if (provider == null) {
      return CompletableFuture.completedFuture(
          Analysis.failed(Analysis.Outcome.DISABLED, "no LLM configured", providerName, config.model(), 0, 0));
    }
    submitted.increment();
    String key = AnalysisCache.keyOf(alert.explanation());
    String cachedText = cache.get(key);
    if (cachedText != null) {
      cacheHits.increment();
      return CompletableFuture.completedFuture(Analysis.cached(cachedText, providerName, config.model(), millisSince(start)));
    }
    if (breaker.refusesCalls()) {
      shortCircuited.increment();
      failed.increment();
      return CompletableFuture.completedFuture(Analysis.failed(Analysis.Outcome.CIRCUIT_OPEN,
          "circuit open: provider failing, not asked", providerName, config.model(), millisSince(start), 0));
    }
    Request request = new Request(alert, key, start);
    if (closed.get() || !queue.offer(request)) {
      rejected.increment();
      String reason = closed.get() ? "analyst closed" : "queue full (" + config.queueCapacity() + ")";
      log.debug("LLM analysis of alert {} rejected: {}", alert.id(), reason);
      return CompletableFuture.completedFuture(Analysis.failed(Analysis.Outcome.REJECTED, reason, providerName,
          config.model(), millisSince(start), 0));
    }
    // close() may have drained the queue between the check and the offer
    if (closed.get() && queue.remove(request)) {
      finishFailed(request, Analysis.Outcome.FAILED, "analyst closed before the request was asked", 0);
    }
    return request.result;
  }

  /** A snapshot of the counters. */
  public LlmStats stats() {
    return new LlmStats(queue.size(), submitted.sum(), succeeded.sum(), failed.sum(), timedOut.sum(), rejected.sum(),
        cacheHits.sum(), shortCircuited.sum(), retries.sum(), breaker.state());
  }

  /** Stops the workers (interrupting calls under way) and fails the requests still queued. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (Thread t : workers) {
      t.interrupt();
    }
    for (Thread t : workers) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (calls != null) {
      calls.shutdownNow();
    }
    List<Request> left = new ArrayList<>();
    queue.drainTo(left);
    for (Request r : left) {
      finishFailed(r, Analysis.Outcome.FAILED, "analyst closed before the request was asked", 0);
    }
    log.info("LLM analyst closed: {}", stats());
  }

  private void work() {
    while (!closed.get()) {
      Request r;
      try {
        r = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      try {
        process(r);
      } catch (InterruptedException e) {
        finishFailed(r, Analysis.Outcome.FAILED, "analyst closed while asking", 0);
        return;
      } catch (RuntimeException e) {
        // a bug must not kill the worker nor leave the caller waiting
        log.error("LLM analysis of alert {} failed unexpectedly", r.alert.id(), e);
        finishFailed(r, Analysis.Outcome.FAILED, "internal error: " + e.getClass().getSimpleName(), 0);
      }
    }
  }

  private void process(Request r) throws InterruptedException {
    String cachedText = cache.get(r.key);
    if (cachedText != null) {
      cacheHits.increment();
      r.result.complete(Analysis.cached(cachedText, providerName, config.model(), millisSince(r.startNanos)));
      return;
    }
    String userPrompt = prompts.userPrompt(r.alert);
    ChatFailure last = null;
    int attempts = 0;
    while (attempts < config.maxAttempts()) {
      if (!breaker.tryAcquire()) {
        shortCircuited.increment();
        String reason = "circuit open" + (last != null ? " after " + last.getMessage() : ": provider failing, not asked");
        finishFailed(r, Analysis.Outcome.CIRCUIT_OPEN, reason, attempts);
        return;
      }
      if (attempts > 0) {
        retries.increment();
      }
      attempts++;
      CircuitBreaker.State before = breaker.state();
      try {
        String text = callWithDeadline(userPrompt);
        breaker.onSuccess();
        if (before == CircuitBreaker.State.HALF_OPEN) {
          log.info("LLM circuit closed: {} answered again", providerName);
        }
        cache.put(r.key, text);
        succeeded.increment();
        long latency = millisSince(r.startNanos);
        log.debug("LLM analysis of alert {} ({}) answered in {} ms after {} attempt(s)", r.alert.id(),
            r.alert.anomalyType(), latency, attempts);
        r.result.complete(Analysis.answered(text, providerName, config.model(), latency, attempts));
        return;
      } catch (ChatFailure f) {
        last = f;
        breaker.onFailure();
        if (breaker.state() == CircuitBreaker.State.OPEN && before != CircuitBreaker.State.OPEN) {
          log.warn("LLM circuit open for {} ms after repeated failures ({}): alerts keep their deterministic analysis",
              config.circuitOpenDuration().toMillis(), f.getMessage());
        }
        if (!f.retriable() || attempts >= config.maxAttempts()) {
          break;
        }
        Thread.sleep(backoffMillis(attempts));
      }
    }
    if (last.kind() == ChatFailure.Kind.TIMEOUT) {
      timedOut.increment();
      finishFailed(r, Analysis.Outcome.TIMED_OUT, "timed out after " + config.timeout().toMillis() + " ms", attempts);
    } else {
      finishFailed(r, Analysis.Outcome.FAILED, last.getMessage(), attempts);
    }
  }

  /** One call on a call thread, abandoned (and interrupted) when it outlives the timeout. */
  private String callWithDeadline(String userPrompt) throws ChatFailure, InterruptedException {
    Future<String> call = calls.submit(() -> provider.chat(prompts.systemPrompt(), userPrompt));
    try {
      return call.get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      call.cancel(true);
      throw new ChatFailure(ChatFailure.Kind.TIMEOUT, "timed out");
    } catch (InterruptedException e) {
      call.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ChatFailure) {
        throw (ChatFailure) cause;
      }
      throw new ChatFailure(ChatFailure.Kind.TRANSIENT, "call failed: " + cause.getClass().getSimpleName());
    }
  }

  /** Exponential backoff with jitter: half the doubled delay fixed, half random, capped at the maximum. */
  private long backoffMillis(int attemptsMade) {
    long initial = config.initialBackoff().toMillis();
    long max = config.maxBackoff().toMillis();
    long delay = Math.min(max, initial << Math.min(attemptsMade - 1, 30));
    long half = delay / 2;
    return half + (delay - half == 0 ? 0 : ThreadLocalRandom.current().nextLong(delay - half + 1));
  }

  private void finishFailed(Request r, Analysis.Outcome outcome, String reason, int attempts) {
    failed.increment();
    long latency = millisSince(r.startNanos);
    // while the circuit is open every alert would log the same line: the transition was logged once
    if (outcome == Analysis.Outcome.CIRCUIT_OPEN) {
      log.debug("LLM analysis of alert {} ({}) {}: {}", r.alert.id(), r.alert.anomalyType(), outcome, reason);
    } else {
      log.warn("LLM analysis of alert {} ({}) {}: {} ({} attempt(s), {} ms)", r.alert.id(), r.alert.anomalyType(),
        outcome.name().toLowerCase(Locale.ROOT), reason, attempts, latency);
    }
    r.result.complete(Analysis.failed(outcome, reason, providerName, config.model(), latency, attempts));
  }

  private static long millisSince(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** One queued alert and the future its caller holds. */
  private static final class Request {
    final Alert alert;
    final String key;
    final long startNanos;
    final CompletableFuture<Analysis> result = new CompletableFuture<>();

    Request(Alert alert, String key, long startNanos) {
      this.alert = alert;
      this.key = key;
      this.startNanos = startNanos;
    }
  }
}
