package io.netanomaly.core.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netanomaly.core.schema.FlowSchema;
import io.netanomaly.core.schema.Row;
import java.io.BufferedReader;
import java.io.IOException;

/**
 * Canonical flows from JSON Lines: one object per line, keys as in the CSV header, values as
 * JSON strings, numbers, booleans or null (= missing). Blank lines are skipped. Column indexes
 * in errors are 0 (keys have no position); the key name is given. Not thread-safe.
 */
final class FlowJsonRowSource extends AbstractRowSource {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String source;
  private final BufferedReader in;
  private final RecordParser records = new RecordParser(FlowSchema.SCHEMA);
  private long line;

  FlowJsonRowSource(String source, BufferedReader in, ReadOptions options,
      CountingInputStream counter, long totalBytes) {
    super(FlowSchema.SCHEMA, options, counter, totalBytes, in);
    this.source = source;
    this.in = in;
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
    return records.parse(node, source, line);
  }
}
