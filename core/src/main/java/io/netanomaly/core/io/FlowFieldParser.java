package io.netanomaly.core.io;

import io.netanomaly.core.schema.FlowSchema;
import io.netanomaly.core.schema.Row;
import java.util.Arrays;
import java.util.Map;

/**
 * Parses one canonical flow record given as column name to text, with exactly the rules and
 * error messages of the CSV and JSON Lines flow readers (names and aliases as in a CSV header,
 * case-insensitive; null or "" is a missing value). For callers that map another log format onto
 * the flow schema record by record, such as Zeek {@code conn.log} in the stream module.
 *
 * <p>Not thread-safe (it reuses scratch arrays); use one per thread.
 */
public final class FlowFieldParser {
  private final String source;
  private final FlowRowParser parser;
  private final int[] columns = new int[FlowRowParser.SLOTS];
  private final String[] names = new String[FlowRowParser.SLOTS];
  private final String[] values = new String[FlowRowParser.SLOTS];

  /** @param source the name used in error messages, e.g. "zeek:conn.log" */
  public FlowFieldParser(String source) {
    this.source = source;
    this.parser = new FlowRowParser(source);
  }

  /**
   * A row of {@link FlowSchema#SCHEMA} from the record's fields.
   *
   * @param fields column name (canonical or alias) to its text
   * @param line the 1-based source line for the row and for error messages, 0 when unknown
   * @throws InputException naming the field for an unknown or duplicate column or a bad value
   */
  public Row parse(Map<String, String> fields, long line) {
    Arrays.fill(values, null);
    Arrays.fill(names, null);
    for (Map.Entry<String, String> e : fields.entrySet()) {
      String key = e.getKey();
      int slot = FlowRowParser.slotOf(key);
      if (slot == FlowRowParser.UNKNOWN) {
        throw new InputException(source, line, 0, key, key, FlowRowParser.UNKNOWN_COLUMN_HINT);
      }
      if (slot == FlowRowParser.IGNORED) {
        continue;
      }
      if (names[slot] != null) {
        throw new InputException(source, line, 0, key, key,
            "each flow field once, but '" + names[slot] + "' means the same");
      }
      names[slot] = key;
      values[slot] = e.getValue();
    }
    return parser.parse(values, columns, names, line);
  }
}
