package io.netanomaly.core.io;

import io.netanomaly.core.schema.Schema;

/**
 * How the columns of a headed or headless CSV table map onto a {@link Schema}: for each input
 * column, the schema field it fills or one of the roles {@link #SKIP}, {@link #LABEL},
 * {@link #TYPE}, {@link #DIFFICULTY}. Also the accepted field counts and the label convention.
 * Immutable after construction (the arrays are not exposed outside the package).
 */
final class TableLayout {
  static final int SKIP = -1;
  static final int LABEL = -2;
  static final int TYPE = -3;
  static final int DIFFICULTY = -4;

  /** How label text becomes label and anomaly type. */
  enum LabelStyle {
    /** 0/1, true/false, normal/benign = 0; other text = 1 and the text is the type. */
    GENERIC,
    /** As GENERIC, but other text (Malicious) = 1 without a type; attack_cat gives the type. */
    UNSW,
    /** An NSL-KDD attack name: normal = 0; an attack = 1 with its category as the type. */
    NSL_KDD
  }

  final Schema schema;
  final int[] targetOfColumn;
  final String[] columnNames;
  final int minFields;
  final int maxFields;
  final LabelStyle labelStyle;
  /** Treat "-" as missing in categorical, port and address columns (UNSW-NB15 convention). */
  final boolean dashIsMissing;
  /** Accept 0x-prefixed hexadecimal ports (raw UNSW-NB15 files). */
  final boolean hexPorts;

  TableLayout(Schema schema, int[] targetOfColumn, String[] columnNames, int minFields,
      int maxFields, LabelStyle labelStyle, boolean dashIsMissing, boolean hexPorts) {
    this.schema = schema;
    this.targetOfColumn = targetOfColumn;
    this.columnNames = columnNames;
    this.minFields = minFields;
    this.maxFields = maxFields;
    this.labelStyle = labelStyle;
    this.dashIsMissing = dashIsMissing;
    this.hexPorts = hexPorts;
  }
}
