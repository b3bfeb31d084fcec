package io.netanomaly.stream.source;

import io.netanomaly.core.io.DataFormat;
import io.netanomaly.core.io.InputException;
import io.netanomaly.core.io.ReadOptions;
import io.netanomaly.core.io.Readers;
import io.netanomaly.core.io.RowSource;
import io.netanomaly.core.schema.Row;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Flow rows from one byte stream through core's flow readers (JSON Lines or CSV with a header,
 * sniffed): a row a reader refuses is reported to {@link MalformedLines} and skipped. An empty
 * stream has no rows (rather than a missing header). Not thread-safe; closing it closes the input.
 */
final class RowStream implements Closeable {
  private static final ReadOptions FLOW = ReadOptions.builder().format(DataFormat.FLOW).build();

  private final InputStream input;
  private final RowSource rows;
  private final MalformedLines malformed;

  private RowStream(InputStream input, RowSource rows, MalformedLines malformed) {
    this.input = input;
    this.rows = rows;
    this.malformed = malformed;
  }

  /**
   * Opens the stream; blocks until its first byte arrives (core sniffs the format from it).
   *
   * @throws InputException when the input is CSV without a canonical flow header
   */
  static RowStream open(InputStream raw, String name, MalformedLines malformed) throws IOException {
    BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
    in.mark(1);
    if (in.read() < 0) {
      return new RowStream(in, null, malformed);
    }
    in.reset();
    return new RowStream(in, Readers.open(in, name, DataFormat.FLOW, FLOW), malformed);
  }

  /** The next good row, or null at the end of the stream. */
  Row next() throws IOException {
    if (rows == null) {
      return null;
    }
    while (true) {
      try {
        if (!rows.hasNext()) {
          return null;
        }
        return rows.next();
      } catch (InputException e) {
        malformed.report(e);
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
    }
  }

  @Override
  public void close() throws IOException {
    try {
      if (rows != null) {
        rows.close();
      }
    } finally {
      input.close();
    }
  }
}
