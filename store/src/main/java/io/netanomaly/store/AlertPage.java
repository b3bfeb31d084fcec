package io.netanomaly.store;

import io.netanomaly.core.explain.Alert;
import java.util.List;

/**
 * One page of a query's alerts, newest first, and the cursor for the next page. Immutable.
 */
public final class AlertPage {
  private final List<Alert> alerts;
  private final String nextCursor;

  /**
   * @param alerts the page's alerts, newest first
   * @param nextCursor the cursor of the following page, null when this page is the last
   */
  public AlertPage(List<Alert> alerts, String nextCursor) {
    this.alerts = List.copyOf(alerts);
    this.nextCursor = nextCursor;
  }

  /** The alerts, newest first. */
  public List<Alert> alerts() { return alerts; }

  /** Pass to {@link AlertQuery#cursor(String)} for the next page; null when there is none. Opaque. */
  public String nextCursor() { return nextCursor; }

  @Override
  public String toString() {
    return "AlertPage[" + alerts.size() + " alerts, next=" + nextCursor + "]";
  }
}
