package io.netanomaly.stream.sink;

import io.netanomaly.core.explain.Alert;
import io.netanomaly.store.CsvIncidentLog;
import io.netanomaly.stream.AlertSink;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends alerts to the CSV incident log. A write failure is logged and counted, never thrown at
 * the detection path.
 *
 * <p>Thread-safe (appends are serialised).
 */
public final class IncidentLogSink implements AlertSink {
  private static final Logger LOG = LoggerFactory.getLogger("netanomaly.incidents");
  private final CsvIncidentLog log;
  private long failures;
  private boolean closed;

  public IncidentLogSink(CsvIncidentLog log) {
    this.log = log;
  }

  @Override
  public synchronized void accept(List<Alert> alerts) {
    try {
      log.append(alerts);
    } catch (IOException e) {
      failures++;
      LOG.warn("incident log {}: {} alert(s) not written: {}", log.file(), alerts.size(), e.toString());
    }
  }

  /** Batches that could not be written. */
  public synchronized long failures() {
    return failures;
  }

  @Override
  public void flush() {
    // append() flushes each batch itself
  }

  @Override
  public synchronized void close() throws IOException {
    if (!closed) {
      closed = true;
      log.close();
    }
  }
}
