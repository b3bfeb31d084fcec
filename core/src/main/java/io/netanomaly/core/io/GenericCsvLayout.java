package io.netanomaly.core.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.siegmar.fastcsv.reader.CsvRecord;
import io.netanomaly.core.schema.Field;
import io.netanomaly.core.schema.FieldType;
import io.netanomaly.core.schema.Schema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The layout of a generic CSV table: from a JSON schema file, or inferred from the first
 * {@value #SAMPLE_ROWS} records (which are buffered and then replayed, so reading stays
 * streaming).
 *
 * <p>Inference per column, over its non-empty sampled values: all integers 0..65535 in a column
 * named like a port ({@code *port}, {@code sport}, {@code dsport}) = PORT; all numbers = NUMERIC;
 * all ISO-8601 times = TIMESTAMP; all IPv4/IPv6 addresses = ADDRESS; otherwise text, IGNORED when
 * its distinct values exceed half the sampled rows and 100, else CATEGORICAL. A column with no
 * sampled value is CATEGORICAL. Stateless and thread-safe.
 *
 * <p>Schema file: {@code {"name":"web","label":"is_attack","type":"attack_type","fields":
 * [{"name":"status","type":"categorical"},...]}} with types numeric, categorical, port,
 * timestamp, address, ignored. The schema's field order is the file's, whatever the CSV's
 * column order; every CSV column must be declared (or be the label/type column) and every
 * declared field must be present.
 */
final class GenericCsvLayout {
  private GenericCsvLayout() {}

  static final int SAMPLE_ROWS = 1000;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Builds the layout; may read and buffer records from {@code records} for inference. */
  static TableLayout open(CsvRecordStream records, CsvRecord header, ReadOptions options)
      throws IOException {
    String source = records.source();
    long headerLine = header.getStartingLineNumber();
    int n = header.getFieldCount();
    String[] names = new String[n];
    Map<String, Integer> columnOf = new HashMap<>();
    for (int c = 0; c < n; c++) {
      String name = header.getField(c).trim();
      if (c == 0 && !name.isEmpty() && name.charAt(0) == '\uFEFF') {
        name = name.substring(1);
      }
      if (name.isEmpty()) {
        name = "column" + (c + 1); // pandas writes an unnamed index column
      }
      if (columnOf.putIfAbsent(name, c) != null) {
        throw new InputException(source, headerLine, c + 1, name, name,
            "unique column names in the header");
      }
      names[c] = name;
    }
    SchemaFile declared = options.schemaFile() == null ? null : SchemaFile.read(options.schemaFile());
    String label = options.labelColumn() != null ? options.labelColumn()
        : declared != null ? declared.label : null;
    String type = options.typeColumn() != null ? options.typeColumn()
        : declared != null ? declared.type : null;
    int[] target = new int[n];
    for (String role : new String[] {label, type}) {
      if (role != null && !columnOf.containsKey(role)) {
        throw new InputException(source, headerLine, 0, role, null,
            "a column named '" + role + "' in the header: " + String.join(", ", names));
      }
    }
    List<Field> fields = new ArrayList<>();
    if (declared != null) {
      List<String> undeclared = new ArrayList<>();
      for (int c = 0; c < n; c++) {
        if (names[c].equals(label)) {
          target[c] = TableLayout.LABEL;
        } else if (names[c].equals(type)) {
          target[c] = TableLayout.TYPE;
        } else if (!declared.fields.containsKey(names[c])) {
          undeclared.add(names[c]);
        }
      }
      if (!undeclared.isEmpty()) {
        throw new InputException(source, headerLine, columnOf.get(undeclared.get(0)) + 1,
            undeclared.get(0), String.join(", ", undeclared),
            "only the columns declared in " + options.schemaFile() + ": "
                + String.join(", ", declared.fields.keySet()));
      }
      for (Map.Entry<String, FieldType> f : declared.fields.entrySet()) {
        Integer c = columnOf.get(f.getKey());
        if (c == null) {
          throw new InputException(source, headerLine, 0, f.getKey(), null,
              "the column '" + f.getKey() + "' declared in " + options.schemaFile());
        }
        target[c] = fields.size();
        fields.add(new Field(f.getKey(), f.getValue()));
      }
      Schema schema = new Schema(declared.name, fields, label, type);
      return new TableLayout(schema, target, names, n, n, TableLayout.LabelStyle.GENERIC, false,
          false);
    }

    List<CsvRecord> sample = new ArrayList<>(SAMPLE_ROWS);
    for (CsvRecord r; sample.size() < SAMPLE_ROWS && (r = records.next()) != null; ) {
      sample.add(r);
    }
    records.replay(sample);
    for (int c = 0; c < n; c++) {
      if (names[c].equals(label)) {
        target[c] = TableLayout.LABEL;
      } else if (names[c].equals(type)) {
        target[c] = TableLayout.TYPE;
      } else {
        target[c] = fields.size();
        fields.add(new Field(names[c], infer(names[c], c, sample)));
      }
    }
    Schema schema = new Schema("csv", fields, label, type);
    return new TableLayout(schema, target, names, n, n, TableLayout.LabelStyle.GENERIC, false,
        false);
  }

