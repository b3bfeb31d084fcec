package io.netanomaly.stream.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * One generation of a file being tailed ({@code tail -F}): reads from the start and, at the end,
 * waits for more data instead of ending. It ends ({@code read} returns -1) when the file is
 * truncated below what was read (copy-and-truncate rotation), when the path now names another
 * file (move-and-create rotation; the old file is read to its end first), or when closed; the
 * caller then opens the next generation, which starts at the beginning of the file again.
 * {@link #endReason()} tells which.
 *
 * <p>A truncation followed by more writes than were read before the next poll cannot be seen and
 * reads on from the old position. The path is polled every {@code pollMillis}; a missing file is
 * waited for. Not thread-safe except {@link #close()}, which may be called from any thread.
 */
final class FollowedFile extends InputStream {
  /** Why a generation ended. */
  enum EndReason { NONE, TRUNCATED, ROTATED, CLOSED }

  private final Path path;
  private final long pollMillis;
  private final ByteBuffer one = ByteBuffer.allocate(1);
  private FileChannel channel;
  private Object fileKey;
  private long position;
  private volatile boolean closed;
  private volatile EndReason endReason = EndReason.NONE;

  FollowedFile(Path path, long pollMillis) {
    this.path = Objects.requireNonNull(path, "path");
    this.pollMillis = pollMillis;
  }

  /** Why {@code read} returned -1; NONE while the generation is live. */
  EndReason endReason() {
    return endReason;
  }

  @Override
  public int read() throws IOException {
    int n = read(one.array(), 0, 1);
    return n < 0 ? -1 : one.array()[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (true) {
      if (closed) {
        return end(EndReason.CLOSED);
      }
      if (channel == null && !openIfPresent()) {
        waitForData();
        continue;
      }
      int n = channel.read(ByteBuffer.wrap(b, off, len));
      if (n > 0) {
        position += n;
        return n;
      }
      if (channel.size() < position) {
        return end(EndReason.TRUNCATED);
      }
      if (replaced()) {
        return end(EndReason.ROTATED);
      }
      waitForData();
    }
  }

  private boolean openIfPresent() throws IOException {
    try {
      FileChannel c = FileChannel.open(path, StandardOpenOption.READ);
      channel = c;
      fileKey = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
      return true;
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  /** Whether the path names another file than the one open (moved away, recreated). */
  private boolean replaced() throws IOException {
    try {
      Object key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
      return key != null && !key.equals(fileKey);
    } catch (NoSuchFileException e) {
      return false; // moved away and not yet recreated: keep the old file until a new one appears
    }
  }

  private void waitForData() throws IOException {
    try {
      Thread.sleep(pollMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while following " + path);
    }
  }

  private int end(EndReason reason) {
    if (endReason == EndReason.NONE) {
      endReason = reason;
    }
    return -1;
  }

  @Override
  public void close() throws IOException {
    closed = true;
    FileChannel c = channel;
    if (c != null) {
      c.close();
    }
  }
}
