package io.netanomaly.core.schema;

/** What a column holds, which decides how it is parsed and how the feature pipeline encodes it. */
public enum FieldType {
  /** A real number; missing values are allowed and become NaN. */
  NUMERIC,
  /** A symbol from a finite set (protocol, TCP flags, service). */
  CATEGORICAL,
  /** A transport port 0..65535: parsed as a number, encoded like a category. */
  PORT,
  /** An event time: epoch seconds (fractional allowed) or ISO-8601. Stored as epoch milliseconds. */
  TIMESTAMP,
  /** A host address (IPv4/IPv6 text). Not a feature itself; keys the per-source windows. */
  ADDRESS,
  /** Carried through but never used as a feature (identifiers, free text). */
  IGNORED
}
