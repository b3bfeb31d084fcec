package io.netanomaly.cli;

import io.netanomaly.core.eval.HoldoutSplit;
import io.netanomaly.core.io.RowSource;
import io.netanomaly.core.schema.Row;
import io.netanomaly.core.schema.Schema;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Rows read fully into memory (for training), with a progress bar while reading. */
final class LoadedData {
  final Schema schema;
  final List<Row> rows;
  final long read;

  private LoadedData(Schema schema, List<Row> rows, long read) {
    this.schema = schema;
    this.rows = rows;
    this.read = read;
  }

  /**
   * Reads every row; with a split, keeps the training part ({@code keepTraining}) or the held-out
   * part.
   */
  static LoadedData read(DataOptions options, HoldoutSplit split, boolean keepTraining, PrintWriter err)
      throws IOException {
    try (RowSource src = options.open();
        Progress p = Progress.start("reading " + options.displayName(), Math.max(1, src.totalBytes() / 1024), "KiB")) {
      List<Row> rows = new ArrayList<>();
      long index = 0;
      while (src.hasNext()) {
        Row r = src.next();
        if (split == null || split.isTraining(index) == keepTraining) {
          rows.add(r);
        }
        index++;
        if ((index & 4095) == 0) {
          p.stepTo(src.bytesRead() / 1024);
        }
      }
      p.stepTo(Math.max(1, src.totalBytes() / 1024));
      DataOptions.reportSkipped(src, err);
      return new LoadedData(src.schema(), rows, index);
    }
  }
}
