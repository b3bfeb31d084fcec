package io.netanomaly.store;

import io.netanomaly.core.explain.Alert;
import io.netanomaly.core.explain.AnomalyType;
import io.netanomaly.core.explain.Explanation;
import io.netanomaly.core.explain.FeatureContribution;
import io.netanomaly.core.explain.ThreatCatalog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Alerts for the store tests, varied enough to catch lossy columns. */
final class TestAlerts {
  static final long T0 = 1_700_000_000_000L;

  private TestAlerts() {}

  /**
   * Alert number {@code i}: event time T0 + i seconds, source 10.0.(i/256).(i%256), type cycling
   * through the anomaly types, score 0.5 + (i % 50) / 100.
   */
  static Alert alert(int i) {
    AnomalyType type = AnomalyType.values()[i % AnomalyType.values().length];
    double score = 0.5 + (i % 50) / 100.0;
    double threshold = 0.52;
    List<FeatureContribution> features = List.of(
        new FeatureContribution("win_distinct_dst_ports", 80 + i, 1, 11, 0.625),
        new FeatureContribution("bytes_sent", 1234.5678 * i, 0.0, 98_765.4321, 0.25),
        new FeatureContribution("duration", 0.1 + i / 3.0, 1e-3, 7.77, 0.125));
    Explanation e = new Explanation(score, threshold, type.label(), features,
        ThreatCatalog.assess(type.label(), score, threshold));
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("timestamp", Long.toString(T0 + i * 1000L));
    fields.put("src_ip", srcIp(i));
    fields.put("dst_ip", "192.168.1." + (i % 7));
    fields.put("dst_port", Integer.toString(20 + i));
    fields.put("flags", "SYN");
    return new Alert(0, T0 + 3_600_000L + i, T0 + i * 1000L, srcIp(i), "192.168.1." + (i % 7), 40_000 + i, 20 + i,
        i % 3 == 0 ? "UDP" : "TCP", 60.25 + i, 0.001 * i, "iforest", e, fields, null);
  }

  static String srcIp(int i) {
    return "10.0." + (i / 256) + "." + (i % 256);
  }

  static List<Alert> alerts(int from, int count) {
    List<Alert> out = new ArrayList<>(count);
    for (int i = from; i < from + count; i++) {
      out.add(alert(i));
    }
    return out;
  }

  /**
   * An alert at the edges of what the columns hold: NaN and infinite numbers, no ports, null
   * addresses, empty and null field values, non-ASCII text, quotes and line breaks, an LLM analysis.
   */
  static Alert awkward() {
    List<FeatureContribution> features = new ArrayList<>();
    features.add(new FeatureContribution("payload \"entropy\"", Double.NaN, Double.NEGATIVE_INFINITY,
        Double.POSITIVE_INFINITY, 1.0));
    features.add(new FeatureContribution("ünïcode_特徴", Double.MIN_VALUE, -Double.MAX_VALUE, 1e-300, 0.0));
    Explanation e = new Explanation(0.987654321012345, 0.5000000000000001, "dns_tunneling", features,
        ThreatCatalog.assess("dns_tunneling", 0.987654321012345, 0.5000000000000001));
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("z_first", "comes first although it sorts last");
    fields.put("query", "a,b;\"c\"\nd\te ' OR 1=1 --");
    fields.put("empty", "");
    fields.put("missing", null);
    fields.put("ключ", "значение");
    return new Alert(0, Long.MAX_VALUE - 1, -86_400_000L, null, null, -1, -1, null, Double.NaN, Double.NaN,
        "rcf-online", e, fields, "Likely DNS tunnelling.\nCheck \"resolver\", block it; then 'scan'.");
  }
}
