package io.netanomaly.core.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netanomaly.core.schema.FlowSchema;
import io.netanomaly.core.schema.Row;
import io.netanomaly.core.schema.Schema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Parses one record given as a JSON object (a REST request, a JSON line) into a {@link Row} of a
 * schema, with the same rules as the file readers: for the flow schema the canonical names and the
 * older aliases; for any other schema its column names, each value parsed by its column type.
 * Values may be JSON strings, numbers, booleans or null (= missing); a number is taken as written
 * ({@code 1e3} stays "1e3"). The schema's label and type columns are accepted and ignored. Errors
 * are {@link InputException}s naming the JSON field, the value and what was expected;
 * {@code line} is the record's 1-based position.
 *
 * <p>Records are read token by token from a Jackson {@link JsonParser} (no tree is built); a
 * {@link JsonNode} is read through the same path. A key repeated verbatim keeps its last value, as
 * in a JSON tree. Errors in the values are reported only once the whole object has been read, so
 * malformed JSON later in the object wins over a bad value, as when the tree is built first.
 *
 * <p>Immutable and thread-safe (each call uses its own scratch).
 */
public final class RecordParser {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Keys a flow object holds in the common case; the scratch grows beyond. */
  private static final int TYPICAL_KEYS = 24;

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
   * Parses a record already read as a JSON tree.
   *
   * @param object the record
   * @param source what to call the input in errors ("request", a file name)
   * @param line 1-based position of the record
   */
  public Row parse(JsonNode object, String source, long line) {
    if (object == null || !object.isObject()) {
      throw notAnObject(source, line, object == null ? "" : object.toString());
    }
    try (JsonParser p = object.traverse(JSON)) {
      p.nextToken();
      return parse(p, source, line);
    } catch (IOException e) {
      throw new UncheckedIOException("reading a JSON tree cannot fail", e);
    }
  }

  /**
   * Parses the record at the parser's current token and leaves the parser on the record's last
   * token (the closing brace of an object), so the caller's next {@code nextToken()} reads on.
   *
   * @param p a parser whose current token starts the record
   * @param source what to call the input in errors ("request", a file name)
   * @param line 1-based position of the record
   * @throws InputException when the record is not an object or a field is bad
   * @throws IOException when the JSON is malformed (Jackson's exception, with its location)
   */
  public Row parse(JsonParser p, String source, long line) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw notAnObject(source, line, valueText(p));
    }
    Fields fields = new Fields();
    String key;
    while ((key = p.nextFieldName()) != null) {
      JsonToken t = p.nextToken();
      String text;
      boolean scalar = true;
      if (t == JsonToken.VALUE_NULL) {
        text = null;
      } else if (t.isScalarValue()) {
        text = p.getText();
      } else {
        text = valueText(p);
        scalar = false;
      }
      fields.put(key, text, scalar);
    }
    if (p.currentToken() != JsonToken.END_OBJECT) {
      throw new IllegalStateException("parser not at the end of an object: " + p.currentToken());
    }
    return flows ? parseFlow(fields, source, line) : parseTable(fields, source, line);
  }

  private static InputException notAnObject(String source, long line, String value) {
    return new InputException(source, line, 0, null, value, "a JSON object with the model's fields");
  }

  /** The current value as compact JSON text (error paths only: it builds a tree). */
  private static String valueText(JsonParser p) throws IOException {
    JsonNode n = JSON.readTree(p);
    return n == null ? "" : n.toString();
  }

  private Row parseFlow(Fields f, String source, long line) {
    String[] values = new String[FlowRowParser.SLOTS];
    String[] names = new String[FlowRowParser.SLOTS];
    String unknown = null;
    String firstUnknown = null;
    for (int i = 0; i < f.size; i++) {
      String key = f.keys[i];
      int slot = FlowRowParser.slotOf(key);
      if (slot == FlowRowParser.UNKNOWN) {
        firstUnknown = firstUnknown == null ? key : firstUnknown;
        unknown = unknown == null ? key : unknown + ", " + key;
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
      values[slot] = f.scalar(i, source, line);
    }
    if (unknown != null) {
      throw new InputException(source, line, 0, firstUnknown, unknown, FlowRowParser.UNKNOWN_COLUMN_HINT);
    }
    return new FlowRowParser(source).parse(values, new int[FlowRowParser.SLOTS], names, line);
  }

  private Row parseTable(Fields f, String source, long line) {
    int n = schema.size();
    double[] num = new double[n];
    String[] txt = new String[n];
    Arrays.fill(num, Double.NaN);
    for (int i = 0; i < f.size; i++) {
      String key = f.keys[i];
      int c = schema.indexOf(key);
      if (c < 0) {
        if (key.equals(schema.labelColumn()) || key.equals(schema.typeColumn())) {
          continue;
        }
        throw new InputException(source, line, 0, key, key, "one of the model's fields: " + fieldNames());
      }
      String v = f.scalar(i, source, line);
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

  /**
   * The keys of one object in order of first appearance, each with its last value: the text of a
   * scalar (null for JSON null) or the JSON text of an object or array, which is an error.
   */
  private static final class Fields {
    String[] keys = new String[TYPICAL_KEYS];
    String[] texts = new String[TYPICAL_KEYS];
    boolean[] scalars = new boolean[TYPICAL_KEYS];
    int size;

    void put(String key, String text, boolean scalar) {
      int at = indexOf(key);
      if (at < 0) {
        if (size == keys.length) {
          keys = Arrays.copyOf(keys, size * 2);
          texts = Arrays.copyOf(texts, size * 2);
          scalars = Arrays.copyOf(scalars, size * 2);
        }
        at = size++;
        keys[at] = key;
      }
      texts[at] = text;
      scalars[at] = scalar;
    }

    private int indexOf(String key) {
      int hash = key.hashCode(); // cached in the String; Jackson hands out the same name objects
      for (int i = 0; i < size; i++) {
        String k = keys[i];
        if (k == key || (k.hashCode() == hash && k.equals(key))) {
          return i;
        }
      }
      return -1;
    }

    /** The value's text; an InputException for an object or array. */
    String scalar(int i, String source, long line) {
      if (!scalars[i]) {
        throw new InputException(source, line, 0, keys[i], texts[i], "a string, number, boolean or null");
      }
      return texts[i];
    }
  }
}
