package io.netanomaly.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ByteLinesTest {
  private static List<String> lines(InputStream in, int initialBytes) throws IOException {
    ByteLines lines = new ByteLines(in, initialBytes);
    List<String> out = new ArrayList<>();
    while (lines.next()) {
      out.add(new String(lines.buffer(), lines.start(), lines.length(), StandardCharsets.UTF_8));
    }
    return out;
  }

  /** Hands out one byte per read, as a slow socket might. */
  private static InputStream trickle(byte[] bytes) {
    return new ByteArrayInputStream(bytes) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, 1));
      }
    };
  }

  @Test
  void splitsAtEveryTerminatorLikeBufferedReader() throws Exception {
    String text = "a\nbb\r\nccc\rdd\r\r\n\nlast";
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    List<String> expected = new java.io.BufferedReader(new java.io.StringReader(text)).lines().toList();
    assertThat(expected).containsExactly("a", "bb", "ccc", "dd", "", "", "last");
    assertThat(lines(new ByteArrayInputStream(bytes), 64)).isEqualTo(expected);
    assertThat(lines(trickle(bytes), 2)).isEqualTo(expected);
    assertThat(lines(new ByteArrayInputStream("x\r\n".getBytes(StandardCharsets.UTF_8)), 4)).containsExactly("x");
    assertThat(lines(new ByteArrayInputStream(new byte[0]), 4)).isEmpty();
  }

  @Test
  void growsForLinesLongerThanTheBuffer() throws Exception {
    String longLine = "é".repeat(5000);
    byte[] bytes = ("short\n" + longLine + "\n" + longLine + "x").getBytes(StandardCharsets.UTF_8);
    assertThat(lines(new ByteArrayInputStream(bytes), 16)).containsExactly("short", longLine, longLine + "x");
    assertThat(lines(trickle(bytes), 16)).containsExactly("short", longLine, longLine + "x");
  }

  @Test
  void blankMeansWhitespaceOnlyAsStringIsBlankSeesIt() throws Exception {
    ByteLines lines = new ByteLines(new ByteArrayInputStream(
        " \t\u000B\f\nx\n\u2003 \n\u00e9\n".getBytes(StandardCharsets.UTF_8)), 8);
    List<Boolean> blank = new ArrayList<>();
    while (lines.next()) {
      blank.add(lines.isBlank());
    }
    assertThat(blank).containsExactly(true, false, true, false);
  }

  @Test
  void undecodableBytesStillReachTheFieldCheckAsReplacementCharacters() throws Exception {
    byte[] start = ("{\"timestamp\":\"2026-01-05T08:00:00Z\",\"src_ip\":\"10.0.0.").getBytes(StandardCharsets.UTF_8);
    byte[] rest = ("\",\"dst_ip\":\"10.0.0.2\",\"dst_port\":1,\"protocol\":\"TCP\"}\n").getBytes(StandardCharsets.UTF_8);
    byte[] line = new byte[start.length + 1 + rest.length];
    System.arraycopy(start, 0, line, 0, start.length);
    line[start.length] = (byte) 0xFF;
    System.arraycopy(rest, 0, line, start.length + 1, rest.length);
    try (RowSource src = Readers.open(new ByteArrayInputStream(line), "in", DataFormat.FLOW,
        ReadOptions.defaults())) {
      InputException e = org.assertj.core.api.Assertions.catchThrowableOfType(InputException.class, src::next);
      assertThat(e).hasMessage("in:1: column 'src_ip': got '10.0.0.\uFFFD', expected an IPv4 or IPv6 address");
    }
  }
}
