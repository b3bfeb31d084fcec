package io.netanomaly.core.io;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import io.netanomaly.core.schema.FieldType;
import io.netanomaly.core.schema.Row;
import io.netanomaly.core.schema.Schema;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes rows of one {@link Schema} as CSV (header first) or JSON Lines. Columns: the schema's
 * fields, then (when {@code writeLabels} and the schema names them) the label column as 0/1 and
 * the type column as text, then the extra columns in the given order.
 *
 * <p>Values: numbers with integral values are written without a fraction ({@code 80}, not
 * {@code 80.0}), others in {@link Double#toString(double)} form; TIMESTAMP as its raw text when
 * the row kept it, else ISO-8601 UTC with milliseconds; PORT as its number; text columns as text;
 * missing values as an empty field (CSV) or {@code null} (JSON). In JSON Lines numbers are JSON
 * numbers, texts JSON strings, and extras that are plain decimal numbers are JSON numbers.
 *
 * <p>Buffered; not thread-safe. {@link #close()} flushes, and closes the output only when this
 * writer opened it (a file path, not "-" or a caller's stream).
 */
public final class RowWriter implements AutoCloseable {
  private static final JsonFactory JSON = new JsonFactory();

  private final Schema schema;
  private final FieldType[] types;
  private final String[] columns;
  private final boolean writeLabel;
  private final boolean writeType;
  private final int extraCount;
  private final CsvWriter csv;
  private final JsonGenerator json;
  private final String[] csvFields;
  private boolean wroteRow;

  private RowWriter(OutputStream out, boolean jsonl, Schema schema, boolean writeLabels,
      List<String> extraColumns) throws IOException {
    this.schema = schema;
    this.types = new FieldType[schema.size()];
    List<String> cols = new ArrayList<>();
    for (int i = 0; i < types.length; i++) {
      types[i] = schema.field(i).type();
      cols.add(schema.field(i).name());
    }
    this.writeLabel = writeLabels && schema.labelColumn() != null;
    this.writeType = writeLabels && schema.typeColumn() != null;
    if (writeLabel) {
      cols.add(schema.labelColumn());
    }
    if (writeType) {
      cols.add(schema.typeColumn());
    }
    cols.addAll(extraColumns);
    this.extraCount = extraColumns.size();
    this.columns = cols.toArray(new String[0]);
    if (jsonl) {
      this.csv = null;
      this.csvFields = null;
      this.json = JSON.createGenerator(out, JsonEncoding.UTF8);
      this.json.setPrettyPrinter(new MinimalPrettyPrinter("\n"));
    } else {
      this.json = null;
      this.csvFields = new String[columns.length];
      this.csv = CsvWriter.builder().lineDelimiter(LineDelimiter.LF).bufferSize(1 << 16)
          .build(new OutputStreamWriter(out, StandardCharsets.UTF_8));
      csv.writeRecord(columns);
    }
  }

  /**
   * Opens a file; JSON Lines when it ends in .jsonl, .json or .ndjson, else CSV. The path "-"
   * writes CSV to standard output (use the stream overload for JSON Lines on stdout).
   */
  public static RowWriter open(Path file, Schema schema, boolean writeLabels,
      List<String> extraColumns) throws IOException {
    if (file.toString().equals("-")) {
      return open(System.out, false, schema, writeLabels, extraColumns);
    }
    String n = file.getFileName() == null ? "" : file.getFileName().toString()
        .toLowerCase(Locale.ROOT);
    boolean jsonl = n.endsWith(".jsonl") || n.endsWith(".json") || n.endsWith(".ndjson");
    OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
    try {
      return new RowWriter(out, jsonl, schema, writeLabels, extraColumns);
    } catch (IOException | RuntimeException e) {
      out.close();
      throw e;
    }
  }

  /** Writes to a caller's stream, which {@link #close()} flushes but does not close. */
  public static RowWriter open(OutputStream target, boolean jsonl, Schema schema,
      boolean writeLabels, List<String> extraColumns) {
    try {
      return new RowWriter(new FilterOutputStream(new BufferedOutputStream(target, 1 << 16)) {
        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          out.write(b, off, len); // the buffered stream; FilterOutputStream writes byte by byte
        }

        @Override
        public void close() throws IOException {
          flush(); // the caller owns the stream
        }
      }, jsonl, schema, writeLabels, extraColumns);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The column names written, in order. */
  public List<String> columns() {
    return List.of(columns);
  }

  /**
   * Writes one row.
   *
   * @param extras values of the extra columns, in the order given at open (null = missing)
   * @throws IllegalArgumentException when the row or the extras do not match the columns
   */
  public void write(Row row, String... extras) throws IOException {
    if (row.size() != types.length || extras.length != extraCount) {
      throw new IllegalArgumentException("row has " + row.size() + " values and "
          + extras.length + " extras; expected " + types.length + " and " + extraCount);
    }
    wroteRow = true;
    if (json != null) {
      writeJson(row, extras);
    } else {
      writeCsv(row, extras);
    }
  }

  private void writeCsv(Row row, String[] extras) throws IOException {
    int k = 0;
    for (int i = 0; i < types.length; i++) {
      String v = text(row, i);
      csvFields[k++] = v == null ? "" : v;
    }
    if (writeLabel) {
      csvFields[k++] = row.isLabelled() ? (row.label() == 1 ? "1" : "0") : "";
    }
    if (writeType) {
      csvFields[k++] = row.anomalyType() == null ? "" : row.anomalyType();
    }
    for (String e : extras) {
      csvFields[k++] = e == null ? "" : e;
    }
    csv.writeRecord(csvFields);
  }

  private void writeJson(Row row, String[] extras) throws IOException {
    json.writeStartObject();
    for (int i = 0; i < types.length; i++) {
      json.writeFieldName(columns[i]);
      switch (types[i]) {
        case NUMERIC:
        case PORT:
          double d = row.number(i);
          if (Double.isNaN(d)) {
            json.writeNull();
          } else if (isIntegral(d)) {
            json.writeNumber((long) d);
          } else {
            json.writeNumber(d);
          }
          break;
        default:
          String t = text(row, i);
          if (t == null) {
            json.writeNull();
          } else {
            json.writeString(t);
          }
      }
    }
    int k = types.length;
    if (writeLabel) {
      json.writeFieldName(columns[k++]);
      if (row.isLabelled()) {
        json.writeNumber(row.label());
      } else {
        json.writeNull();
      }
    }
    if (writeType) {
      json.writeFieldName(columns[k++]);
      if (row.anomalyType() == null) {
        json.writeNull();
      } else {
        json.writeString(row.anomalyType());
      }
    }
    for (String e : extras) {
      json.writeFieldName(columns[k++]);
      if (e == null) {
        json.writeNull();
      } else if (!Double.isNaN(ValueSyntax.parseNumber(e))) {
        json.writeNumber(e);
      } else {
        json.writeString(e);
      }
    }
    json.writeEndObject();
  }

  /** The text of column i as written to CSV, or null when missing. */
  private String text(Row row, int i) {
    switch (types[i]) {
      case NUMERIC:
      case PORT:
        double d = row.number(i);
        return Double.isNaN(d) ? (types[i] == FieldType.PORT ? row.text(i) : null)
            : formatNumber(d);
      case TIMESTAMP:
        String raw = row.text(i);
        if (raw != null) {
          return raw;
        }
        double t = row.number(i);
        return Double.isNaN(t) ? null : Instant.ofEpochMilli((long) t).toString();
      default:
        return row.text(i);
    }
  }

  /** Integral values without ".0", others as {@link Double#toString(double)}. */
  static String formatNumber(double d) {
    if (isIntegral(d)) {
      return Long.toString((long) d);
    }
    return Double.toString(d);
  }

  private static boolean isIntegral(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15;
  }

  /** The schema this writer writes. */
  public Schema schema() {
    return schema;
  }

  /** Flushes buffered rows to the output. */
  public void flush() throws IOException {
    if (json != null) {
      json.flush();
    } else {
      csv.flush();
    }
  }

  @Override
  public void close() throws IOException {
    if (json != null) {
      if (wroteRow) {
        json.writeRaw('\n');
      }
      json.close();
    } else {
      csv.close();
    }
  }
}
