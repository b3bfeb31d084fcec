package io.netanomaly.store;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Aggregates over the alerts a query matches, for dashboards: the total, counts by anomaly type and
 * by protocol, the busiest source and destination addresses, a timeline of alerts per time bucket
 * (event time) and a histogram of scores. Immutable.
 */
public final class AlertSummary {
  private final long total;
  private final Map<String, Long> byType;
  private final Map<String, Long> byProtocol;
  private final Map<String, Long> topSources;
  private final Map<String, Long> topDestinations;
  private final long bucketStartMillis;
  private final long bucketMillis;
  private final long[] timeline;
  private final double scoreLow;
  private final double scoreBinWidth;
  private final long[] scoreHistogram;

  /**
   * @param total alerts matched
   * @param byType alerts per anomaly type, most frequent first
   * @param byProtocol alerts per protocol ("unknown" for none), most frequent first
   * @param topSources the most frequent source addresses with their counts, most frequent first
   * @param topDestinations the same for destinations
   * @param bucketStartMillis event time where the first timeline bucket starts, epoch ms
   * @param bucketMillis width of a timeline bucket, ms (positive)
   * @param timeline alerts per bucket, consecutive buckets from {@code bucketStartMillis}
   * @param scoreLow lower edge of the first score bin
   * @param scoreBinWidth width of a score bin (positive)
   * @param scoreHistogram alerts per score bin; alerts without a score are not counted
   */
  public AlertSummary(long total, Map<String, Long> byType, Map<String, Long> byProtocol,
      Map<String, Long> topSources, Map<String, Long> topDestinations, long bucketStartMillis, long bucketMillis,
      long[] timeline, double scoreLow, double scoreBinWidth, long[] scoreHistogram) {
    if (bucketMillis <= 0 || !(scoreBinWidth > 0)) {
      throw new IllegalArgumentException("bucket and bin widths must be positive");
    }
    this.total = total;
    this.byType = ordered(byType);
    this.byProtocol = ordered(byProtocol);
    this.topSources = ordered(topSources);
    this.topDestinations = ordered(topDestinations);
    this.bucketStartMillis = bucketStartMillis;
    this.bucketMillis = bucketMillis;
    this.timeline = timeline.clone();
    this.scoreLow = scoreLow;
    this.scoreBinWidth = scoreBinWidth;
    this.scoreHistogram = scoreHistogram.clone();
  }

  private static Map<String, Long> ordered(Map<String, Long> m) {
    return java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(Objects.requireNonNull(m)));
  }

  /** Alerts matched. */
  public long total() { return total; }

  /** Alerts per anomaly type, most frequent first. */
  public Map<String, Long> byType() { return byType; }

  /** Alerts per protocol, most frequent first. */
  public Map<String, Long> byProtocol() { return byProtocol; }

  /** The busiest source addresses, most frequent first. */
  public Map<String, Long> topSources() { return topSources; }

  /** The busiest destination addresses, most frequent first. */
  public Map<String, Long> topDestinations() { return topDestinations; }

  /** Event time where the first timeline bucket starts, epoch milliseconds. */
  public long bucketStartMillis() { return bucketStartMillis; }

  /** Width of a timeline bucket, milliseconds. */
  public long bucketMillis() { return bucketMillis; }

  /** Alerts per timeline bucket (a copy). */
  public long[] timeline() { return timeline.clone(); }

  /** Lower edge of the first score bin. */
  public double scoreLow() { return scoreLow; }

  /** Width of a score bin. */
  public double scoreBinWidth() { return scoreBinWidth; }

  /** Alerts per score bin (a copy). */
  public long[] scoreHistogram() { return scoreHistogram.clone(); }

  @Override
  public String toString() {
    return "AlertSummary[" + total + " alerts, types=" + byType + "]";
  }
}
