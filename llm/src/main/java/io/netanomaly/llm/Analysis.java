package io.netanomaly.llm;

import java.util.Objects;

/**
 * The outcome of asking the LLM about one alert: the written analysis, or why there is none.
 * Immutable and thread-safe.
 */
public final class Analysis {
  /** How an analysis request ended. */
  public enum Outcome {
    /** The provider answered. */
    ANSWERED,
    /** An earlier answer for the same anomaly type and salient features was reused. */
    CACHED,
    /** Every attempt failed (HTTP error, bad answer, connection refused). */
    FAILED,
    /** The last attempt took longer than the per-call timeout. */
    TIMED_OUT,
    /** The circuit breaker was open: the provider was not asked. */
    CIRCUIT_OPEN,
    /** The queue was full or the analyst closed: the request was not taken. */
    REJECTED,
    /** No LLM is configured. */
    DISABLED
  }

  private final Outcome outcome;
  private final String text;
  private final String provider;
  private final String model;
  private final long latencyMillis;
  private final int attempts;
  private final String failureReason;

  private Analysis(Outcome outcome, String text, String provider, String model, long latencyMillis, int attempts,
      String failureReason) {
    this.outcome = Objects.requireNonNull(outcome, "outcome");
    this.text = text;
    this.provider = Objects.requireNonNull(provider, "provider");
    this.model = Objects.requireNonNull(model, "model");
    this.latencyMillis = latencyMillis;
    this.attempts = attempts;
    this.failureReason = failureReason;
  }

  /** A fresh answer from the provider. */
  public static Analysis answered(String text, String provider, String model, long latencyMillis, int attempts) {
    return new Analysis(Outcome.ANSWERED, Objects.requireNonNull(text, "text"), provider, model, latencyMillis,
        attempts, null);
  }

  /** A reused answer; no HTTP call was made. */
  public static Analysis cached(String text, String provider, String model, long latencyMillis) {
    return new Analysis(Outcome.CACHED, Objects.requireNonNull(text, "text"), provider, model, latencyMillis, 0, null);
  }

  /**
   * No answer.
   *
   * @param outcome any outcome but {@link Outcome#ANSWERED} and {@link Outcome#CACHED}
   * @param reason short human-readable reason, free of secrets
   */
  public static Analysis failed(Outcome outcome, String reason, String provider, String model, long latencyMillis,
      int attempts) {
    if (outcome == Outcome.ANSWERED || outcome == Outcome.CACHED) {
      throw new IllegalArgumentException("a failed analysis cannot have outcome " + outcome);
    }
    return new Analysis(outcome, null, provider, model, latencyMillis, attempts,
        Objects.requireNonNull(reason, "reason"));
  }

  public Outcome outcome() { return outcome; }
  /** Whether there is a text (answered or cached). */
  public boolean succeeded() { return text != null; }
  /** Whether the text was reused from the cache. */
  public boolean cached() { return outcome == Outcome.CACHED; }
  /** The LLM's analysis, null when it failed. */
  public String text() { return text; }
  /** Provider name: "ollama", "openai" or "none". */
  public String provider() { return provider; }
  public String model() { return model; }
  /** Milliseconds from the request's submission to its completion, queueing and retries included. */
  public long latencyMillis() { return latencyMillis; }
  /** HTTP calls made for this request (0 when cached, rejected or short-circuited). */
  public int attempts() { return attempts; }
  /** Why there is no text, or null when there is one. */
  public String failureReason() { return failureReason; }

  @Override
  public String toString() {
    return "Analysis[" + outcome + " " + provider + "/" + model + " " + latencyMillis + "ms attempts=" + attempts
        + (failureReason != null ? " reason=" + failureReason : " chars=" + text.length()) + "]";
  }
}
