package io.netanomaly.core.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netanomaly.core.schema.FlowSchema;
import io.netanomaly.core.schema.Row;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Canonical flows from JSON Lines: one object per line, keys as in the CSV header, values as
 * JSON strings, numbers, booleans or null (= missing). Blank lines are skipped. Column indexes
 * in errors are 0 (keys have no position); the key name is given. Not thread-safe.
 */
final class FlowJsonRowSource extends AbstractRowSource {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String source;
  private final BufferedReader in;
  private final FlowRowParser parser;
  private final int[] columns = new int[FlowRowParser.SLOTS];
  private final String[] names = new String[FlowRowParser.SLOTS];
  private final String[] values = new String[FlowRowParser.SLOTS];
  private long line;

  FlowJsonRowSource(String source, BufferedReader in, ReadOptions options,
      CountingInputStream counter, long totalBytes) {
    super(FlowSchema.SCHEMA, options, counter, totalBytes, in);
    this.source = source;
    this.in = in;
    this.parser = new FlowRowParser(source);
  }

  @Override
  protected Row readRow() throws IOException {
    String text;
    do {
      text = in.readLine();
      if (text == null) {
        return null;
      }
      line++;
    } while (text.isBlank());
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new InputException(source, line, 0, null, text,
          "a JSON object on each line (JSON Lines)");
    }
    if (node == null || !node.isObject()) {
      throw new InputException(source, line, 0, null, text,
          "a JSON object on each line (JSON Lines)");
    }
    Arrays.fill(values, null);
    Arrays.fill(names, null);
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
      values[slot] = scalar(e.getValue(), key);
    }
    if (unknown != null) {
      throw new InputException(source, line, 0, unknown.get(0), String.join(", ", unknown),
          FlowRowParser.UNKNOWN_COLUMN_HINT);
    }
    return parser.parse(values, columns, names, line);
  }

  private String scalar(JsonNode v, String key) {
    if (v.isNull()) {
      return null;
    }
    if (v.isTextual()) {
      return v.textValue();
    }
    if (v.isNumber() || v.isBoolean()) {
      return v.asText();
    }
    throw new InputException(source, line, 0, key, v.toString(),
        "a string, number, boolean or null");
  }
}
