package io.netanomaly.stream.sink;

import io.netanomaly.core.explain.Alert;
import io.netanomaly.store.AlertStore;
import io.netanomaly.store.AlertWriter;
import io.netanomaly.stream.AlertSink;
import java.util.List;
import java.util.function.Consumer;

/**
 * Writes alerts to the {@link AlertStore} in batches on the store writer's thread, so scoring never
 * waits for the database. Once a batch is stored, {@code onStored} receives it with the store's
 * ids (to hand to the LLM analyst, which updates the stored alert by id).
 *
 * <p>Thread-safe.
 */
public final class StoreSink implements AlertSink {
  private final AlertWriter writer;

  /**
   * @param store the store (owned by the caller)
   * @param onStored receives each stored batch with ids, on the writer's thread
   */
  public StoreSink(AlertStore store, Consumer<List<Alert>> onStored) {
    this.writer = AlertWriter.builder(store).onStored(onStored).start();
  }

  @Override
  public void accept(List<Alert> alerts) {
    writer.offerAll(alerts);
  }

  /** Waits until every alert accepted so far is stored. */
  @Override
  public void flush() {
    writer.flush();
  }

  /** Alerts that could not be queued (queue full) or stored. */
  public long lost() {
    return writer.dropped() + writer.failed();
  }

  @Override
  public void close() {
    writer.close();
  }
}
