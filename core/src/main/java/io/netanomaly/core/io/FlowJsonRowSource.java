package io.netanomaly.core.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.netanomaly.core.schema.FlowSchema;
import io.netanomaly.core.schema.Row;
import java.io.BufferedReader;
import java.io.IOException;

/**
 * Canonical flows from JSON Lines: one object per line, keys as in the CSV header, values as
 * JSON strings, numbers, booleans or null (= missing). Blank lines are skipped. Column indexes
 * in errors are 0 (keys have no position); the key name is given. Each line is read token by
 * token into the row ({@link RecordParser}); no JSON tree is built. Not thread-safe.
 */
final class FlowJsonRowSource extends AbstractRowSource {
  private static final JsonFactory JSON = new JsonFactory();

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
    try (JsonParser p = JSON.createParser(text)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw notJsonLines(text);
      }
      return records.parse(p, source, line);
    } catch (JsonProcessingException e) {
      throw notJsonLines(text);
    }
  }

  private InputException notJsonLines(String text) {
    return new InputException(source, line, 0, null, text, "a JSON object on each line (JSON Lines)");
  }
}
