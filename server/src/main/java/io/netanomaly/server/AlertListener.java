package io.netanomaly.server;

import io.netanomaly.core.explain.Alert;
import java.util.List;

/**
 * Receives the alerts of each predict request, after the response is computed. Implementations
 * must not block for long (queue the work): they run on the request thread.
 */
@FunctionalInterface
public interface AlertListener {
  void onAlerts(List<Alert> alerts);
}
