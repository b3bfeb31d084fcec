package io.netanomaly.core.io;

import de.siegmar.fastcsv.reader.CloseableIterator;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.reader.FieldMismatchStrategy;
import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * FastCSV records with one-record push-back and replay (for header sniffing and schema
 * inference). Field counts are not checked here: each reader checks them itself with a located
 * message. Empty lines are skipped. Not thread-safe.
 */
final class CsvRecordStream implements Closeable {
  private final String source;
  private final CsvReader<CsvRecord> reader;
  private final CloseableIterator<CsvRecord> records;
  private final Deque<CsvRecord> replay = new ArrayDeque<>();
  private long lastLine;

  @SuppressWarnings("removal")
  CsvRecordStream(String source, Reader in) {
    this.source = source;
    // Lenient after-quote handling keeps the parser usable after a malformed quoted field:
    // FastCSV's strict mode cannot continue after that error, which would defeat skipInvalid.
    this.reader = CsvReader.builder()
        .extraFieldStrategy(FieldMismatchStrategy.IGNORE)
        .missingFieldStrategy(FieldMismatchStrategy.IGNORE)
        .allowExtraCharsAfterClosingQuote(true)
        .skipEmptyLines(true)
        .ofCsvRecord(in);
    this.records = reader.iterator();
  }

  /** The next record, or null at the end of input. */
  CsvRecord next() {
    if (!replay.isEmpty()) {
      return replay.pollFirst();
    }
    try {
      if (!records.hasNext()) {
        return null;
      }
      CsvRecord r = records.next();
      lastLine = r.getStartingLineNumber();
      return r;
    } catch (CsvParseException e) {
      throw InputException.fatal(source, lastLine + 1, "unreadable CSV (" + e.getMessage() + ")",
          "well-formed CSV");
    }
  }

  /** Puts records back so that {@link #next()} returns them first, in the order given. */
  void replay(Iterable<CsvRecord> buffered) {
    Deque<CsvRecord> d = new ArrayDeque<>();
    buffered.forEach(d::addLast);
    d.addAll(replay);
    replay.clear();
    replay.addAll(d);
  }

  String source() {
    return source;
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
