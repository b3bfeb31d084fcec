package io.netanomaly.core.io;

/**
 * Bad input, located: the source (file name as given, or "stdin"), the 1-based physical line,
 * the 1-based column and its name, the offending value and what was expected. Thrown from
 * {@link RowSource#next()} for a bad row (unless {@link ReadOptions#skipInvalid()}) and from
 * {@link Readers#open} for a bad header or schema file. Unchecked so that it can cross
 * {@link java.util.Iterator#next()}. Immutable and thread-safe.
 *
 * <p>Message shape: {@code flows.csv:17:5: column 'dst_port': got 'abc', expected an integer
 * port 0..65535}. Parts that are unknown (line 0, column 0, no column name) are left out.
 */
public final class InputException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  /** Longest value quoted in messages and returned by {@link #value()}, in characters. */
  static final int MAX_VALUE_CHARS = 60;

  private final String source;
  private final long line;
  private final int column;
  private final String columnName;
  private final String value;
  private final String expected;
  private final boolean fatal;

  /**
   * @param source the file name as given, or "stdin"
   * @param line 1-based physical line, 0 when not known
   * @param column 1-based column index, 0 when not known
   * @param columnName the column's name, or null
   * @param value the offending value (truncated to 60 characters here), or null when missing
   * @param expected what would have been accepted, e.g. "an integer port 0..65535"
   */
  public InputException(String source, long line, int column, String columnName, String value,
      String expected) {
    this(source, line, column, columnName, truncate(value), expected, false,
        describeValue(value));
  }

  private InputException(String source, long line, int column, String columnName, String value,
      String expected, boolean fatal, String got) {
    super(format(source, line, column, columnName, got, expected));
    this.source = source;
    this.line = line;
    this.column = column;
    this.columnName = columnName;
    this.value = value;
    this.expected = expected;
    this.fatal = fatal;
  }

  /** A record with the wrong number of fields: "found 12 fields, expected 13". */
  static InputException fieldCount(String source, long line, int found, String expected) {
    return new InputException(source, line, 0, null, found + (found == 1 ? " field" : " fields"),
        expected, false, "found " + found + (found == 1 ? " field" : " fields"));
  }

  /** An error after which the rest of the input cannot be read; thrown even with skipInvalid. */
  static InputException fatal(String source, long line, String detail, String expected) {
    return new InputException(source, line, 0, null, null, expected, true, detail);
  }

  /** The file name as given, or "stdin". */
  public String source() {
    return source;
  }

  /** The 1-based physical line where the bad record starts; 0 when not known. */
  public long line() {
    return line;
  }

  /** The 1-based column index; 0 when not known (JSON keys, whole-record errors). */
  public int column() {
    return column;
  }

  /** The column (or JSON key) name, or null. */
  public String columnName() {
    return columnName;
  }

  /** The offending value, at most 60 characters; null when the value was missing. */
  public String value() {
    return value;
  }

  /** What would have been accepted. Never empty. */
  public String expected() {
    return expected;
  }

  /** True when reading cannot continue after this error. */
  boolean isFatal() {
    return fatal;
  }

  private static String truncate(String v) {
    if (v == null || v.length() <= MAX_VALUE_CHARS) {
      return v;
    }
    return v.substring(0, MAX_VALUE_CHARS) + "...";
  }

  private static String describeValue(String v) {
    if (v == null || v.isEmpty()) {
      return "missing value";
    }
    String t = truncate(v);
    StringBuilder b = new StringBuilder(t.length() + 6).append("got '");
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      // keep the message on one line whatever the input held
      if (c == '\n') {
        b.append("\\n");
      } else if (c == '\r') {
        b.append("\\r");
      } else if (c < 0x20 || c == 0x7f) {
        b.append('?');
      } else {
        b.append(c);
      }
    }
    return b.append('\'').toString();
  }

  private static String format(String source, long line, int column, String columnName,
      String got, String expected) {
    StringBuilder b = new StringBuilder(96).append(source);
    if (line > 0) {
      b.append(':').append(line);
      if (column > 0) {
        b.append(':').append(column);
      }
    }
    b.append(": ");
    if (columnName != null) {
      b.append("column '").append(columnName).append("': ");
    }
    return b.append(got).append(", expected ").append(expected).toString();
  }
}
