package io.netanomaly.core.schema;

import java.util.Objects;

/**
 * One column of a {@link Schema}: its name and type. Immutable.
 */
public final class Field {
  private final String name;
  private final FieldType type;

  public Field(String name, FieldType type) {
    this.name = Objects.requireNonNull(name, "name");
    this.type = Objects.requireNonNull(type, "type");
  }

  public String name() {
    return name;
  }

  public FieldType type() {
    return type;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Field f && f.name.equals(name) && f.type == type;
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + type.hashCode();
  }

  @Override
  public String toString() {
    return name + ":" + type.name().toLowerCase(java.util.Locale.ROOT);
  }
}
