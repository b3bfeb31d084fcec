package io.netanomaly.core.io;

import io.netanomaly.core.schema.Row;
import io.netanomaly.core.schema.Schema;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The iteration, skipping and counting shared by all readers. A subclass parses one record per
 * {@link #readRow()} call and throws {@link InputException} for a bad one; this class decides
 * whether that error is thrown to the caller or skipped and kept. {@link #hasNext()} reads ahead
 * one record, so an error surfaces from {@link #next()}, never from {@code hasNext()}.
 * Not thread-safe.
 */
abstract class AbstractRowSource implements RowSource {
  private final Schema schema;
  private final ReadOptions options;
  private final CountingInputStream counter;
  private final long totalBytes;
  private final Closeable input;
  private final List<InputException> firstErrors = new ArrayList<>();
  private Row pending;
  private InputException pendingError;
  private boolean finished;
  private long rowsRead;
  private long skipped;

  AbstractRowSource(Schema schema, ReadOptions options, CountingInputStream counter,
      long totalBytes, Closeable input) {
    this.schema = schema;
    this.options = options;
    this.counter = counter;
    this.totalBytes = totalBytes;
    this.input = input;
  }

  /** The next good row, or null at the end of input; throws InputException for a bad record. */
  protected abstract Row readRow() throws IOException;

  @Override
  public final Schema schema() {
    return schema;
  }

  @Override
  public final boolean hasNext() {
    if (pending != null || pendingError != null) {
      return true;
    }
    while (!finished) {
      Row row;
      try {
        row = readRow();
      } catch (InputException e) {
        if (options.skipInvalid() && !e.isFatal()) {
          skipped++;
          if (firstErrors.size() < options.maxErrorsKept()) {
            firstErrors.add(e);
          }
          continue;
        }
        pendingError = e;
        return true;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (row == null) {
        finished = true;
        return false;
      }
      pending = row;
      return true;
    }
    return false;
  }

  @Override
  public final Row next() {
    if (!hasNext()) {
      throw new NoSuchElementException("no more rows");
    }
    if (pendingError != null) {
      InputException e = pendingError;
      pendingError = null;
      if (e.isFatal()) {
        finished = true;
      }
      throw e;
    }
    Row row = pending;
    pending = null;
    rowsRead++;
    return row;
  }

  @Override
  public final long rowsRead() {
    return rowsRead;
  }

  @Override
  public final long skippedCount() {
    return skipped;
  }

  @Override
  public final List<InputException> firstErrors() {
    return Collections.unmodifiableList(new ArrayList<>(firstErrors));
  }

  @Override
  public final long bytesRead() {
    return counter.count();
  }

  @Override
  public final long totalBytes() {
    return totalBytes;
  }

  @Override
  public void close() throws IOException {
    finished = true;
    pending = null;
    pendingError = null;
    input.close();
  }
}
