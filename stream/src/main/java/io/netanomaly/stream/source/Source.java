package io.netanomaly.stream.source;

import io.netanomaly.core.schema.Row;
import java.io.IOException;

/**
 * A live stream of canonical flow rows ({@link io.netanomaly.core.schema.FlowSchema#SCHEMA}) from
 * a socket, a file, a Zeek log or standard input. A malformed line never ends a source: it is
 * counted and logged by the source's {@link MalformedLines} and reading goes on.
 *
 * <p>One thread calls {@link #next()}; {@link #close()} may be called from any thread and makes a
 * blocked {@code next()} return {@code null} soon (standard input excepted: a read blocked there
 * ends only when a line or end-of-file arrives).
 */
public interface Source extends AutoCloseable {
  /**
   * The next row, blocking until one arrives.
   *
   * @return the row, or null when the source has ended for good (end of a file that is not
   *     followed, a closed connection without reconnection, or {@link #close()})
   * @throws IOException when the source fails and cannot recover (never for a malformed line)
   * @throws InterruptedException when the reading thread is interrupted
   */
  Row next() throws IOException, InterruptedException;

  /** The source as the user named it, e.g. {@code tcp://127.0.0.1:9999}. */
  String name();

  /** Stops reading; idempotent and thread-safe. */
  @Override
  void close();
}
