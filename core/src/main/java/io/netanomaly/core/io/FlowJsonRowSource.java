package io.netanomaly.core.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.netanomaly.core.schema.FlowSchema;
import io.netanomaly.core.schema.Row;
import java.io.IOException;
import java.io.InputStream;

/**
 * Canonical flows from JSON Lines: one object per line, keys as in the CSV header, values as
 * JSON strings, numbers, booleans or null (= missing). Blank lines are skipped. Column indexes
 * in errors are 0 (keys have no position); the key name is given. Each line is read token by
 * token into the row ({@link RecordParser}) straight from the bytes of a reused buffer; no JSON
 * tree and no line string is built. Not thread-safe.
 */
final class FlowJsonRowSource extends AbstractRowSource {
  private static final JsonFactory JSON = new JsonFactory();
  private static final int BUFFER_BYTES = 1 << 16;

  private final String source;
  private final ByteLines lines;
  private final RecordParser records = new RecordParser(FlowSchema.SCHEMA);
  private long line;

  FlowJsonRowSource(String source, InputStream in, ReadOptions options,
      CountingInputStream counter, long totalBytes) {
    super(FlowSchema.SCHEMA, options, counter, totalBytes, in);
    this.source = source;
    this.lines = new ByteLines(in, BUFFER_BYTES);
  }

  @Override
  protected Row readRow() throws IOException {
    do {
      if (!lines.next()) {
        return null;
      }
      line++;
    } while (lines.isBlank());
    try (JsonParser p = JSON.createParser(lines.buffer(), lines.start(), lines.length())) {
      return parse(p, null);
    } catch (JsonProcessingException e) {
      // Invalid UTF-8 fails the byte parser; decoded (U+FFFD for bad bytes) it may still be a
      // record whose field check says what is wrong, as the text reader always did.
      String text = lines.text();
      try (JsonParser p = JSON.createParser(text)) {
        return parse(p, text);
      } catch (JsonProcessingException again) {
        throw notJsonLines(text);
      }
    }
  }

  private Row parse(JsonParser p, String text) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      throw notJsonLines(text == null ? lines.text() : text);
    }
    return records.parse(p, source, line);
  }

  private InputException notJsonLines(String text) {
    return new InputException(source, line, 0, null, text, "a JSON object on each line (JSON Lines)");
  }
}
