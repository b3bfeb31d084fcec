package io.netanomaly.llm;

import io.netanomaly.core.explain.Explanation;
import io.netanomaly.core.explain.FeatureContribution;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers already written, keyed by the situation they describe, so the same kind of alert is not
 * sent to the LLM twice. Bounded: the least recently used entry goes first. Thread-safe
 * (synchronized; one lookup per alert).
 */
final class AnalysisCache {
  /** How many of the top features make up the key. */
  static final int KEY_FEATURES = 3;

  private final int capacity;
  private final Map<String, String> entries;

  /** @param capacity most entries kept; 0 keeps none */
  AnalysisCache(int capacity) {
    this.capacity = capacity;
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
        return size() > AnalysisCache.this.capacity;
      }
    };
  }

  /**
   * The key of an explanation: its anomaly type and, for each of the top {@link #KEY_FEATURES}
   * features, its name and the order of magnitude of its value. "port_scan|win_distinct_dst_ports:e1|..."
   */
  static String keyOf(Explanation e) {
    StringBuilder b = new StringBuilder(64).append(e.anomalyType());
    List<FeatureContribution> top = e.topFeatures();
    for (int i = 0; i < Math.min(KEY_FEATURES, top.size()); i++) {
      FeatureContribution f = top.get(i);
      b.append('|').append(f.feature()).append(':').append(magnitude(f.value()));
    }
    return b.toString();
  }

  /** "e3" for 1000..9999, "-e0" for -1..-9.99, "0", "nan", "inf", "-inf". */
  static String magnitude(double v) {
    if (Double.isNaN(v)) {
      return "nan";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    if (v == 0) {
      return "0";
    }
    int exponent = (int) Math.floor(Math.log10(Math.abs(v)));
    return (v < 0 ? "-e" : "e") + exponent;
  }

  /** The cached text, or null. */
  synchronized String get(String key) {
    return capacity == 0 ? null : entries.get(key);
  }

  synchronized void put(String key, String text) {
    if (capacity > 0) {
      entries.put(key, text);
    }
  }

  synchronized int size() {
    return entries.size();
  }
}
