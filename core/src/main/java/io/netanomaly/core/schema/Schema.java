package io.netanomaly.core.schema;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The columns of a table, in order, plus the roles some of them play: an optional binary label
 * column (anomaly or not), an optional anomaly-type column, and the columns the per-source windows
 * use (event time, source address, destination address, destination port). Label columns are not
 * in {@link #fields()}: they never become features. Immutable and thread-safe.
 */
public final class Schema {
  private final String name;
  private final List<Field> fields;
  private final Map<String, Integer> index;
  private final String labelColumn;
  private final String typeColumn;

  /**
   * @param name a short name for the table format ("flow", "nsl-kdd", "csv")
   * @param fields the feature columns, in order; names must be unique
   * @param labelColumn the name of the 0/1 (or normal/attack) label column, or null
   * @param typeColumn the name of the anomaly-type column, or null
   */
  public Schema(String name, List<Field> fields, String labelColumn, String typeColumn) {
    this.name = Objects.requireNonNull(name, "name");
    this.fields = Collections.unmodifiableList(new ArrayList<>(fields));
    Map<String, Integer> idx = new LinkedHashMap<>();
    for (int i = 0; i < this.fields.size(); i++) {
      if (idx.put(this.fields.get(i).name(), i) != null) {
        throw new IllegalArgumentException("duplicate column name: " + this.fields.get(i).name());
      }
    }
    this.index = Collections.unmodifiableMap(idx);
    this.labelColumn = labelColumn;
    this.typeColumn = typeColumn;
  }

  public String name() {
    return name;
  }

  public List<Field> fields() {
    return fields;
  }

  public int size() {
    return fields.size();
  }

  public Field field(int i) {
    return fields.get(i);
  }

  /** Index of the named column, or -1. */
  public int indexOf(String column) {
    Integer i = index.get(column);
    return i == null ? -1 : i;
  }

  /** Index of the first column of the given type, or -1. */
  public int firstOfType(FieldType type) {
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).type() == type) {
        return i;
      }
    }
    return -1;
  }

  /** The label column name, or null when the table has no label. */
  public String labelColumn() {
    return labelColumn;
  }

  /** The anomaly-type column name, or null. */
  public String typeColumn() {
    return typeColumn;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Schema s
        && s.name.equals(name)
        && s.fields.equals(fields)
        && Objects.equals(s.labelColumn, labelColumn)
        && Objects.equals(s.typeColumn, typeColumn);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, fields, labelColumn, typeColumn);
  }

  @Override
  public String toString() {
    return "Schema[" + name + ", " + fields + ", label=" + labelColumn + ", type=" + typeColumn + "]";
  }
}
