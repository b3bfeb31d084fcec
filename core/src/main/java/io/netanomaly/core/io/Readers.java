package io.netanomaly.core.io;

import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Opens a {@link RowSource} over a file or stream in one of the {@link DataFormat}s. Input is
 * UTF-8 (a byte-order mark is skipped; undecodable bytes become U+FFFD and then fail validation
 * where they matter).
 *
 * <p>Format choice: FLOW reads JSON Lines when the file ends in {@code .jsonl}, {@code .json} or
 * {@code .ndjson} or its first non-blank character is <code>{</code>, else CSV with a header.
 * AUTO picks FLOW for JSON Lines and for a header with at least three canonical flow column
 * names or aliases (other columns are then reported by name); UNSW_NB15 for a header with proto,
 * sbytes, dbytes, sttl; NSL_KDD for a headless first line of 42 or 43 fields whose second field
 * is tcp, udp or icmp; CSV when a label column, type column or schema file is given. Anything
 * else is an {@link InputException} asking for {@code --format csv --label-column C}.
 *
 * <p>Errors in the header, the schema file or the format choice are thrown from {@code open};
 * the stream is closed first. Stateless and thread-safe; each source is single-threaded.
 */
public final class Readers {
  private Readers() {}

  private static final int BUFFER_BYTES = 1 << 16;

  /**
   * Opens a file. The path {@code -} reads standard input (named "stdin", total size unknown, not
   * closed by {@link RowSource#close()}).
   */
  public static RowSource open(Path file, ReadOptions options) throws IOException {
    if (file.toString().equals("-")) {
      return open(System.in, "stdin", options.format(), options);
    }
    long size = Files.size(file);
    InputStream raw = Files.newInputStream(file);
    return open(raw, true, file.toString(), fileExtension(file), size, options.format(), options);
  }

  /**
   * Opens a stream (not closed by the source's {@code close()}; the caller owns it).
   *
   * @param displayName the name used in error messages, e.g. "stdin"
   * @param format the format; AUTO sniffs JSON Lines and headers as described above
   */
  public static RowSource open(InputStream in, String displayName, DataFormat format,
      ReadOptions options) throws IOException {
    return open(in, false, displayName, "", -1, format, options);
  }

  private static RowSource open(InputStream raw, boolean owned, String name, String extension,
      long totalBytes, DataFormat format, ReadOptions options) throws IOException {
    CountingInputStream counter = new CountingInputStream(raw, owned);
    try {
      BufferedInputStream in = new BufferedInputStream(counter, BUFFER_BYTES);
      int first = skipBomAndPeek(in);
      boolean jsonExtension = extension.equals("jsonl") || extension.equals("json")
          || extension.equals("ndjson");
      if ((format == DataFormat.AUTO || format == DataFormat.FLOW)
          && (jsonExtension || first == '{')) {
        return new FlowJsonRowSource(name, in, options, counter, totalBytes);
      }
      Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
      CsvRecordStream records = new CsvRecordStream(name, reader);
      try {
        return openCsv(records, name, format, options, counter, totalBytes);
      } catch (RuntimeException | IOException e) {
        records.close();
        throw e;
      }
    } catch (RuntimeException | IOException e) {
      counter.close();
      throw e;
    }
  }

  private static RowSource openCsv(CsvRecordStream records, String name, DataFormat format,
      ReadOptions options, CountingInputStream counter, long totalBytes) throws IOException {
    CsvRecord first = records.next();
    if (first == null) {
      if (format == DataFormat.NSL_KDD) {
        return new TableRowSource(records, NslKdd.layout(), options, counter, totalBytes);
      }
      throw new InputException(name, 1, 0, null, null, "a header line, but the input is empty");
    }
    DataFormat chosen = format == DataFormat.AUTO ? detect(name, first, options) : format;
    switch (chosen) {
      case FLOW:
        return new FlowCsvRowSource(records, first, options, counter, totalBytes);
      case NSL_KDD:
        records.replay(java.util.List.of(first));
        return new TableRowSource(records, NslKdd.layout(), options, counter, totalBytes);
      case UNSW_NB15:
        return new TableRowSource(records, UnswNb15Layout.fromHeader(name, first), options,
            counter, totalBytes);
      case CSV:
        return new TableRowSource(records, GenericCsvLayout.open(records, first, options),
            options, counter, totalBytes);
      default:
        throw new IllegalStateException("unhandled format " + chosen);
    }
  }

  private static DataFormat detect(String name, CsvRecord first, ReadOptions options) {
    int flowNames = 0;
    int n = first.getFieldCount();
    for (int c = 0; c < n; c++) {
      if (FlowRowParser.slotOf(first.getField(c)) != FlowRowParser.UNKNOWN) {
        flowNames++;
      }
    }
    if (flowNames >= 3) {
      return DataFormat.FLOW;
    }
    if (UnswNb15Layout.looksLike(first)) {
      return DataFormat.UNSW_NB15;
    }
    if ((n == 42 || n == 43)) {
      String proto = first.getField(1);
      if (proto.equals("tcp") || proto.equals("udp") || proto.equals("icmp")) {
        return DataFormat.NSL_KDD;
      }
    }
    if (options.labelColumn() != null || options.typeColumn() != null
        || options.schemaFile() != null) {
      return DataFormat.CSV; // generic-table options say what the user meant
    }
    StringBuilder header = new StringBuilder();
    for (int c = 0; c < n; c++) {
      header.append(c == 0 ? "" : ",").append(first.getField(c));
    }
    throw new InputException(name, first.getStartingLineNumber(), 0, null, header.toString(),
        "a canonical flow header (" + FlowRowParser.EXPECTED_COLUMNS + ") or JSON Lines; for "
            + "another table pass --format csv --label-column C (or --format nsl-kdd, unsw-nb15)");
  }

  /** Skips a UTF-8 byte-order mark and returns the first non-whitespace byte (or -1). */
  private static int skipBomAndPeek(BufferedInputStream in) throws IOException {
    in.mark(3);
    if (!(in.read() == 0xEF && in.read() == 0xBB && in.read() == 0xBF)) {
      in.reset();
    }
    in.mark(BUFFER_BYTES);
    int b;
    int seen = 0;
    do {
      b = in.read();
      seen++;
    } while ((b == ' ' || b == '\t' || b == '\r' || b == '\n') && seen < BUFFER_BYTES - 1);
    in.reset();
    return b;
  }

  private static String fileExtension(Path file) {
    Path fileName = file.getFileName();
    String n = fileName == null ? "" : fileName.toString();
    int dot = n.lastIndexOf('.');
    return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
  }
}
