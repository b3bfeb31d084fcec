package io.netanomaly.server;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How the detection server listens and what it accepts. Immutable; build with {@link #builder()}.
 */
public final class ServerOptions {
  private final String host;
  private final int port;
  private final long maxBodyBytes;
  private final int maxRecords;
  private final String apiKey;
  private final List<String> corsOrigins;
  private final Path reportDirectory;
  private final String llm;
  private final boolean gzipPredictions;

  private ServerOptions(Builder b) {
    this.host = b.host;
    this.port = b.port;
    this.maxBodyBytes = b.maxBodyBytes;
    this.maxRecords = b.maxRecords;
    this.apiKey = b.apiKey;
    this.corsOrigins = List.copyOf(b.corsOrigins);
    this.reportDirectory = b.reportDirectory;
    this.llm = b.llm;
    this.gzipPredictions = b.gzipPredictions;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Interface to bind; 127.0.0.1 by default so nothing is exposed unless asked. */
  public String host() { return host; }
  /** TCP port; 0 picks a free one. */
  public int port() { return port; }
  /** Largest request body accepted, bytes. */
  public long maxBodyBytes() { return maxBodyBytes; }
  /** Most records in one predict request. */
  public int maxRecords() { return maxRecords; }
  /** API key required by write endpoints, or null for none. Never logged. */
  public String apiKey() { return apiKey; }
  /** Origins allowed by CORS; empty = CORS off. */
  public List<String> corsOrigins() { return corsOrigins; }
  /** Folder of an evaluation report served under {@code /report/}, or null for none. */
  public Path reportDirectory() { return reportDirectory; }
  /** What the dashboard says about the LLM analyst ("off", "ollama llama3.2 at …"); never a key. */
  public String llm() { return llm; }
  /** Whether predict answers are gzipped for clients that accept it (off: it cost a fifth of a batch's CPU). */
  public boolean gzipPredictions() { return gzipPredictions; }

  @Override
  public String toString() {
    return "ServerOptions[" + host + ":" + port + ", maxBody=" + maxBodyBytes + ", maxRecords=" + maxRecords
        + ", apiKey=" + (apiKey == null ? "none" : "****") + ", cors=" + corsOrigins
        + ", report=" + reportDirectory + ", llm=" + llm
        + ", gzipPredictions=" + gzipPredictions + "]";
  }

  /** Builder with the defaults: 127.0.0.1:8080, 8 MiB bodies, 10,000 records, no key, no CORS. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 8080;
    private long maxBodyBytes = 8L << 20;
    private int maxRecords = 10_000;
    private String apiKey;
    private List<String> corsOrigins = List.of();
    private Path reportDirectory;
    private String llm = "off";
    private boolean gzipPredictions;

    public Builder host(String h) {
      this.host = Objects.requireNonNull(h);
      return this;
    }

    public Builder port(int p) {
      if (p < 0 || p > 65535) {
        throw new IllegalArgumentException("port: expected 0..65535, got " + p);
      }
      this.port = p;
      return this;
    }

    public Builder maxBodyBytes(long n) {
      if (n < 1024) {
        throw new IllegalArgumentException("max body: expected at least 1024 bytes, got " + n);
      }
      this.maxBodyBytes = n;
      return this;
    }

    public Builder maxRecords(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("max records: expected at least 1, got " + n);
      }
      this.maxRecords = n;
      return this;
    }

    public Builder apiKey(String key) {
      this.apiKey = key == null || key.isEmpty() ? null : key;
      return this;
    }

    public Builder corsOrigins(List<String> origins) {
      this.corsOrigins = List.copyOf(origins);
      return this;
    }

    /** Serves this folder (an {@code evaluate --report} output) under {@code /report/}; null for none. */
    public Builder reportDirectory(Path dir) {
      this.reportDirectory = dir;
      return this;
    }

    /** A description of the LLM analyst for the dashboard; must not contain a key. */
    public Builder llm(String description) {
      this.llm = Objects.requireNonNull(description);
      return this;
    }

    /** Gzips predict answers for clients that accept it: less traffic on slow links, more server CPU. */
    public Builder gzipPredictions(boolean on) {
      this.gzipPredictions = on;
      return this;
    }

    public ServerOptions build() {
      return new ServerOptions(this);
    }
  }
}
