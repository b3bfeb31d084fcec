package io.netanomaly.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Garbage mixed with good records: reading must fail only with located InputExceptions, and
 * with skipInvalid must never fail and keep every good record.
 */
class ReaderFuzzTest {
  private static final int GARBAGE_LINES = 2000;
  private static final String[] TOKENS = {"", "NaN", "-1", "-0", "65536", "99999999999999999999",
      "1e400", "-1e400", "Infinity", "0x1F", "\"", "\"\"", "\"a,b\"", "'", "  ", "\t", "null",
      "true", "{", "}", "[1]", "::", "1.2.3.4.5", "10.0.0.1", "2026-13-45T99:99:99Z",
      "2026-01-05T08:00:00Z", "\u00e9\u4e2d\ud83d\ude00", "\u0000", "tcp", "normal", "neptune",
      "Malicious", ",", ";", "\\", "0.5", "123", "-"};

  /** Input layouts under test. */
  enum Layout {
    FLOW_CSV(DataFormat.FLOW, "flows.csv", FlowReaderTest.HEADER,
        "2026-01-05T08:00:00Z,10.0.0.1,10.0.0.2,1000,80,tcp,1,1,S,1,1,1,1,0,normal"),
    FLOW_JSONL(DataFormat.FLOW, "flows.jsonl", null,
        "{\"timestamp\":\"2026-01-05T08:00:00Z\",\"src_ip\":\"10.0.0.1\",\"dst_ip\":\"::1\","
            + "\"dst_port\":80,\"protocol\":\"tcp\",\"bytes\":5,\"is_anomaly\":1}"),
    GENERIC_CSV(DataFormat.CSV, "t.csv", "a,b,c,d_port,verdict",
        "1.5,2026-01-05T08:00:00Z,10.0.0.1,443,normal"),
    NSL_KDD(DataFormat.NSL_KDD, "kdd.txt", null, NslKddReaderTest.NEPTUNE),
    UNSW(DataFormat.UNSW_NB15, "unsw.csv", UnswNb15ReaderTest.SAMPLE_HEADER,
        UnswNb15ReaderTest.SAMPLE_ROW);

    final DataFormat format;
    final String file;
    final String header;
    final String good;

    Layout(DataFormat format, String file, String header, String good) {
      this.format = format;
      this.file = file;
      this.header = header;
      this.good = good;
    }
  }

  @TempDir Path dir;

  private ReadOptions options(Layout layout, boolean skip) {
    return ReadOptions.builder().format(layout.format).skipInvalid(skip).maxErrorsKept(50)
        .labelColumn(layout == Layout.GENERIC_CSV ? "verdict" : null).build();
  }

  /** Writes the fuzz file; returns the number of good records in it. */
  private int writeFuzz(Path file, Layout layout, long seed, boolean lineSafe) throws Exception {
    Random random = new Random(seed);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (layout.header != null) {
      out.write((layout.header + "\n").getBytes(StandardCharsets.UTF_8));
    }
    int good = 0;
    for (int i = 0; i < GARBAGE_LINES; i++) {
      if (random.nextInt(3) == 0) {
        out.write((layout.good + "\n").getBytes(StandardCharsets.UTF_8));
        good++;
      }
      byte[] garbage = garbage(random, layout.good, lineSafe);
      out.write(garbage);
      out.write('\n');
    }
    Files.write(file, out.toByteArray());
    return good;
  }

  private static byte[] garbage(Random random, String good, boolean lineSafe) {
    String s;
    switch (random.nextInt(5)) {
      case 0: {
        byte[] b = new byte[1 + random.nextInt(80)];
        random.nextBytes(b);
        if (lineSafe) {
          sanitise(b);
        }
        return b;
      }
      case 1: {
        StringBuilder sb = new StringBuilder();
        int n = 1 + random.nextInt(60);
        for (int i = 0; i < n; i++) {
          sb.appendCodePoint(1 + random.nextInt(0x2FFFF));
        }
        s = sb.toString();
        break;
      }
      case 2: {
        StringBuilder sb = new StringBuilder();
        int fields = random.nextInt(60);
        for (int i = 0; i < fields; i++) {
          sb.append(i == 0 ? "" : ",").append(TOKENS[random.nextInt(TOKENS.length)]);
        }
        s = sb.toString();
        break;
      }
      case 3: {
        // one field of a good record replaced
        String[] parts = good.split(",", -1);
        parts[random.nextInt(parts.length)] = TOKENS[random.nextInt(TOKENS.length)];
        s = String.join(",", parts);
        break;
      }
      default: {
        s = "{\"" + TOKENS[random.nextInt(TOKENS.length)] + "\":"
            + TOKENS[random.nextInt(TOKENS.length)] + ",\"dst_port\":-5}";
      }
    }
    if (s.isBlank()) {
      s = "x";
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (lineSafe) {
      sanitise(b);
    }
    return b;
  }

  /** No line breaks, quotes or blank results, so that every garbage line is one record. */
  private static void sanitise(byte[] b) {
    for (int i = 0; i < b.length; i++) {
      if (b[i] == '\n' || b[i] == '\r' || b[i] == '"') {
        b[i] = 'x';
      }
    }
    if (b.length > 0) {
      b[0] = 'z';
    }
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void skipInvalidNeverThrowsAndLocatesEverySkippedError(Layout layout) throws Exception {
    for (long seed = 1; seed <= 3; seed++) {
      Path file = dir.resolve(seed + layout.file);
      int good = writeFuzz(file, layout, seed, false);
      try (RowSource src = Readers.open(file, options(layout, true))) {
        while (src.hasNext()) {
          assertThat(src.next()).isNotNull();
        }
        assertThat(src.skippedCount()).isPositive();
        assertThat(src.firstErrors()).hasSize((int) Math.min(50, src.skippedCount()));
        for (InputException e : src.firstErrors()) {
          assertThat(e.line()).isGreaterThanOrEqualTo(1);
          assertThat(e.expected()).isNotBlank();
          assertThat(e.source()).isEqualTo(file.toString());
          assertThat(e.getMessage()).startsWith(file + ":" + e.line() + ":");
        }
        assertThat(src.rowsRead()).as("good rows survive quoting accidents partly")
            .isLessThanOrEqualTo(good + GARBAGE_LINES);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void skipInvalidKeepsEveryGoodRecord(Layout layout) throws Exception {
    Path file = dir.resolve("safe" + layout.file);
    int good = writeFuzz(file, layout, 99, true);
    try (RowSource src = Readers.open(file, options(layout, true))) {
      int read = 0;
      while (src.hasNext()) {
        src.next();
        read++;
      }
      assertThat(read).isGreaterThanOrEqualTo(good);
      assertThat(read + src.skippedCount()).isEqualTo(good + GARBAGE_LINES);
    }
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void strictReadingFailsOnlyWithLocatedInputExceptions(Layout layout) throws Exception {
    for (long seed = 10; seed <= 12; seed++) {
      Path file = dir.resolve(seed + layout.file);
      writeFuzz(file, layout, seed, seed == 12);
      int failures = 0;
      try (RowSource src = Readers.open(file, options(layout, false))) {
        while (src.hasNext()) {
          try {
            src.next();
          } catch (InputException e) {
            // any other exception type escapes and fails the test
            assertThat(e.line()).isGreaterThanOrEqualTo(1);
            assertThat(e.expected()).isNotBlank();
            failures++;
          }
        }
      }
      assertThat(failures).isPositive();
    }
  }
}
