package io.netanomaly.stream.source;

import io.netanomaly.core.io.InputException;
import io.netanomaly.core.schema.Row;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Flows from a Zeek {@code conn.log} (TSV with its header, or JSON lines), mapped by
 * {@link ZeekConnParser}; with {@code follow} the log is tailed like {@link FileSource}, and after
 * a truncation or rotation the new file's header is read again. A record that cannot be mapped is
 * counted and logged as malformed.
 *
 * <p>One thread calls {@link #next()}; {@link #close()} is thread-safe and ends a wait for data.
 */
public final class ZeekSource implements Source {
  private final Path path;
  private final boolean follow;
  private final String name;
  private final SourceOptions options;
  private final MalformedLines malformed;
  private final Consumer<String> notices;
  private final ZeekConnParser parser;
  private volatile boolean closed;
  private volatile InputStream current;
  private BufferedReader reader;
  private long line;

  /**
   * @param clockMillis wall clock, epoch ms, for records whose time stamp is unset or masked
   */
  public ZeekSource(Path path, boolean follow, SourceOptions options, MalformedLines malformed,
      Consumer<String> notices, LongSupplier clockMillis) {
    this.path = Objects.requireNonNull(path, "path");
    this.follow = follow;
    this.name = "zeek:" + path + (follow ? "?follow" : "");
    this.options = Objects.requireNonNull(options, "options");
    this.malformed = Objects.requireNonNull(malformed, "malformed");
    this.notices = Objects.requireNonNull(notices, "notices");
    this.parser = new ZeekConnParser(path.toString(), clockMillis);
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
      if (reader == null) {
        InputStream in = follow ? new FollowedFile(path, options.pollMillis()) : Files.newInputStream(path);
        current = in;
        if (closed) {
          in.close();
          return null;
        }
        reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        parser.reset();
        line = 0;
      }
      String text = reader.readLine();
      if (text != null) {
        line++;
        try {
          Row row = parser.parse(text, line);
          if (row != null) {
            return row;
          }
        } catch (InputException e) {
          malformed.report(e);
        }
        continue;
      }
      reader.close();
      reader = null;
      if (!follow) {
        closed = true;
        return null;
      }
      FollowedFile.EndReason reason = ((FollowedFile) current).endReason();
      if (reason == FollowedFile.EndReason.TRUNCATED || reason == FollowedFile.EndReason.ROTATED) {
        notices.accept(name + ": log " + (reason == FollowedFile.EndReason.TRUNCATED ? "truncated"
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
