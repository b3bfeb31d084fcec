package io.netanomaly.stream;

import io.netanomaly.core.explain.Alert;
import java.io.IOException;
import java.util.List;

/**
 * Where alerts go: the console card, and (added by the application) the alert store, the CSV
 * incident log, an LLM analyst. {@link WatchLoop} calls every sink from its one scoring thread, in
 * order: {@link #accept} once per scored batch that raised alerts, {@link #flush()} after each
 * batch and on stop, {@link #close()} once at the end. A sink that must not slow scoring (an LLM)
 * hands the alerts to its own thread and returns.
 *
 * <p>A sink that throws is reported and left out of later calls; the others carry on.
 */
public interface AlertSink extends AutoCloseable {
  /** Takes a batch's alerts, in event order; the list is not kept by the caller. */
  void accept(List<Alert> alerts) throws IOException;

  /** Makes everything accepted so far durable or visible (written, committed, printed). */
  void flush() throws IOException;

  /** Flushes and releases the sink's resources. */
  @Override
  void close() throws IOException;
}
