package io.netanomaly.store;

import java.time.Instant;
import java.util.Objects;

/**
 * Which alerts to list: filters on event time, anomaly type, score and source address, a page size,
 * and a cursor from the previous page. Results come newest first (by store id). Every filter is
 * optional; an unset one matches everything. Immutable: each {@code with} method returns a copy.
 *
 * <pre>{@code
 * AlertQuery q = AlertQuery.all().since(Instant.parse("2024-01-01T00:00:00Z")).type("port_scan").limit(50);
 * }</pre>
 */
public final class AlertQuery {
  /** Page size when none is given. */
  public static final int DEFAULT_LIMIT = 100;
  /** Largest page size; larger requests are clamped to it. */
  public static final int MAX_LIMIT = 1000;

  private static final AlertQuery ALL = new AlertQuery(null, null, null, null, null, DEFAULT_LIMIT, null);

  private final Long sinceMillis;
  private final Long untilMillis;
  private final String type;
  private final Double minScore;
  private final String srcIp;
  private final int limit;
  private final Long beforeId;

  private AlertQuery(Long sinceMillis, Long untilMillis, String type, Double minScore, String srcIp, int limit,
      Long beforeId) {
    this.sinceMillis = sinceMillis;
    this.untilMillis = untilMillis;
    this.type = type;
    this.minScore = minScore;
    this.srcIp = srcIp;
    this.limit = limit;
    this.beforeId = beforeId;
  }

  /** No filter, first page of {@value #DEFAULT_LIMIT}. */
  public static AlertQuery all() {
    return ALL;
  }

  /** Only alerts whose event time is at or after this instant (epoch ms, inclusive). */
  public AlertQuery since(long epochMillis) {
    return new AlertQuery(epochMillis, untilMillis, type, minScore, srcIp, limit, beforeId);
  }

  /** Only alerts whose event time is at or after this instant (inclusive). */
  public AlertQuery since(Instant instant) {
    return since(instant.toEpochMilli());
  }

  /** Only alerts whose event time is before this instant (epoch ms, exclusive). */
  public AlertQuery until(long epochMillis) {
    return new AlertQuery(sinceMillis, epochMillis, type, minScore, srcIp, limit, beforeId);
  }

  /** Only alerts whose event time is before this instant (exclusive). */
  public AlertQuery until(Instant instant) {
    return until(instant.toEpochMilli());
  }

  /** Only alerts of this anomaly type label ("port_scan"); null clears the filter. */
  public AlertQuery type(String anomalyType) {
    return new AlertQuery(sinceMillis, untilMillis, anomalyType, minScore, srcIp, limit, beforeId);
  }

  /**
   * Only alerts scoring at least this much.
   *
   * @throws IllegalArgumentException when the score is NaN
   */
  public AlertQuery minScore(double score) {
    if (Double.isNaN(score)) {
      throw new IllegalArgumentException("min_score: expected a number, got NaN");
    }
    return new AlertQuery(sinceMillis, untilMillis, type, score, srcIp, limit, beforeId);
  }

  /** Only alerts from this exact source address; null clears the filter. */
  public AlertQuery srcIp(String address) {
    return new AlertQuery(sinceMillis, untilMillis, type, minScore, address, limit, beforeId);
  }

  /**
   * Page size; values above {@value #MAX_LIMIT} are clamped to it.
   *
   * @throws IllegalArgumentException when below 1
   */
  public AlertQuery limit(int pageSize) {
    if (pageSize < 1) {
      throw new IllegalArgumentException("limit: expected 1.." + MAX_LIMIT + ", got " + pageSize);
    }
    return new AlertQuery(sinceMillis, untilMillis, type, minScore, srcIp, Math.min(pageSize, MAX_LIMIT), beforeId);
  }

  /**
   * Continue after a page: the {@link AlertPage#nextCursor()} it returned. Null starts from the newest.
   *
   * @throws IllegalArgumentException when the cursor was not made by this store
   */
  public AlertQuery cursor(String cursor) {
    Long id = null;
    if (cursor != null) {
      try {
        id = Long.parseLong(cursor);
      } catch (NumberFormatException e) {
        id = -1L;
      }
      if (id <= 0) {
        throw new IllegalArgumentException("cursor: expected a value returned as next_cursor, got '"
            + (cursor.length() > 40 ? cursor.substring(0, 40) + "…" : cursor) + "'");
      }
    }
    return new AlertQuery(sinceMillis, untilMillis, type, minScore, srcIp, limit, id);
  }

  /** Lower event-time bound in epoch ms (inclusive), or null. */
  public Long sinceMillis() { return sinceMillis; }

  /** Upper event-time bound in epoch ms (exclusive), or null. */
  public Long untilMillis() { return untilMillis; }

  /** Anomaly type filter, or null. */
  public String type() { return type; }

  /** Minimum score, or null. */
  public Double minScore() { return minScore; }

  /** Source address filter, or null. */
  public String srcIp() { return srcIp; }

  /** Page size, 1..{@value #MAX_LIMIT}. */
  public int limit() { return limit; }

  /** Only ids below this one (the cursor), or null for the first page. */
  public Long beforeId() { return beforeId; }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof AlertQuery)) {
      return false;
    }
    AlertQuery q = (AlertQuery) o;
    return limit == q.limit && Objects.equals(sinceMillis, q.sinceMillis) && Objects.equals(untilMillis, q.untilMillis)
        && Objects.equals(type, q.type) && Objects.equals(minScore, q.minScore) && Objects.equals(srcIp, q.srcIp)
        && Objects.equals(beforeId, q.beforeId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(sinceMillis, untilMillis, type, minScore, srcIp, limit, beforeId);
  }

  @Override
  public String toString() {
    return "AlertQuery[since=" + sinceMillis + ", until=" + untilMillis + ", type=" + type + ", minScore=" + minScore
        + ", srcIp=" + srcIp + ", limit=" + limit + ", before=" + beforeId + "]";
  }
}
