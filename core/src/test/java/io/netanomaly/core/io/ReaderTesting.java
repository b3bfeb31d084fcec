package io.netanomaly.core.io;

import io.netanomaly.core.schema.Row;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Small file and read shortcuts shared by the io tests. */
final class ReaderTesting {
  private ReaderTesting() {}

  static Path write(Path dir, String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, content);
    return p;
  }

  static List<Row> readAll(Path file, ReadOptions options) throws IOException {
    try (RowSource src = Readers.open(file, options)) {
      List<Row> rows = new ArrayList<>();
      while (src.hasNext()) {
        rows.add(src.next());
      }
      return rows;
    }
  }

  /** The first error reading the file strictly. */
  static InputException firstError(Path file, ReadOptions options) throws IOException {
    try (RowSource src = Readers.open(file, options)) {
      while (src.hasNext()) {
        src.next();
      }
    } catch (InputException e) {
      return e;
    }
    throw new AssertionError("no error reading " + file);
  }

  static ReadOptions format(DataFormat f) {
    return ReadOptions.builder().format(f).build();
  }
}
