package io.netanomaly.core.io;

import io.netanomaly.core.schema.Row;
import io.netanomaly.core.schema.Schema;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;

/**
 * A stream of parsed, validated rows from one input. {@link #next()} throws
 * {@link InputException} for a bad row unless the source skips them
 * ({@link ReadOptions#skipInvalid()}); after such an exception iteration may continue with the
 * next row. An {@link java.io.UncheckedIOException} reports a failure of the underlying stream.
 * Not thread-safe: one thread reads a source.
 */
public interface RowSource extends Iterator<Row>, AutoCloseable {
  /** The schema of every row; known before the first row is returned. */
  Schema schema();

  /** Rows returned by {@link #next()} so far. */
  long rowsRead();

  /** Bad rows skipped so far (only with skipInvalid). */
  long skippedCount();

  /** The first {@link ReadOptions#maxErrorsKept()} errors among the skipped rows, in order. */
  List<InputException> firstErrors();

  /** Bytes consumed from the input so far (runs ahead of the rows by a buffer); for progress. */
  long bytesRead();

  /** Size of the input in bytes, or -1 when unknown (stdin). */
  long totalBytes();

  @Override
  void close() throws IOException;
}
