package io.netanomaly.stream.source;

import io.netanomaly.core.schema.Row;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Flows from one byte stream, such as standard input: JSON Lines or CSV with a header, sniffed
 * by core's readers. Ends at the end of the stream. {@link #close()} does not close the stream
 * (standard input belongs to the process); a read blocked on it ends only with the next line or
 * end-of-file, so callers read it on a thread they can abandon.
 *
 * <p>One thread calls {@link #next()}; {@link #close()} is thread-safe.
 */
public final class StreamSource implements Source {
  private final InputStream in;
  private final String name;
  private final MalformedLines malformed;
  private volatile boolean closed;
  private RowStream rows;

  public StreamSource(InputStream in, String name, MalformedLines malformed) {
    this.in = Objects.requireNonNull(in, "in");
    this.name = Objects.requireNonNull(name, "name");
    this.malformed = Objects.requireNonNull(malformed, "malformed");
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Row next() throws IOException {
    if (closed) {
      return null;
    }
    if (rows == null) {
      rows = RowStream.open(new java.io.FilterInputStream(in) {
        @Override
        public void close() {
          // the caller owns the stream
        }
      }, name, malformed);
    }
    Row row = rows.next();
    if (row == null) {
      closed = true;
    }
    return closed ? null : row;
  }

  @Override
  public void close() {
    closed = true;
  }
}
