package io.netanomaly.report;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import io.netanomaly.core.io.InputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Reads the CSV incident log that {@code io.netanomaly.store.CsvIncidentLog} writes: a header with the
 * columns {@link #COLUMNS} (in any order), then one alert per row. A bad row stops the read with an
 * {@link InputException} naming the file, line, column, value and what was expected. Stateless and
 * thread-safe.
 */
public final class IncidentLogReader {
  /** The columns an incident log must have. */
  public static final List<String> COLUMNS = List.of("timestamp", "src_ip", "dst_ip", "src_port", "dst_port",
      "packet_size", "duration_ms", "protocol", "anomaly_score", "anomaly_type", "llm_analysis");

  private IncidentLogReader() {}

  /**
   * Reads every row of an incident log.
   *
   * @throws InputException on a missing column, a row with the wrong number of fields or a bad value
   * @throws IOException when the file cannot be read
   */
  public static List<Incident> read(Path file) throws IOException {
    String source = file.toString();
    List<Incident> out = new ArrayList<>();
    try (CsvReader<CsvRecord> reader = CsvReader.builder()
        // field counts are checked here, to report them with the line
        .allowExtraFields(true).allowMissingFields(true).skipEmptyLines(true)
        .ofCsvRecord(file, StandardCharsets.UTF_8)) {
      Iterator<CsvRecord> it = reader.iterator();
      if (!it.hasNext()) {
        throw new InputException(source, 1, 0, null, null, "a header with the columns " + COLUMNS);
      }
      List<String> header = it.next().getFields();
      int[] at = new int[COLUMNS.size()];
      for (int c = 0; c < at.length; c++) {
        at[c] = header.indexOf(COLUMNS.get(c));
        if (at[c] < 0) {
          throw new InputException(source, 1, 0, COLUMNS.get(c), null,
              "an incident log header with the columns " + COLUMNS + "; found " + header);
        }
      }
      while (it.hasNext()) {
        CsvRecord r = it.next();
        long line = r.getStartingLineNumber();
        if (r.getFieldCount() != header.size()) {
          throw new InputException(source, line, 0, null, r.getFieldCount() + " fields",
              header.size() + " fields, as in the header");
        }
        Row row = new Row(source, line, r, at);
        out.add(new Incident(row.time(0), row.text(1), row.text(2), row.port(3), row.port(4), row.number(5),
            row.number(6), row.text(7), row.score(8), row.text(9), row.text(10)));
      }
    } catch (CsvParseException e) {
      // malformed CSV (e.g. an unclosed quote): FastCSV's message names the line
      throw new InputException(source, 0, 0, null, null, "well-formed CSV (" + e.getMessage() + ")");
    }
    return out;
  }

  /** Field access with located errors. */
  private record Row(String source, long line, CsvRecord record, int[] at) {
    private String raw(int c) {
      return record.getField(at[c]);
    }

    private InputException bad(int c, String expected) {
      return new InputException(source, line, at[c] + 1, COLUMNS.get(c), raw(c), expected);
    }

    String text(int c) {
      String v = raw(c);
      return v.isEmpty() ? null : v;
    }

    long time(int c) {
      try {
        return Instant.parse(raw(c).trim()).toEpochMilli();
      } catch (DateTimeParseException e) {
        throw bad(c, "an ISO-8601 UTC time such as 2024-05-01T12:00:00.000Z");
      }
    }

    int port(int c) {
      String v = raw(c).trim();
      if (v.isEmpty()) {
        return -1;
      }
      try {
        int p = Integer.parseInt(v);
        if (p >= 0 && p <= 65535) {
          return p;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw bad(c, "an integer port 0..65535 or an empty field");
    }

    double number(int c) {
      String v = raw(c).trim();
      if (v.isEmpty()) {
        return Double.NaN;
      }
      try {
        double d = Double.parseDouble(v);
        if (d >= 0 && !Double.isNaN(d)) {
          return d;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw bad(c, "a non-negative number or an empty field");
    }

    double score(int c) {
      try {
        double d = Double.parseDouble(raw(c).trim());
        if (Double.isFinite(d)) {
          return d;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw bad(c, "a finite number");
    }
  }
}
