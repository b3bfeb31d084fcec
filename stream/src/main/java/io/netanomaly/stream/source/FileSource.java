package io.netanomaly.stream.source;

import io.netanomaly.core.schema.Row;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Flows from a file, JSON Lines or CSV with a header (sniffed by core's readers); with
 * {@code follow} the file is tailed: new lines are read as they are appended, and after a
 * truncation or rotation (see {@link FollowedFile}) reading starts again at the top of the file,
 * which is announced on the notice channel. Without follow the source ends at the end of the file.
 *
 * <p>One thread calls {@link #next()}; {@link #close()} is thread-safe and ends a wait for data.
 */
public final class FileSource implements Source {
  private final Path path;
  private final boolean follow;
  private final String name;
  private final SourceOptions options;
  private final MalformedLines malformed;
  private final Consumer<String> notices;
  private volatile boolean closed;
  private volatile InputStream current;
  private RowStream rows;

  public FileSource(Path path, boolean follow, SourceOptions options, MalformedLines malformed,
      Consumer<String> notices) {
    this.path = Objects.requireNonNull(path, "path");
    this.follow = follow;
    this.name = "file:" + path + (follow ? "?follow" : "");
    this.options = Objects.requireNonNull(options, "options");
    this.malformed = Objects.requireNonNull(malformed, "malformed");
    this.notices = Objects.requireNonNull(notices, "notices");
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Row next() throws IOException {
    try {
      return read();
    } catch (IOException e) {
      if (closed) {
        return null; // close() from another thread interrupted a read
      }
      throw e;
    }
  }

  private Row read() throws IOException {
    while (!closed) {
      if (rows == null) {
        InputStream in = follow ? new FollowedFile(path, options.pollMillis()) : Files.newInputStream(path);
        current = in;
        if (closed) {
          in.close();
          return null;
        }
        rows = RowStream.open(in, path.toString(), malformed);
      }
      Row row = rows.next();
      if (row != null) {
        return row;
      }
      rows.close();
      rows = null;
      if (!follow) {
        closed = true;
        return null;
      }
      FollowedFile.EndReason reason = ((FollowedFile) current).endReason();
      if (reason == FollowedFile.EndReason.TRUNCATED || reason == FollowedFile.EndReason.ROTATED) {
        notices.accept(name + ": file " + (reason == FollowedFile.EndReason.TRUNCATED ? "truncated"
            : "rotated") + "; reading it from the start");
      }
    }
    return null;
  }

  @Override
  public void close() {
    closed = true;
    InputStream in = current;
    if (in != null) {
      try {
        in.close();
      } catch (IOException ignored) {
        // ends the generation either way
      }
    }
  }
}