  /** The type of column {@code c} given its sampled values; short rows count as empty. */
  static FieldType infer(String name, int c, List<CsvRecord> sample) {
    boolean numeric = true;
    boolean port = true;
    boolean time = true;
    boolean address = true;
    int values = 0;
    Set<String> distinct = new HashSet<>();
    for (CsvRecord r : sample) {
      if (c >= r.getFieldCount()) {
        continue;
      }
      String v = r.getField(c);
      if (v.isEmpty()) {
        continue;
      }
      values++;
      if (distinct.size() <= sample.size()) {
        distinct.add(v);
      }
      if (numeric && Double.isNaN(ValueSyntax.parseNumber(v))) {
        numeric = false;
      }
      if (port && ValueSyntax.parsePort(v) < 0) {
        port = false;
      }
      if (time && ValueSyntax.parseIsoMillis(v) == ValueSyntax.NOT_A_TIME) {
        time = false;
      }
      if (address && !ValueSyntax.isAddress(v)) {
        address = false;
      }
    }
    if (values == 0) {
      return FieldType.CATEGORICAL;
    }
    if (port && isPortName(name)) {
      return FieldType.PORT;
    }
    if (numeric) {
      return FieldType.NUMERIC;
    }
    if (time) {
      return FieldType.TIMESTAMP;
    }
    if (address) {
      return FieldType.ADDRESS;
    }
    int d = distinct.size();
    return d > sample.size() / 2.0 && d > 100 ? FieldType.IGNORED : FieldType.CATEGORICAL;
  }

  static boolean isPortName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith("port") || n.equals("sport") || n.equals("dsport");
  }

  /** A parsed schema file. */
  static final class SchemaFile {
    final String name;
    final String label;
    final String type;
    final Map<String, FieldType> fields;

    private SchemaFile(String name, String label, String type, Map<String, FieldType> fields) {
      this.name = name;
      this.label = label;
      this.type = type;
      this.fields = fields;
    }

    static SchemaFile read(Path file) throws IOException {
      String src = file.toString();
      JsonNode root;
      try {
        root = JSON.readTree(Files.readString(file));
      } catch (JsonProcessingException e) {
        throw new InputException(src, e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
            0, null, null, "a JSON schema object (" + e.getOriginalMessage() + ")");
      }
      if (root == null || !root.isObject()) {
        throw new InputException(src, 0, 0, null, null,
            "a JSON object {\"name\":..., \"label\":..., \"type\":..., \"fields\":[...]}");
      }
      JsonNode fieldList = root.get("fields");
      if (fieldList == null || !fieldList.isArray() || fieldList.isEmpty()) {
        throw new InputException(src, 0, 0, "fields", null,
            "a non-empty array of {\"name\":..., \"type\":...}");
      }
      Map<String, FieldType> fields = new LinkedHashMap<>();
      for (JsonNode f : fieldList) {
        String fname = f.path("name").asText("");
        String ftype = f.path("type").asText("");
        if (fname.isEmpty() || fields.containsKey(fname)) {
          throw new InputException(src, 0, 0, "fields", f.toString(),
              "each field with a unique, non-empty \"name\"");
        }
        FieldType t = parseType(ftype);
        if (t == null) {
          throw new InputException(src, 0, 0, fname, ftype,
              "a field type: numeric, categorical, port, timestamp, address or ignored");
        }
        fields.put(fname, t);
      }
      return new SchemaFile(root.path("name").asText("csv"), text(root, "label"),
          text(root, "type"), fields);
    }

    private static String text(JsonNode root, String key) {
      JsonNode v = root.get(key);
      return v == null || v.isNull() || v.asText().isEmpty() ? null : v.asText();
    }

    private static FieldType parseType(String s) {
      for (FieldType t : FieldType.values()) {
        if (t.name().equalsIgnoreCase(s.trim())) {
          return t;
        }
      }
      return null;
    }
  }
}
