package io.netanomaly.stream.source;

import io.netanomaly.core.io.InputException;
import io.netanomaly.core.schema.Row;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Flow JSON Lines (or CSV with a header) from a TCP server, such as {@code netanomaly simulate}.
 *
 * <p>With {@link SourceOptions#reconnect()} a dropped or refused connection is retried with
 * exponential backoff (initial wait doubling up to the maximum; reset once a connection delivers a
 * row), and each loss, retry and recovery is announced on the notice channel; reading resumes with
 * whatever the server sends on the new connection. A line cut off by the drop is counted as
 * malformed. Without reconnection the end of the connection ends the source and a refused
 * connection is an {@link IOException}.
 *
 * <p>One thread calls {@link #next()}; {@link #close()} is thread-safe and unblocks it.
 */
public final class TcpSource implements Source {
  private final String host;
  private final int port;
  private final String name;
  private final SourceOptions options;
  private final MalformedLines malformed;
  private final Consumer<String> notices;
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile Socket socket;
  private RowStream rows;
  private long backoffMillis;
  private int failedAttempts;
  private boolean everConnected;
  private boolean rowOnThisConnection;

  /**
   * @param notices receives connection notices (connected, lost, retrying), one line each
   */
  public TcpSource(String host, int port, SourceOptions options, MalformedLines malformed,
      Consumer<String> notices) {
    this.host = Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535: " + port);
    }
    this.port = port;
    this.name = "tcp://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    this.options = Objects.requireNonNull(options, "options");
    this.malformed = Objects.requireNonNull(malformed, "malformed");
    this.notices = Objects.requireNonNull(notices, "notices");
    this.backoffMillis = options.initialBackoffMillis();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Row next() throws IOException, InterruptedException {
    while (!isClosed()) {
      if (rows == null && !connect()) {
        continue;
      }
      Row row;
      String lost;
      try {
        row = rows.next();
        lost = "closed by the server";
      } catch (IOException e) {
        row = null;
        lost = e.getMessage() == null ? e.toString() : e.getMessage();
      }
      if (row != null) {
        if (!rowOnThisConnection) {
          rowOnThisConnection = true;
          backoffMillis = options.initialBackoffMillis();
        }
        return row;
      }
      disconnect();
      if (isClosed()) {
        return null;
      }
      if (!options.reconnect()) {
        notices.accept(name + ": connection " + lost + "; end of stream (no reconnect)");
        return null;
      }
      notices.accept(name + ": connection " + lost + "; reconnecting in " + seconds(backoffMillis));
      pause();
    }
    return null;
  }

  /** One connection attempt; false (after a pause) when it failed and should be retried. */
  private boolean connect() throws IOException, InterruptedException {
    Socket s = new Socket();
    try {
      s.setTcpNoDelay(true);
      s.connect(new InetSocketAddress(host, port), options.connectTimeoutMillis());
      socket = s;
      if (isClosed()) { // close() may have run between the check and the assignment
        s.close();
        return false;
      }
      rows = RowStream.open(s.getInputStream(), name, malformed);
    } catch (InputException e) {
      malformed.report(e);
      disconnect();
      s.close();
      if (!options.reconnect()) {
        throw e;
      }
      notices.accept(name + ": unreadable stream; reconnecting in " + seconds(backoffMillis));
      pause();
      return false;
    } catch (IOException e) {
      s.close();
      socket = null;
      if (isClosed()) {
        return false;
      }
      if (!options.reconnect()) {
        throw new IOException("cannot connect to " + name + ": " + e.getMessage(), e);
      }
      failedAttempts++;
      notices.accept(name + ": cannot connect (" + e.getMessage() + "); retrying in "
          + seconds(backoffMillis));
      pause();
      return false;
    }
    notices.accept(name + ": " + (everConnected ? "reconnected" : "connected")
        + (failedAttempts > 0 ? " after " + failedAttempts + " failed attempt"
            + (failedAttempts == 1 ? "" : "s") : ""));
    everConnected = true;
    failedAttempts = 0;
    rowOnThisConnection = false;
    return true;
  }

  private void pause() throws InterruptedException {
    closed.await(backoffMillis, TimeUnit.MILLISECONDS);
    backoffMillis = Math.min(backoffMillis * 2, options.maxBackoffMillis());
  }

  private void disconnect() {
    RowStream r = rows;
    rows = null;
    Socket s = socket;
    socket = null;
    try {
      if (r != null) {
        r.close();
      }
      if (s != null) {
        s.close();
      }
    } catch (IOException ignored) {
      // the connection is gone either way
    }
  }

  private boolean isClosed() {
    return closed.getCount() == 0;
  }

  private static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }

  @Override
  public void close() {
    closed.countDown();
    Socket s = socket;
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing unblocks the reader; nothing else to do
      }
    }
  }
}
