package io.netanomaly.core.io;

import com.fasterxml.jackson.databind.JsonNode;
import io.netanomaly.core.schema.FlowSchema;
import io.netanomaly.core.schema.Row;
import io.netanomaly.core.schema.Schema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Parses one record given as a JSON object (a REST request, a JSON line) into a {@link Row} of a
 * schema, with the same rules as the file readers: for the flow schema the canonical names and the
 * older aliases; for any other schema its column names, each value parsed by its column type.
 * Values may be JSON strings, numbers, booleans or null (= missing). The schema's label and type
 * columns are accepted and ignored. Errors are {@link InputException}s naming the JSON field, the
 * value and what was expected; {@code line} is the record's 1-based position.
 *
 * <p>Immutable and thread-safe.
 */
public final class RecordParser {
  private final Schema schema;
  private final boolean flows;

  public RecordParser(Schema schema) {
    this.schema = schema;
    this.flows = schema.equals(FlowSchema.SCHEMA);
  }

  public Schema schema() {
    return schema;
  }

  /**
   * @param object the record
   * @param source what to call the input in errors ("request", a file name)
   * @param line 1-based position of the record
   */
  public Row parse(JsonNode object, String source, long line) {
    if (object == null || !object.isObject()) {
      throw new InputException(source, line, 0, null, object == null ? "" : object.toString(),
          "a JSON object with the model's fields");
    }
    return flows ? parseFlow(object, source, line) : parseTable(object, source, line);
  }

  private Row parseFlow(JsonNode node, String source, long line) {
    String[] values = new String[FlowRowParser.SLOTS];
    String[] names = new String[FlowRowParser.SLOTS];
    List<String> unknown = null;
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      String key = e.getKey();
      int slot = FlowRowParser.slotOf(key);
      if (slot == FlowRowParser.UNKNOWN) {
        if (unknown == null) {
          unknown = new ArrayList<>();
        }
        unknown.add(key);
        continue;
      }
      if (slot == FlowRowParser.IGNORED) {
        continue;
      }
      if (names[slot] != null) {
        throw new InputException(source, line, 0, key, key,
            "each flow key once, but '" + names[slot] + "' means the same");
      }
      names[slot] = key;
      values[slot] = scalar(e.getValue(), key, source, line);
    }
    if (unknown != null) {
      throw new InputException(source, line, 0, unknown.get(0), String.join(", ", unknown),
          FlowRowParser.UNKNOWN_COLUMN_HINT);
    }
    return new FlowRowParser(source).parse(values, new int[FlowRowParser.SLOTS], names, line);
  }

  private Row parseTable(JsonNode node, String source, long line) {
    int n = schema.size();
    double[] num = new double[n];
    String[] txt = new String[n];
    Arrays.fill(num, Double.NaN);
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      String key = e.getKey();
      int c = schema.indexOf(key);
      if (c < 0) {
        if (key.equals(schema.labelColumn()) || key.equals(schema.typeColumn())) {
          continue;
        }
        throw new InputException(source, line, 0, key, key, "one of the model's fields: " + fieldNames());
      }
      String v = scalar(e.getValue(), key, source, line);
      if (v == null) {
        continue;
      }
      String expected = FieldValues.parse(schema.field(c).type(), v, false, false, c, num, txt);
      if (expected != null) {
        throw new InputException(source, line, 0, key, v, expected);
      }
    }
    return new Row(num, txt, Row.UNLABELLED, null, line);
  }

  private String fieldNames() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < schema.size(); i++) {
      if (i > 0) {
        b.append(", ");
      }
      if (i == 12 && schema.size() > 14) {
        b.append("... (").append(schema.size()).append(" in all)");
        break;
      }
      b.append(schema.field(i).name());
    }
    return b.toString();
  }

  static String scalar(JsonNode v, String key, String source, long line) {
    if (v.isNull()) {
      return null;
    }
    if (v.isTextual()) {
      return v.textValue();
    }
    if (v.isNumber() || v.isBoolean()) {
      return v.asText();
    }
    throw new InputException(source, line, 0, key, v.toString(), "a string, number, boolean or null");
  }
}
