package io.netanomaly.core.io;

import de.siegmar.fastcsv.reader.CsvRecord;
import io.netanomaly.core.schema.FieldType;
import io.netanomaly.core.schema.Row;
import java.util.Arrays;

/**
 * Rows of a typed CSV table (generic CSV, NSL-KDD, UNSW-NB15) laid out by a {@link TableLayout}.
 * Each field is parsed by its schema type; a value that does not fit is an error located at
 * file:line:column, never coerced. Empty fields are missing for every type. Not thread-safe.
 */
final class TableRowSource extends AbstractRowSource {
  private final CsvRecordStream records;
  private final TableLayout layout;
  private final FieldType[] types;
  private final String source;
  private final String expectedCount;

  TableRowSource(CsvRecordStream records, TableLayout layout, ReadOptions options,
      CountingInputStream counter, long totalBytes) {
    super(layout.schema, options, counter, totalBytes, records);
    this.records = records;
    this.layout = layout;
    this.source = records.source();
    this.types = new FieldType[layout.schema.size()];
    for (int i = 0; i < types.length; i++) {
      types[i] = layout.schema.field(i).type();
    }
    this.expectedCount = layout.minFields == layout.maxFields
        ? Integer.toString(layout.maxFields)
        : layout.maxFields + " (or " + layout.minFields + ")";
  }

  @Override
  protected Row readRow() {
    CsvRecord r = records.next();
    if (r == null) {
      return null;
    }
    long line = r.getStartingLineNumber();
    int n = r.getFieldCount();
    if (n < layout.minFields || n > layout.maxFields) {
      throw InputException.fieldCount(source, line, n, expectedCount);
    }
    int size = types.length;
    double[] num = new double[size];
    String[] txt = new String[size];
    Arrays.fill(num, Double.NaN);
    String labelText = null;
    int labelColumn = 0;
    String typeText = null;
    for (int c = 0; c < n; c++) {
      String v = r.getField(c);
      int target = layout.targetOfColumn[c];
      if (target >= 0) {
        parseField(target, v, c, line, num, txt);
      } else if (target == TableLayout.LABEL) {
        labelText = v;
        labelColumn = c;
      } else if (target == TableLayout.TYPE) {
        typeText = v;
      } else if (target == TableLayout.DIFFICULTY) {
        if (ValueSyntax.parseSmallInt(v, 21) < 0) {
          throw error(line, c, v, "an NSL-KDD difficulty level, an integer 0..21");
        }
      }
    }
    return labelled(num, txt, labelText, labelColumn, typeText, line);
  }

  private void parseField(int field, String v, int c, long line, double[] num, String[] txt) {
    String expected = FieldValues.parse(types[field], v, layout.dashIsMissing, layout.hexPorts, field, num, txt);
    if (expected != null) {
      throw error(line, c, v, expected);
    }
  }

  private Row labelled(double[] num, String[] txt, String labelText, int labelColumn,
      String typeText, long line) {
    String type = typeText == null || typeText.isBlank()
        || (layout.dashIsMissing && typeText.equals("-")) ? null : typeText.trim();
    int label;
    if (labelText == null) {
      label = type == null ? Row.UNLABELLED : (Labels.isNormalName(type) ? 0 : 1);
    } else if (layout.labelStyle == TableLayout.LabelStyle.NSL_KDD) {
      String name = labelText.endsWith(".")
          ? labelText.substring(0, labelText.length() - 1) : labelText;
      String category = NslKdd.category(name);
      if (category == null) {
        throw error(line, labelColumn, labelText,
            "a known NSL-KDD attack name (normal, neptune, smurf, satan, ...)");
      }
      label = category.equals(NslKdd.NORMAL) ? 0 : 1;
      type = category;
    } else {
      label = Labels.binary(labelText);
      if (label < 0) {
        if (labelText.isBlank()) {
          throw error(line, labelColumn, labelText,
              "a label: 0/1, true/false, normal/benign or an attack name");
        }
        if (Labels.isNormalName(labelText)) {
          label = 0;
        } else {
          label = 1;
          if (type == null && layout.labelStyle == TableLayout.LabelStyle.GENERIC) {
            type = Labels.typeName(labelText);
          }
        }
      }
    }
    if (label == 0) {
      type = "normal";
    }
    return new Row(num, txt, label, type, line);
  }

  private InputException error(long line, int c, String value, String expected) {
    return new InputException(source, line, c + 1, layout.columnNames[c], value, expected);
  }
}
