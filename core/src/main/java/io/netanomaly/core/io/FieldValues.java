package io.netanomaly.core.io;

import io.netanomaly.core.schema.FieldType;

/** Parsing one text value by its schema type, shared by the table and record readers. */
final class FieldValues {
  private FieldValues() {}

  /**
   * Parses {@code v} as a value of {@code type} into {@code num[field]} / {@code txt[field]}
   * (see {@link io.netanomaly.core.schema.Row}). An empty value (or "-" when {@code dashIsMissing})
   * is missing and leaves both untouched.
   *
   * @return null on success, else what was expected (for the error message)
   */
  static String parse(FieldType type, String v, boolean dashIsMissing, boolean hexPorts, int field,
      double[] num, String[] txt) {
    boolean missing = v.isEmpty() || (dashIsMissing && v.equals("-"));
    switch (type) {
      case NUMERIC:
        if (!missing) {
          double d = ValueSyntax.parseNumber(v);
          if (Double.isNaN(d)) {
            return "a number";
          }
          num[field] = d;
        }
        return null;
      case CATEGORICAL:
      case IGNORED:
        if (!missing) {
          txt[field] = v;
        }
        return null;
      case PORT:
        if (!missing) {
          int p = ValueSyntax.parsePort(v);
          if (p < 0 && hexPorts) {
            p = ValueSyntax.parseHexPort(v);
          }
          if (p < 0) {
            return "an integer port 0..65535";
          }
          num[field] = p;
          txt[field] = v;
        }
        return null;
      case TIMESTAMP:
        if (!missing) {
          long t = ValueSyntax.parseTimestampMillis(v);
          if (t == ValueSyntax.NOT_A_TIME) {
            return "an ISO-8601 time or epoch seconds";
          }
          num[field] = t;
          txt[field] = v;
        }
        return null;
      case ADDRESS:
        if (!missing) {
          if (!ValueSyntax.isAddress(v)) {
            return "an IPv4 or IPv6 address";
          }
          txt[field] = v;
        }
        return null;
      default:
        throw new IllegalStateException("unhandled field type " + type);
    }
  }
}
