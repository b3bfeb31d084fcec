package io.netanomaly.core.io;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the bytes read through it, for progress reporting, and optionally shields the wrapped
 * stream from {@link #close()} (stdin). Not thread-safe; {@link #count()} may be read from another
 * thread and is then approximate.
 */
final class CountingInputStream extends FilterInputStream {
  private final boolean closeWrapped;
  private volatile long count;

  CountingInputStream(InputStream in, boolean closeWrapped) {
    super(in);
    this.closeWrapped = closeWrapped;
  }

  long count() {
    return count;
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b >= 0) {
      count++;
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int r = in.read(b, off, len);
    if (r > 0) {
      count += r;
    }
    return r;
  }

  @Override
  public long skip(long n) throws IOException {
    long r = in.skip(n);
    count += r;
    return r;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  @Override
  public void close() throws IOException {
    if (closeWrapped) {
      in.close();
    }
  }
}
