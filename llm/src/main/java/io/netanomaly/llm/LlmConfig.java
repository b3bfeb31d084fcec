package io.netanomaly.llm;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the LLM analyst: which provider and model to ask, how, and how hard to try.
 * Immutable and thread-safe; build it with {@link #builder()} or read it from environment
 * variables with {@link #fromEnvironment(Map)}. {@link #toString()} never shows the API key.
 */
public final class LlmConfig {
  /** Which chat protocol to speak. */
  public enum Provider {
    /** No LLM: every analysis completes at once as disabled. */
    NONE,
    /** Ollama's {@code /api/chat}. */
    OLLAMA,
    /** OpenAI-compatible {@code /chat/completions} (Together AI, vLLM, llama.cpp server, OpenAI). */
    OPENAI
  }

  /** Ollama's default address. */
  public static final String OLLAMA_DEFAULT_BASE_URL = "http://localhost:11434";
  /** Together AI's OpenAI-compatible endpoint, the seeds' hosted provider. */
  public static final String TOGETHER_BASE_URL = "https://api.together.xyz/v1";
  /** Default Ollama model. */
  public static final String OLLAMA_DEFAULT_MODEL = "llama3.2";
  /** Default OpenAI-compatible model (a Together AI model name). */
  public static final String OPENAI_DEFAULT_MODEL = "meta-llama/Llama-3.3-70B-Instruct-Turbo";

  private final Provider provider;
  private final String baseUrlSetting;
  private final String modelSetting;
  private final String apiKey;
  private final int maxTokens;
  private final double temperature;
  private final Duration timeout;
  private final boolean streaming;
  private final int queueCapacity;
  private final int workers;
  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final int circuitFailureThreshold;
  private final Duration circuitOpenDuration;
  private final int cacheSize;

  private LlmConfig(Builder b) {
    this.provider = b.provider;
    // explicit settings are kept apart from defaults so toBuilder().provider(other) picks the new defaults
    this.baseUrlSetting = b.baseUrl == null ? null : stripTrailingSlash(b.baseUrl);
    this.modelSetting = b.model;
    this.apiKey = b.apiKey;
    this.maxTokens = b.maxTokens;
    this.temperature = b.temperature;
    this.timeout = b.timeout;
    this.streaming = b.streaming;
    this.queueCapacity = b.queueCapacity;
    this.workers = b.workers;
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.circuitFailureThreshold = b.circuitFailureThreshold;
    this.circuitOpenDuration = b.circuitOpenDuration;
    this.cacheSize = b.cacheSize;
  }

  /** A builder with the defaults: provider none, 300 tokens, temperature 0.2, 30 s timeout, 3 attempts. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration's values, to change a few. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.provider = provider;
    b.baseUrl = baseUrlSetting;
    b.model = modelSetting;
    b.apiKey = apiKey;
    b.maxTokens = maxTokens;
    b.temperature = temperature;
    b.timeout = timeout;
    b.streaming = streaming;
    b.queueCapacity = queueCapacity;
    b.workers = workers;
    b.maxAttempts = maxAttempts;
    b.initialBackoff = initialBackoff;
    b.maxBackoff = maxBackoff;
    b.circuitFailureThreshold = circuitFailureThreshold;
    b.circuitOpenDuration = circuitOpenDuration;
    b.cacheSize = cacheSize;
    return b;
  }

  /**
   * Reads the configuration from environment variables (pass {@code System.getenv()}).
   *
   * <p>{@code NETANOMALY_LLM_PROVIDER} ({@code none|ollama|openai}) chooses the provider. When it is
   * absent, {@code OLLAMA_API_URL} selects Ollama, else {@code TOGETHER_API_KEY} selects the
   * OpenAI-compatible provider at Together AI, else there is no LLM. {@code NETANOMALY_LLM_BASE_URL}
   * overrides the address; {@code OLLAMA_API_URL} may be the full {@code /api/chat} URL (the path is
   * dropped). {@code NETANOMALY_LLM_API_KEY} overrides {@code TOGETHER_API_KEY};
   * {@code NETANOMALY_LLM_MODEL} overrides {@code MODEL_NAME}. {@code MAX_TOKENS},
   * {@code TEMPERATURE}, {@code NETANOMALY_LLM_TIMEOUT_MS} and {@code NETANOMALY_LLM_STREAM}
   * ({@code true|false}) set the rest; anything absent keeps its default.
   *
   * @throws IllegalArgumentException naming the variable and what was expected when a value is bad
   */
  public static LlmConfig fromEnvironment(Map<String, String> env) {
    Objects.requireNonNull(env, "env");
    Builder b = builder();
    String ollamaUrl = value(env, "OLLAMA_API_URL");
    String togetherKey = value(env, "TOGETHER_API_KEY");
    String providerName = value(env, "NETANOMALY_LLM_PROVIDER");
    Provider provider;
    if (providerName != null) {
      provider = parseProvider(providerName, "NETANOMALY_LLM_PROVIDER");
    } else if (ollamaUrl != null) {
      provider = Provider.OLLAMA;
    } else if (togetherKey != null) {
      provider = Provider.OPENAI;
    } else {
      provider = Provider.NONE;
    }
    b.provider(provider);

    String baseUrl = value(env, "NETANOMALY_LLM_BASE_URL");
    if (baseUrl != null) {
      b.baseUrl(checkUrl(baseUrl, "NETANOMALY_LLM_BASE_URL"));
    } else if (provider == Provider.OLLAMA && ollamaUrl != null) {
      b.baseUrl(ollamaBase(checkUrl(ollamaUrl, "OLLAMA_API_URL")));
    }

    String key = value(env, "NETANOMALY_LLM_API_KEY");
    if (key == null && provider == Provider.OPENAI) {
      key = togetherKey;
    }
    b.apiKey(key);

    String model = value(env, "NETANOMALY_LLM_MODEL");
    b.model(model != null ? model : value(env, "MODEL_NAME"));

    String maxTokens = value(env, "MAX_TOKENS");
    if (maxTokens != null) {
      b.maxTokens((int) parseLong(maxTokens, "MAX_TOKENS", 1, 1_000_000, "an integer from 1 to 1000000"));
    }
    String temperature = value(env, "TEMPERATURE");
    if (temperature != null) {
      b.temperature(parseTemperature(temperature));
    }
    String timeoutMs = value(env, "NETANOMALY_LLM_TIMEOUT_MS");
    if (timeoutMs != null) {
      b.timeout(Duration.ofMillis(parseLong(timeoutMs, "NETANOMALY_LLM_TIMEOUT_MS", 1, 3_600_000,
          "milliseconds from 1 to 3600000")));
    }
    String stream = value(env, "NETANOMALY_LLM_STREAM");
    if (stream != null) {
      b.streaming(parseBoolean(stream, "NETANOMALY_LLM_STREAM"));
    }
    return b.build();
  }

  /**
   * Parses a provider name as given on a command line or in the environment.
   *
   * @param source the flag or variable the value came from, for the error message
   * @throws IllegalArgumentException when the name is not none, ollama or openai
   */
  public static Provider parseProvider(String name, String source) {
    switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "none":
        return Provider.NONE;
      case "ollama":
        return Provider.OLLAMA;
      case "openai":
        return Provider.OPENAI;
      default:
        throw new IllegalArgumentException(source + ": expected one of none, ollama, openai but got '"
            + printable(name) + "'");
    }
  }

  public Provider provider() { return provider; }
  /** Base URL without trailing slash: Ollama's root, or the OpenAI-compatible root including {@code /v1}. */
  public String baseUrl() { return baseUrlSetting != null ? baseUrlSetting : defaultBaseUrl(provider); }
  /** The model name, the provider's default when none was set. */
  public String model() { return modelSetting != null ? modelSetting : defaultModel(provider); }
  /** The API key, or null; never log it. */
  public String apiKey() { return apiKey; }
  /** Most tokens the model may generate per answer. */
  public int maxTokens() { return maxTokens; }
  /** Sampling temperature, 0..2. */
  public double temperature() { return temperature; }
  /** Longest one HTTP call may take, including reading the whole answer. */
  public Duration timeout() { return timeout; }
  /** Whether to ask for a streamed answer (Ollama NDJSON, OpenAI SSE) instead of one JSON document. */
  public boolean streaming() { return streaming; }
  /** Most requests waiting for a worker; more are rejected. */
  public int queueCapacity() { return queueCapacity; }
  /** Worker threads asking the LLM in parallel. */
  public int workers() { return workers; }
  /** Most HTTP calls per analysis, the first included. */
  public int maxAttempts() { return maxAttempts; }
  /** Pause before the second attempt; doubled before each further one. */
  public Duration initialBackoff() { return initialBackoff; }
  /** Longest pause between attempts. */
  public Duration maxBackoff() { return maxBackoff; }
  /** Consecutive failed calls that open the circuit. */
  public int circuitFailureThreshold() { return circuitFailureThreshold; }
  /** How long the circuit stays open before one trial call is let through. */
  public Duration circuitOpenDuration() { return circuitOpenDuration; }
  /** Most cached analyses (least recently used evicted); 0 disables the cache. */
  public int cacheSize() { return cacheSize; }

  /**
   * One line for people: "off", or the provider, model and base URL ("ollama llama3.2 at
   * http://localhost:11434"). Never the API key.
   */
  public String describe() {
    if (provider == Provider.NONE) {
      return "off";
    }
    return provider.name().toLowerCase(Locale.ROOT) + " " + model() + " at " + baseUrl();
  }

  /** The configuration with the API key shown as {@code ****}. */
  @Override
  public String toString() {
    return "LlmConfig[provider=" + provider.name().toLowerCase(Locale.ROOT) + ", baseUrl=" + baseUrl() + ", model="
        + model() + ", apiKey=" + (apiKey == null ? "none" : "****") + ", maxTokens=" + maxTokens + ", temperature="
        + temperature + ", timeout=" + timeout.toMillis() + "ms, streaming=" + streaming + ", queueCapacity="
        + queueCapacity + ", workers=" + workers + ", maxAttempts=" + maxAttempts + ", backoff="
        + initialBackoff.toMillis() + ".." + maxBackoff.toMillis() + "ms, circuit=" + circuitFailureThreshold
        + " failures/" + circuitOpenDuration.toMillis() + "ms, cacheSize=" + cacheSize + "]";
  }

  private static String value(Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v.trim();
  }

  private static long parseLong(String text, String variable, long min, long max, String expected) {
    try {
      long v = Long.parseLong(text);
      if (v >= min && v <= max) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below with the variable's name
    }
    throw new IllegalArgumentException(variable + ": expected " + expected + " but got '" + printable(text) + "'");
  }

  private static double parseTemperature(String text) {
    try {
      double v = Double.parseDouble(text);
      if (v >= 0 && v <= 2) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below with the variable's name
    }
    throw new IllegalArgumentException("TEMPERATURE: expected a number from 0 to 2 but got '" + printable(text) + "'");
  }

  private static boolean parseBoolean(String text, String variable) {
    if (text.equalsIgnoreCase("true")) {
      return true;
    }
    if (text.equalsIgnoreCase("false")) {
      return false;
    }
    throw new IllegalArgumentException(variable + ": expected true or false but got '" + printable(text) + "'");
  }

  private static String checkUrl(String text, String source) {
    try {
      URI uri = new URI(text);
      String scheme = uri.getScheme();
      if (scheme != null && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          && uri.getHost() != null && uri.getRawQuery() == null && uri.getRawFragment() == null) {
        return text;
      }
    } catch (URISyntaxException e) {
      // reported below with the source's name
    }
    throw new IllegalArgumentException(source + ": expected an http(s) URL such as http://localhost:11434 but got '"
        + printable(text) + "'");
  }

  /** Ollama's root from a URL that may name an endpoint: "http://h:11434/api/chat" becomes "http://h:11434". */
  private static String ollamaBase(String url) {
    String u = stripTrailingSlash(url);
    for (String suffix : new String[] {"/api/chat", "/api/generate", "/api"}) {
      if (u.endsWith(suffix)) {
        return u.substring(0, u.length() - suffix.length());
      }
    }
    return u;
  }

  private static String stripTrailingSlash(String url) {
    String u = url.trim();
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    return u;
  }

  private static String defaultBaseUrl(Provider p) {
    switch (p) {
      case OLLAMA:
        return OLLAMA_DEFAULT_BASE_URL;
      case OPENAI:
        return TOGETHER_BASE_URL;
      default:
        return "";
    }
  }

  private static String defaultModel(Provider p) {
    switch (p) {
      case OLLAMA:
        return OLLAMA_DEFAULT_MODEL;
      case OPENAI:
        return OPENAI_DEFAULT_MODEL;
      default:
        return "";
    }
  }

  /** A bad value as it may be shown in a message: control characters dropped, at most 80 characters. */
  private static String printable(String s) {
    String t = s.replaceAll("\\p{Cntrl}", "?");
    return t.length() > 80 ? t.substring(0, 80) + "..." : t;
  }

  /** Builds an {@link LlmConfig}; not thread-safe. {@link #build()} checks every value. */
  public static final class Builder {
    private Provider provider = Provider.NONE;
    private String baseUrl;
    private String model;
    private String apiKey;
    private int maxTokens = 300;
    private double temperature = 0.2;
    private Duration timeout = Duration.ofSeconds(30);
    private boolean streaming;
    private int queueCapacity = 256;
    private int workers = 1;
    private int maxAttempts = 3;
    private Duration initialBackoff = Duration.ofMillis(500);
    private Duration maxBackoff = Duration.ofSeconds(8);
    private int circuitFailureThreshold = 5;
    private Duration circuitOpenDuration = Duration.ofSeconds(30);
    private int cacheSize = 1000;

    private Builder() {}

    public Builder provider(Provider p) { this.provider = Objects.requireNonNull(p, "provider"); return this; }
    /** Null for the provider's default. */
    public Builder baseUrl(String url) { this.baseUrl = url; return this; }
    /** Null for the provider's default. */
    public Builder model(String m) { this.model = m; return this; }
    /** Null for none (local servers). */
    public Builder apiKey(String key) { this.apiKey = key; return this; }
    public Builder maxTokens(int n) { this.maxTokens = n; return this; }
    public Builder temperature(double t) { this.temperature = t; return this; }
    public Builder timeout(Duration d) { this.timeout = d; return this; }
    public Builder streaming(boolean s) { this.streaming = s; return this; }
    public Builder queueCapacity(int n) { this.queueCapacity = n; return this; }
    public Builder workers(int n) { this.workers = n; return this; }
    public Builder maxAttempts(int n) { this.maxAttempts = n; return this; }
    public Builder initialBackoff(Duration d) { this.initialBackoff = d; return this; }
    public Builder maxBackoff(Duration d) { this.maxBackoff = d; return this; }
    public Builder circuitFailureThreshold(int n) { this.circuitFailureThreshold = n; return this; }
    public Builder circuitOpenDuration(Duration d) { this.circuitOpenDuration = d; return this; }
    public Builder cacheSize(int n) { this.cacheSize = n; return this; }

    /**
     * @throws IllegalArgumentException naming the setting and what was expected when a value is out of range
     */
    public LlmConfig build() {
      if (baseUrl != null) {
        checkUrl(baseUrl, "baseUrl");
      }
      if (model != null && model.isBlank()) {
        throw new IllegalArgumentException("model: expected a model name but got an empty one");
      }
      if (apiKey != null && (apiKey.isBlank() || apiKey.chars().anyMatch(c -> c < 0x21 || c > 0x7e))) {
        throw new IllegalArgumentException("apiKey: expected printable ASCII without spaces");
      }
      require(maxTokens >= 1, "maxTokens: expected at least 1 but got " + maxTokens);
      require(temperature >= 0 && temperature <= 2, "temperature: expected 0 to 2 but got " + temperature);
      requirePositive(timeout, "timeout");
      require(queueCapacity >= 1, "queueCapacity: expected at least 1 but got " + queueCapacity);
      require(workers >= 1 && workers <= 64, "workers: expected 1 to 64 but got " + workers);
      require(maxAttempts >= 1 && maxAttempts <= 10, "maxAttempts: expected 1 to 10 but got " + maxAttempts);
      Objects.requireNonNull(initialBackoff, "initialBackoff");
      Objects.requireNonNull(maxBackoff, "maxBackoff");
      require(!initialBackoff.isNegative() && maxBackoff.compareTo(initialBackoff) >= 0,
          "initialBackoff/maxBackoff: expected 0 <= initial <= max but got " + initialBackoff + " and " + maxBackoff);
      require(circuitFailureThreshold >= 1,
          "circuitFailureThreshold: expected at least 1 but got " + circuitFailureThreshold);
      requirePositive(circuitOpenDuration, "circuitOpenDuration");
      require(cacheSize >= 0, "cacheSize: expected 0 or more but got " + cacheSize);
      return new LlmConfig(this);
    }

    private static void require(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException(message);
      }
    }

    private static void requirePositive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      require(!d.isNegative() && !d.isZero(), name + ": expected a positive duration but got " + d);
    }
  }
}
