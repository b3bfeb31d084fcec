package io.netanomaly.core.io;

import de.siegmar.fastcsv.reader.CsvRecord;
import io.netanomaly.core.schema.FlowSchema;
import io.netanomaly.core.schema.Row;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Canonical flows from CSV with a header (see {@link FlowRowParser}). Not thread-safe. */
final class FlowCsvRowSource extends AbstractRowSource {
  private final CsvRecordStream records;
  private final FlowRowParser parser;
  private final int[] slotOfColumn;
  private final int[] columnOfSlot = new int[FlowRowParser.SLOTS];
  private final String[] nameOfSlot = new String[FlowRowParser.SLOTS];
  private final String[] values = new String[FlowRowParser.SLOTS];

  FlowCsvRowSource(CsvRecordStream records, CsvRecord header, ReadOptions options,
      CountingInputStream counter, long totalBytes) {
    super(FlowSchema.SCHEMA, options, counter, totalBytes, records);
    this.records = records;
    this.parser = new FlowRowParser(records.source());
    this.slotOfColumn = bindHeader(records.source(), header, columnOfSlot, nameOfSlot);
  }

  /** Maps header columns to slots; throws naming unknown, duplicate or missing columns. */
  static int[] bindHeader(String source, CsvRecord header, int[] columnOfSlot,
      String[] nameOfSlot) {
    int n = header.getFieldCount();
    int[] slots = new int[n];
    List<String> unknown = new ArrayList<>();
    int firstUnknown = 0;
    for (int c = 0; c < n; c++) {
      String name = header.getField(c);
      int slot = FlowRowParser.slotOf(name);
      slots[c] = slot;
      if (slot == FlowRowParser.UNKNOWN) {
        if (unknown.isEmpty()) {
          firstUnknown = c + 1;
        }
        unknown.add(name);
      } else if (slot >= 0) {
        if (columnOfSlot[slot] != 0) {
          throw new InputException(source, header.getStartingLineNumber(), c + 1, name, name,
              "each flow column once, but '" + nameOfSlot[slot] + "' (column "
                  + columnOfSlot[slot] + ") means the same");
        }
        columnOfSlot[slot] = c + 1;
        nameOfSlot[slot] = name;
      }
    }
    if (!unknown.isEmpty()) {
      throw new InputException(source, header.getStartingLineNumber(), firstUnknown,
          unknown.get(0), String.join(", ", unknown), FlowRowParser.UNKNOWN_COLUMN_HINT);
    }
    for (int slot : FlowRowParser.REQUIRED) {
      if (columnOfSlot[slot] == 0) {
        throw new InputException(source, header.getStartingLineNumber(), 0,
            FlowRowParser.slotName(slot), null, "a header with the columns timestamp, src_ip, "
                + "dst_ip, dst_port, protocol (or their aliases)");
      }
    }
    return slots;
  }

  @Override
  protected Row readRow() {
    CsvRecord r = records.next();
    if (r == null) {
      return null;
    }
    int n = r.getFieldCount();
    if (n != slotOfColumn.length) {
      throw InputException.fieldCount(records.source(), r.getStartingLineNumber(), n,
          slotOfColumn.length + " as in the header");
    }
    Arrays.fill(values, null);
    for (int c = 0; c < n; c++) {
      int slot = slotOfColumn[c];
      if (slot >= 0) {
        values[slot] = r.getField(c);
      }
    }
    return parser.parse(values, columnOfSlot, nameOfSlot, r.getStartingLineNumber());
  }
}
