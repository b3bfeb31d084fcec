package io.netanomaly.stream.simulate;

import io.netanomaly.core.io.RowWriter;
import io.netanomaly.core.schema.FlowRecord;
import io.netanomaly.core.schema.FlowSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes flows as the JSON Lines that core's {@link RowWriter} writes for flows (with the
 * {@code is_anomaly} and {@code anomaly_type} labels), one complete line per flow, each ending in
 * {@code \n}. Not thread-safe: one per producing thread.
 */
public final class FlowLineEncoder {
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);
  private final RowWriter writer = RowWriter.open(buffer, true, FlowSchema.SCHEMA, true, List.of());

  /** The flow's JSON line, ending in a line feed. */
  public byte[] encode(FlowRecord flow) {
    try {
      writer.write(flow.toRow());
      writer.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    byte[] written = buffer.toByteArray();
    buffer.reset();
    // The writer separates records with a line feed written before the next one.
    int from = written.length > 0 && written[0] == '\n' ? 1 : 0;
    byte[] line = Arrays.copyOfRange(written, from, written.length + 1);
    line[line.length - 1] = '\n';
    return line;
  }
}
