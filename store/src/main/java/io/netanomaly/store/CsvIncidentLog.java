package io.netanomaly.store;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import io.netanomaly.core.explain.Alert;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The append-only CSV incident log: one row per alert with the seed's columns {@link #HEADER}. The
 * header is written only when the file is new or empty; an existing file must have the same header.
 * Fields are quoted as RFC 4180 needs (commas, quotes, line breaks), lines end with LF, text is UTF-8.
 * Each {@link #append} is flushed to the operating system before it returns, so a killed process
 * loses nothing appended; a row torn by a crash mid-write is cut off when the log is next opened.
 *
 * <p>Values: {@code timestamp} is the event time in ISO-8601 UTC with milliseconds;
 * {@code duration_ms} is the flow duration in milliseconds; unknown numbers and ports, and a missing
 * analysis, are empty fields.
 *
 * <p>Thread-safe: appends are serialised.
 */
public final class CsvIncidentLog implements AutoCloseable {
  /** The columns, in order. */
  public static final List<String> HEADER = List.of("timestamp", "src_ip", "dst_ip", "src_port", "dst_port",
      "packet_size", "duration_ms", "protocol", "anomaly_score", "anomaly_type", "llm_analysis");

  private static final Logger LOG = LoggerFactory.getLogger(CsvIncidentLog.class);
  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final Path file;
  private final CsvWriter csv;
  private boolean closed;

  private CsvIncidentLog(Path file, CsvWriter csv) {
    this.file = file;
    this.csv = csv;
  }

  /**
   * Opens a log for appending, creating it (and its folder) with a header when it does not exist or
   * is empty.
   *
   * @throws IOException when the file cannot be opened, or it already holds a CSV with other columns
   */
  public static CsvIncidentLog open(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    boolean hasHeader = false;
    if (Files.exists(file) && Files.size(file) > 0) {
      cutTornTail(file);
      hasHeader = Files.size(file) > 0;
      if (hasHeader) {
        checkHeader(file);
      }
    }
    CsvWriter csv = CsvWriter.builder().lineDelimiter(LineDelimiter.LF)
        .build(Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.APPEND), StandardCharsets.UTF_8);
    if (!hasHeader) {
      csv.writeRecord(HEADER);
      csv.flush();
    }
    return new CsvIncidentLog(file, csv);
  }

  /** Cuts whatever follows the last complete record: a row half-written when a process was killed. */
  private static void cutTornTail(Path file) throws IOException {
    long end = 0;
    long pos = 0;
    boolean quoted = false;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      // byte-wise is enough: '"' and '\n' never occur inside a UTF-8 multi-byte sequence
      for (int b; (b = in.read()) >= 0;) {
        pos++;
        if (b == '"') {
          quoted = !quoted;
        } else if (b == '\n' && !quoted) {
          end = pos;
        }
      }
    }
    if (end < pos) {
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
        ch.truncate(end);
      }
      LOG.warn("incident log {}: cut {} bytes of an incomplete last row", file, pos - end);
    }
  }

  private static void checkHeader(Path file) throws IOException {
    try (CsvReader<CsvRecord> reader = CsvReader.builder().ofCsvRecord(file, StandardCharsets.UTF_8)) {
      Iterator<CsvRecord> it = reader.iterator();
      List<String> found = it.hasNext() ? it.next().getFields() : List.of();
      if (!found.equals(HEADER)) {
        throw new IOException(file + " is not an incident log of this version: its columns are " + found
            + ", expected " + HEADER);
      }
    }
  }

  /** The log file. */
  public Path file() {
    return file;
  }

  /**
   * Appends one row per alert and flushes.
   *
   * @throws IOException when writing fails
   * @throws IllegalStateException when the log is closed
   */
  public synchronized void append(List<Alert> alerts) throws IOException {
    if (closed) {
      throw new IllegalStateException("incident log " + file + " is closed");
    }
    for (Alert a : alerts) {
      csv.writeRecord(TIMESTAMP.format(Instant.ofEpochMilli(a.eventTimeMillis())), text(a.srcIp()), text(a.dstIp()),
          port(a.srcPort()), port(a.dstPort()), number(a.packetSize()), number(a.duration() * 1000.0),
          text(a.protocol()), number(a.score()), text(a.anomalyType()), text(a.llmAnalysis()));
    }
    csv.flush();
  }

  private static String text(String s) {
    return s == null ? "" : s;
  }

  private static String port(int port) {
    return port < 0 ? "" : Integer.toString(port);
  }

  /** Plain decimal (no exponent), integers without ".0", empty for NaN. */
  static String number(double v) {
    if (Double.isNaN(v)) {
      return "";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "Infinity" : "-Infinity";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return BigDecimal.valueOf(v).toPlainString();
  }

  /** Flushes and closes the file. Idempotent. */
  @Override
  public synchronized void close() throws IOException {
    if (!closed) {
      closed = true;
      csv.close();
    }
  }
}
