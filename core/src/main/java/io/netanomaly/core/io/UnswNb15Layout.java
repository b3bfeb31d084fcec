package io.netanomaly.core.io;

import de.siegmar.fastcsv.reader.CsvRecord;
import io.netanomaly.core.schema.Field;
import io.netanomaly.core.schema.FieldType;
import io.netanomaly.core.schema.Schema;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * UNSW-NB15 tables with a header: the sampled 44-column layout (label Benign/Malicious), the
 * official training/testing-set layout ({@code id}, {@code attack_cat}, {@code label} 0/1) and
 * the raw layout with {@code srcip, sport, dstip, dsport}. Column names are normalised (quotes
 * and spaces dropped: {@code 'ct_src_ ltm'} becomes {@code ct_src_ltm}). proto, state, service
 * are categorical ("-" or empty = missing), srcip/dstip addresses, sport/dsport ports (decimal
 * or 0x-hex), Stime/Ltime epoch-second timestamps, id ignored, everything else numeric.
 * Stateless and thread-safe.
 */
final class UnswNb15Layout {
  private UnswNb15Layout() {}

  static final String SCHEMA_NAME = "unsw-nb15";

  /** True when a header looks like UNSW-NB15 (used by AUTO detection). */
  static boolean looksLike(CsvRecord header) {
    Set<String> names = new HashSet<>();
    for (int c = 0; c < header.getFieldCount(); c++) {
      names.add(normalise(header.getField(c)).toLowerCase(Locale.ROOT));
    }
    return names.contains("proto") && names.contains("sbytes") && names.contains("dbytes")
        && names.contains("sttl");
  }

  static TableLayout fromHeader(String source, CsvRecord header) {
    int n = header.getFieldCount();
    int[] target = new int[n];
    String[] names = new String[n];
    List<Field> fields = new ArrayList<>();
    String label = null;
    String type = null;
    Set<String> seen = new HashSet<>();
    for (int c = 0; c < n; c++) {
      String name = normalise(header.getField(c));
      names[c] = name;
      String key = name.toLowerCase(Locale.ROOT);
      if (name.isEmpty() || !seen.add(key)) {
        throw new InputException(source, header.getStartingLineNumber(), c + 1, name,
            header.getField(c), "a unique, non-empty UNSW-NB15 column name");
      }
      switch (key) {
        case "label":
          target[c] = TableLayout.LABEL;
          label = name;
          continue;
        case "attack_cat":
          target[c] = TableLayout.TYPE;
          type = name;
          continue;
        default:
          break;
      }
      target[c] = fields.size();
      fields.add(new Field(name, typeOf(key)));
    }
    Schema schema = new Schema(SCHEMA_NAME, fields, label, type);
    return new TableLayout(schema, target, names, n, n, TableLayout.LabelStyle.UNSW, true, true);
  }

  private static FieldType typeOf(String key) {
    switch (key) {
      case "proto":
      case "state":
      case "service":
        return FieldType.CATEGORICAL;
      case "srcip":
      case "dstip":
        return FieldType.ADDRESS;
      case "sport":
      case "dsport":
        return FieldType.PORT;
      case "stime":
      case "ltime":
        return FieldType.TIMESTAMP;
      case "id":
        return FieldType.IGNORED;
      default:
        return FieldType.NUMERIC;
    }
  }

  /** Drops quotes and whitespace from a header name. */
  static String normalise(String name) {
    StringBuilder b = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c != '\'' && c != '"' && !Character.isWhitespace(c) && c != '\uFEFF') {
        b.append(c);
      }
    }
    return b.toString();
  }
}
