package io.netanomaly.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The lines of a byte stream as ranges of one reused buffer, split as {@link
 * java.io.BufferedReader#readLine()} splits them: at {@code \n}, {@code \r} or {@code \r\n}; the
 * last line may lack its terminator. A read blocks only until a whole line is buffered, so lines
 * from a socket are handed on as they arrive. The buffer grows to the longest line. Not thread-safe.
 */
final class ByteLines {
  private final InputStream in;
  private byte[] buf;
  private int start;
  private int end;
  private int pos;
  private int limit;
  private boolean skipLf;
  private boolean eof;

  ByteLines(InputStream in, int initialBytes) {
    this.in = in;
    this.buf = new byte[initialBytes];
  }

  /** Moves to the next line; false at the end of the stream. */
  boolean next() throws IOException {
    int scan = pos;
    while (true) {
      if (skipLf && pos < limit) {
        if (buf[pos] == '\n') {
          pos++;
        }
        skipLf = false;
        scan = Math.max(scan, pos);
      }
      if (!skipLf) {
        for (int i = scan; i < limit; i++) {
          byte b = buf[i];
          if (b == '\n' || b == '\r') {
            start = pos;
            end = i;
            pos = i + 1;
            skipLf = b == '\r';
            return true;
          }
        }
        scan = limit;
      }
      if (eof) {
        skipLf = false;
        if (pos < limit) {
          start = pos;
          end = limit;
          pos = limit;
          return true;
        }
        return false;
      }
      if (pos > 0) {
        System.arraycopy(buf, pos, buf, 0, limit - pos);
        scan -= pos;
        limit -= pos;
        pos = 0;
      }
      if (limit == buf.length) {
        buf = Arrays.copyOf(buf, buf.length * 2);
      }
      int n = in.read(buf, limit, buf.length - limit);
      if (n < 0) {
        eof = true;
      } else {
        limit += n;
      }
    }
  }

  /** The buffer holding the current line (valid until the next call to {@link #next()}). */
  byte[] buffer() {
    return buf;
  }

  /** Offset of the current line in {@link #buffer()}. */
  int start() {
    return start;
  }

  /** Length of the current line in bytes, terminator excluded. */
  int length() {
    return end - start;
  }

  /** True when the line holds only whitespace (as {@link String#isBlank()} sees it). */
  boolean isBlank() {
    for (int i = start; i < end; i++) {
      byte b = buf[i];
      if (b < 0) {
        return text().isBlank(); // non-ASCII: let the decoder and Character decide
      }
      if (!Character.isWhitespace(b)) {
        return false;
      }
    }
    return true;
  }

  /** The current line decoded (undecodable bytes become U+FFFD). */
  String text() {
    return new String(buf, start, end - start, StandardCharsets.UTF_8);
  }
}
