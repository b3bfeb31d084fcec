package io.netanomaly.core.io;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How to read an input: its format, label and type columns of a generic CSV, an optional schema
 * file, and whether bad rows are skipped. Immutable and thread-safe; build with {@link #builder()}.
 */
public final class ReadOptions {
  private static final ReadOptions DEFAULTS = builder().build();

  private final DataFormat format;
  private final String labelColumn;
  private final String typeColumn;
  private final Path schemaFile;
  private final boolean skipInvalid;
  private final int maxErrorsKept;

  private ReadOptions(Builder b) {
    this.format = b.format;
    this.labelColumn = b.labelColumn;
    this.typeColumn = b.typeColumn;
    this.schemaFile = b.schemaFile;
    this.skipInvalid = b.skipInvalid;
    this.maxErrorsKept = b.maxErrorsKept;
  }

  /** A builder with the defaults: AUTO, no label/type column, no schema file, strict, 10 errors. */
  public static Builder builder() {
    return new Builder();
  }

  /** The defaults (AUTO, strict). */
  public static ReadOptions defaults() {
    return DEFAULTS;
  }

  /** The input format; AUTO by default. */
  public DataFormat format() {
    return format;
  }

  /** Label column of a generic CSV (0/1, true/false, normal/benign vs attack text), or null. */
  public String labelColumn() {
    return labelColumn;
  }

  /** Anomaly-type column of a generic CSV, or null. */
  public String typeColumn() {
    return typeColumn;
  }

  /** JSON schema file for a generic CSV, or null to infer the schema. */
  public Path schemaFile() {
    return schemaFile;
  }

  /** True to skip and count bad rows instead of throwing on the first one. */
  public boolean skipInvalid() {
    return skipInvalid;
  }

  /** How many skipped-row errors {@link RowSource#firstErrors()} keeps. */
  public int maxErrorsKept() {
    return maxErrorsKept;
  }

  /** A builder preset with these options. */
  public Builder toBuilder() {
    return new Builder().format(format).labelColumn(labelColumn).typeColumn(typeColumn)
        .schemaFile(schemaFile).skipInvalid(skipInvalid).maxErrorsKept(maxErrorsKept);
  }

  @Override
  public String toString() {
    return "ReadOptions[format=" + format + ", label=" + labelColumn + ", type=" + typeColumn
        + ", schema=" + schemaFile + ", skipInvalid=" + skipInvalid + ", maxErrorsKept="
        + maxErrorsKept + "]";
  }

  /** Mutable builder for {@link ReadOptions}; not thread-safe. */
  public static final class Builder {
    private DataFormat format = DataFormat.AUTO;
    private String labelColumn;
    private String typeColumn;
    private Path schemaFile;
    private boolean skipInvalid;
    private int maxErrorsKept = 10;

    private Builder() {}

    /** The input format (default AUTO). */
    public Builder format(DataFormat format) {
      this.format = Objects.requireNonNull(format, "format");
      return this;
    }

    /** Label column of a generic CSV; null for none. */
    public Builder labelColumn(String labelColumn) {
      this.labelColumn = labelColumn;
      return this;
    }

    /** Anomaly-type column of a generic CSV; null for none. */
    public Builder typeColumn(String typeColumn) {
      this.typeColumn = typeColumn;
      return this;
    }

    /** JSON schema file for a generic CSV; null to infer. */
    public Builder schemaFile(Path schemaFile) {
      this.schemaFile = schemaFile;
      return this;
    }

    /** Skip and count bad rows instead of throwing (default false). */
    public Builder skipInvalid(boolean skipInvalid) {
      this.skipInvalid = skipInvalid;
      return this;
    }

    /** How many skipped-row errors to keep (default 10); at least 0. */
    public Builder maxErrorsKept(int maxErrorsKept) {
      if (maxErrorsKept < 0) {
        throw new IllegalArgumentException("maxErrorsKept must be >= 0: " + maxErrorsKept);
      }
      this.maxErrorsKept = maxErrorsKept;
      return this;
    }

    /** The immutable options. */
    public ReadOptions build() {
      return new ReadOptions(this);
    }
  }
}
