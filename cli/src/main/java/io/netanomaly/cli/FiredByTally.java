package io.netanomaly.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netanomaly.core.supervised.FiredBy;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What raised the alerts of a supervised or hybrid model in {@code evaluate}: alerts per source
 * (supervised, detector, both) with how many were attacks, and recall by source, overall and per
 * anomaly type — the classifier's (as a supervised-only model would flag), the detector's, and the
 * hybrid's (either). Not thread-safe; one per evaluation.
 */
final class FiredByTally {
  private static final String ALL = "all attacks";
  private final long[] alerts = new long[FiredBy.values().length];
  private final long[] attackAlerts = new long[FiredBy.values().length];
  /** Per type (and {@link #ALL}): attacks, caught by the classifier, by the detector, by either. */
  private final Map<String, long[]> byType = new TreeMap<>();

  /** Counts one labelled row and what fired on it. */
  void add(FiredBy firedBy, int label, String type) {
    alerts[firedBy.ordinal()]++;
    if (label != 1) {
      return;
    }
    attackAlerts[firedBy.ordinal()]++;
    count(ALL, firedBy);
    if (type != null && !type.isEmpty()) {
      count(type, firedBy);
    }
  }

  private void count(String key, FiredBy f) {
    long[] c = byType.computeIfAbsent(key, k -> new long[4]);
    c[0]++;
    c[1] += f.classifierFired() ? 1 : 0;
    c[2] += f.detectorFired() ? 1 : 0;
    c[3] += f.isAlert() ? 1 : 0;
  }

  /** The two tables, as {@code evaluate} prints them after the metrics. */
  String toTable() {
    StringBuilder s = new StringBuilder("\n");
    s.append(String.format(Locale.ROOT, "  %-22s %10s %10s %10s%n", "alerts by source", "alerts", "attacks", "precision"));
    for (FiredBy f : new FiredBy[] {FiredBy.SUPERVISED, FiredBy.DETECTOR, FiredBy.BOTH}) {
      long a = alerts[f.ordinal()];
      s.append(String.format(Locale.ROOT, "  %-22s %,10d %,10d %10s%n", f.label(), a, attackAlerts[f.ordinal()],
          a == 0 ? "n/a" : String.format(Locale.ROOT, "%.4f", attackAlerts[f.ordinal()] / (double) a)));
    }
    s.append('\n');
    s.append(String.format(Locale.ROOT, "  %-22s %10s %10s %10s %10s%n", "recall by source", "count", "supervised",
        "detector", "either"));
    for (Map.Entry<String, long[]> e : ordered().entrySet()) {
      long[] c = e.getValue();
      s.append(String.format(Locale.ROOT, "  %-22s %,10d %10.4f %10.4f %10.4f%n", e.getKey(), c[0], c[1] / (double) c[0],
          c[2] / (double) c[0], c[3] / (double) c[0]));
    }
    return s.toString();
  }

  /** {@code {"alerts": {source: {alerts, attacks}}, "recall": {type: {count, supervised, detector, either}}}}. */
  ObjectNode toJson() {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    ObjectNode a = n.putObject("alerts");
    for (FiredBy f : new FiredBy[] {FiredBy.SUPERVISED, FiredBy.DETECTOR, FiredBy.BOTH}) {
      ObjectNode o = a.putObject(f.label());
      o.put("alerts", alerts[f.ordinal()]);
      o.put("attacks", attackAlerts[f.ordinal()]);
    }
    ObjectNode r = n.putObject("recall");
    for (Map.Entry<String, long[]> e : ordered().entrySet()) {
      long[] c = e.getValue();
      ObjectNode o = r.putObject(e.getKey());
      o.put("count", c[0]);
      o.put("supervised", c[1] / (double) c[0]);
      o.put("detector", c[2] / (double) c[0]);
      o.put("either", c[3] / (double) c[0]);
    }
    return n;
  }

  /** All attacks first, then the types by name. */
  private Map<String, long[]> ordered() {
    Map<String, long[]> m = new java.util.LinkedHashMap<>();
    if (byType.containsKey(ALL)) {
      m.put(ALL, byType.get(ALL));
    }
    byType.forEach((k, v) -> {
      if (!k.equals(ALL)) {
        m.put(k, v);
      }
    });
    return m;
  }
}
