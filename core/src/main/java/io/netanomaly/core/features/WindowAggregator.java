package io.netanomaly.core.features;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-source sliding-window aggregates in event time. For each new flow of a source it gives, over
 * that source's flows in the last {@code windowMillis} (the flow itself included): connections,
 * distinct destination addresses, distinct destination ports, total bytes, packets per second,
 * connections to the same destination, and connections to the same destination and port (repeated
 * attempts: logins, floods, tunnels). Over a longer horizon of {@link #HORIZON_FACTOR} windows it
 * gives the regularity of the calls to the same destination: the coefficient of variation
 * (standard deviation / mean) of the intervals between them, when there are at least
 * {@link #MIN_INTERVALS} intervals (NaN otherwise). Malware beacons call home on a timer, so their
 * intervals vary little; people do not.
 *
 * <p>Memory is bounded: a source keeps at most {@link #MAX_EVENTS} recent flows (counts saturate
 * there), a source idle for longer than the horizon is forgotten, and at most {@code maxSources}
 * sources are tracked (least recently seen dropped first). Destinations are compared by the hash of
 * their text, so two addresses with the same hash count as one (rare; it only merges counts).
 * Events are expected in roughly non-decreasing time per source; an event older than the newest
 * seen for its source is counted with the window ending at that newest time.
 *
 * <p>Stateful and not thread-safe: one instance per stream. Allocates only when a source is new or
 * its history grows.
 */
public final class WindowAggregator {
  /** Flows kept per source. */
  public static final int MAX_EVENTS = 256;
  /** Number of aggregates written by {@link #update}. */
  public static final int WIDTH = 8;
  /** The regularity horizon, in windows. */
  public static final int HORIZON_FACTOR = 10;
  /** Intervals needed before regularity is measured. */
  public static final int MIN_INTERVALS = 3;

  private final long windowMillis;
  private final long horizonMillis;
  private final int maxSources;
  private final LinkedHashMap<String, SourceWindow> sources;
  // Scratch open-addressing sets for distinct destinations and ports, stamped so they never need
  // clearing.
  private final int[] dstKeys = new int[MAX_EVENTS * 2];
  private final int[] dstStamp = new int[MAX_EVENTS * 2];
  private final int[] portKeys = new int[MAX_EVENTS * 2];
  private final int[] portStamp = new int[MAX_EVENTS * 2];
  private int stamp;

  /**
   * @param windowMillis window length in milliseconds (event time)
   * @param maxSources most sources tracked at once
   */
  public WindowAggregator(long windowMillis, int maxSources) {
    if (windowMillis <= 0 || maxSources <= 0) {
      throw new IllegalArgumentException("window and maxSources must be positive");
    }
    this.windowMillis = windowMillis;
    this.horizonMillis = windowMillis * HORIZON_FACTOR;
    this.maxSources = maxSources;
    this.sources = new LinkedHashMap<>(1024, 0.75f, true);
  }

  public long windowMillis() {
    return windowMillis;
  }

  /** Sources currently tracked. */
  public int trackedSources() {
    return sources.size();
  }

  /**
   * Adds one flow and writes the source's aggregates into {@code out[offset .. offset + WIDTH)}:
   * connections, distinct destination addresses, distinct destination ports, total bytes,
   * packets per second (packets / window seconds), connections to the same destination,
   * connections to the same destination and port (all over the window), and the coefficient of
   * variation of the intervals between calls to the same destination over the horizon (NaN when
   * fewer than {@link #MIN_INTERVALS} intervals).
   *
   * @param timeMillis event time in epoch milliseconds
   * @param source the source address; null counts as one anonymous source
   * @param destination destination address or null
   * @param dstPort destination port or -1
   * @param bytes bytes of the flow (both directions), NaN counts as 0
   * @param packets packets of the flow (both directions), NaN counts as 0
   */
  public void update(long timeMillis, String source, String destination, int dstPort,
      double bytes, double packets, double[] out, int offset) {
    String key = source == null ? "" : source;
    expireIdle(timeMillis);
    SourceWindow w = sources.get(key);
    if (w == null) {
      w = new SourceWindow();
      sources.put(key, w);
      if (sources.size() > maxSources) {
        Iterator<Map.Entry<String, SourceWindow>> it = sources.entrySet().iterator();
        it.next();
        it.remove();
      }
    }
    long now = Math.max(timeMillis, w.newest);
    int dst = destination == null ? 0 : destination.hashCode();
    w.add(now, timeMillis, dst, dstPort, Double.isNaN(bytes) ? 0 : bytes, Double.isNaN(packets) ? 0 : packets);
    w.evictBefore(now - horizonMillis);
    long cutoff = now - windowMillis;
    int connections = 0;
    int sameDst = 0;
    int sameDstPort = 0;
    double totalBytes = 0;
    double totalPackets = 0;
    // Intervals between calls to this destination over the horizon (Welford's running variance).
    long previous = Long.MIN_VALUE;
    int intervals = 0;
    double mean = 0;
    double m2 = 0;
    int distinctDst = 0;
    int distinctPort = 0;
    if (++stamp == 0) {
      java.util.Arrays.fill(dstStamp, 0);
      java.util.Arrays.fill(portStamp, 0);
      stamp = 1;
    }
    int mask = w.capacity() - 1;
    for (int i = 0, p = w.head; i < w.size; i++, p = (p + 1) & mask) {
      boolean same = w.dst[p] == dst;
      if (same) {
        if (previous != Long.MIN_VALUE) {
          double gap = w.time[p] - previous;
          intervals++;
          double d = gap - mean;
          mean += d / intervals;
          m2 += d * (gap - mean);
        }
        previous = w.time[p];
      }
      if (w.time[p] < cutoff) {
        continue;
      }
      connections++;
      distinctDst += addDistinct(dstKeys, dstStamp, w.dst[p]);
      distinctPort += addDistinct(portKeys, portStamp, w.port[p]);
      totalBytes += w.bytes[p];
      totalPackets += w.packets[p];
      if (same) {
        sameDst++;
        if (w.port[p] == dstPort) {
          sameDstPort++;
        }
      }
    }
    out[offset] = connections;
    out[offset + 1] = distinctDst;
    out[offset + 2] = distinctPort;
    out[offset + 3] = totalBytes;
    out[offset + 4] = totalPackets / (windowMillis / 1000.0);
    out[offset + 5] = sameDst;
    out[offset + 6] = sameDstPort;
    out[offset + 7] = intervals >= MIN_INTERVALS && mean > 0 ? Math.sqrt(m2 / intervals) / mean : Double.NaN;
  }

  private void expireIdle(long now) {
    Iterator<Map.Entry<String, SourceWindow>> it = sources.entrySet().iterator();
    // Access order: the eldest entries are the least recently seen, so stop at the first live one.
    while (it.hasNext()) {
      SourceWindow w = it.next().getValue();
      if (w.newest >= now - horizonMillis) {
        break;
      }
      it.remove();
    }
  }

  /** Adds {@code k} to a stamped scratch set; 1 when it was not there yet, else 0. */
  private int addDistinct(int[] keys, int[] stamps, int k) {
    int mask = keys.length - 1;
    int h = ((k * 0x9E3779B9) >>> 23) & mask;
    while (true) {
      if (stamps[h] != stamp) {
        stamps[h] = stamp;
        keys[h] = k;
        return 1;
      }
      if (keys[h] == k) {
        return 0;
      }
      h = (h + 1) & mask;
    }
  }

  /** Ring buffer of one source's recent flows; grows by doubling from 4 up to MAX_EVENTS. */
  private static final class SourceWindow {
    long[] time = new long[4];
    int[] dst = new int[4];
    int[] port = new int[4];
    float[] bytes = new float[4];
    float[] packets = new float[4];
    int head;
    int size;
    long newest = Long.MIN_VALUE;

    int capacity() {
      return time.length;
    }

    void add(long now, long t, int d, int p, double b, double pk) {
      if (size == time.length) {
        if (time.length < MAX_EVENTS) {
          grow();
        } else {
          head = (head + 1) & (time.length - 1);
          size--;
        }
      }
      int at = (head + size) & (time.length - 1);
      time[at] = t;
      dst[at] = d;
      port[at] = p;
      bytes[at] = (float) b;
      packets[at] = (float) pk;
      size++;
      newest = now;
    }

    private void grow() {
      int n = time.length * 2;
      long[] t2 = new long[n];
      int[] d2 = new int[n];
      int[] p2 = new int[n];
      float[] b2 = new float[n];
      float[] k2 = new float[n];
      for (int i = 0; i < size; i++) {
        int from = (head + i) & (time.length - 1);
        t2[i] = time[from];
        d2[i] = dst[from];
        p2[i] = port[from];
        b2[i] = bytes[from];
        k2[i] = packets[from];
      }
      time = t2;
      dst = d2;
      port = p2;
      bytes = b2;
      packets = k2;
      head = 0;
    }

    void evictBefore(long cutoff) {
      while (size > 0 && time[head] < cutoff) {
        head = (head + 1) & (time.length - 1);
        size--;
      }
    }
  }
}
