package io.netanomaly.stream;

import io.netanomaly.core.explain.Alert;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Running counts of a {@link WatchLoop}: flows scored, alerts (total and by anomaly type),
 * malformed lines, queue depth and event-time lag (wall clock minus the newest event time
 * scored). Written by the scoring thread, read by any thread; thread-safe.
 */
public final class WatchStats {
  private final LongSupplier malformed;
  private final IntSupplier queueDepth;
  private final int queueCapacity;
  private final LongSupplier clockMillis;
  private final long startNanos = System.nanoTime();
  private final AtomicLong flows = new AtomicLong();
  private final AtomicLong alerts = new AtomicLong();
  private final Map<String, LongAdder> byType = new ConcurrentHashMap<>();
  private volatile long newestEventMillis = Long.MIN_VALUE;
  private long lastFlows;
  private long lastNanos = startNanos;

  /**
   * @param malformed the malformed-line count of the source
   * @param queueDepth rows waiting to be scored
   * @param clockMillis the wall clock, epoch ms (for the lag)
   */
  public WatchStats(LongSupplier malformed, IntSupplier queueDepth, int queueCapacity, LongSupplier clockMillis) {
    this.malformed = malformed;
    this.queueDepth = queueDepth;
    this.queueCapacity = queueCapacity;
    this.clockMillis = clockMillis;
  }

  /** Counts a scored batch and its alerts; {@code newestEvent} in epoch ms, MIN_VALUE if none. */
  void record(int rows, List<Alert> batchAlerts, long newestEvent) {
    flows.addAndGet(rows);
    alerts.addAndGet(batchAlerts.size());
    for (Alert a : batchAlerts) {
      byType.computeIfAbsent(a.anomalyType(), k -> new LongAdder()).increment();
    }
    if (newestEvent > newestEventMillis) {
      newestEventMillis = newestEvent;
    }
  }

  /** Flows scored so far. */
  public long flows() {
    return flows.get();
  }

  /** Alerts raised so far. */
  public long alerts() {
    return alerts.get();
  }

  /** Alerts by anomaly type, sorted by type. */
  public Map<String, Long> alertsByType() {
    Map<String, Long> m = new TreeMap<>();
    byType.forEach((k, v) -> m.put(k, v.sum()));
    return m;
  }

  /** Malformed lines skipped so far. */
  public long malformed() {
    return malformed.getAsLong();
  }

  /** Newest event time scored, epoch ms; Long.MIN_VALUE before the first row. */
  public long newestEventMillis() {
    return newestEventMillis;
  }

  /**
   * The periodic line: rate since the previous call, totals, alerts by type, malformed lines,
   * queue depth, lag and heap in use, e.g. {@code 41,210 flows/s | 1,204,332 flows | 612 alerts
   * (port_scan 80, syn_flood 211) | 0 malformed | queue 37/8,192 | lag 0.4 s | heap 212 MB}.
   */
  public synchronized String line() {
    long now = System.nanoTime();
    long f = flows.get();
    double seconds = Math.max((now - lastNanos) / 1e9, 1e-9);
    double rate = (f - lastFlows) / seconds;
    lastFlows = f;
    lastNanos = now;
    return format(rate, f);
  }

  /** The closing line: like {@link #line()} with the mean rate since the start. */
  public String finalLine() {
    long f = flows.get();
    double seconds = Math.max((System.nanoTime() - startNanos) / 1e9, 1e-9);
    return String.format(Locale.ROOT, "final: %s in %.1f s", format(f / seconds, f), seconds);
  }

  private String format(double rate, long f) {
    StringBuilder b = new StringBuilder(160);
    b.append(String.format(Locale.ROOT, "%,.0f flows/s | %,d flows | %,d alerts", rate, f, alerts.get()));
    Map<String, Long> types = alertsByType();
    if (!types.isEmpty()) {
      b.append(" (");
      String sep = "";
      for (Map.Entry<String, Long> e : types.entrySet()) {
        b.append(sep).append(e.getKey()).append(' ').append(String.format(Locale.ROOT, "%,d", e.getValue()));
        sep = ", ";
      }
      b.append(')');
    }
    b.append(String.format(Locale.ROOT, " | %,d malformed | queue %,d/%,d | lag ", malformed(),
        queueDepth.getAsInt(), queueCapacity));
    long newest = newestEventMillis;
    b.append(newest == Long.MIN_VALUE ? "-" : lag(clockMillis.getAsLong() - newest));
    b.append(String.format(Locale.ROOT, " | heap %,d MB", heapInUseBytes() >> 20));
    return b.toString();
  }

  /** Heap in use now, garbage not yet collected included (a rough but honest gauge). */
  static long heapInUseBytes() {
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  private static String lag(long millis) {
    double s = millis / 1000.0;
    if (Math.abs(s) < 120) {
      return String.format(Locale.ROOT, "%.1f s", s);
    }
    if (Math.abs(s) < 2 * 86_400) {
      return String.format(Locale.ROOT, "%.1f h", s / 3600);
    }
    return String.format(Locale.ROOT, "%,.0f d", s / 86_400);
  }
}
