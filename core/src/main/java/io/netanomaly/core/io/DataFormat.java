package io.netanomaly.core.io;

import java.util.Locale;

/** The input formats {@link Readers} understands. */
public enum DataFormat {
  /** Decide from the file: JSON Lines or a canonical flow header mean FLOW; see {@link Readers}. */
  AUTO("auto"),
  /** Canonical flow records (CSV with a header, or JSON Lines). */
  FLOW("flow"),
  /** Any CSV table with a header; schema inferred or given with a schema file. */
  CSV("csv"),
  /** NSL-KDD: no header, 41 features, label, difficulty. */
  NSL_KDD("nsl-kdd"),
  /** UNSW-NB15 CSV with a header (sampled or official training-set layout). */
  UNSW_NB15("unsw-nb15");

  private final String cliName;

  DataFormat(String cliName) {
    this.cliName = cliName;
  }

  /** The name used on the command line ("nsl-kdd"). */
  public String cliName() {
    return cliName;
  }

  /**
   * Parses a command-line name ("auto", "flow", "csv", "nsl-kdd", "unsw-nb15"), ignoring case;
   * underscores are accepted for hyphens.
   *
   * @throws IllegalArgumentException naming the valid names when {@code s} is none of them
   */
  public static DataFormat parse(String s) {
    if (s != null) {
      String n = s.trim().toLowerCase(Locale.ROOT).replace('_', '-');
      for (DataFormat f : values()) {
        if (f.cliName.equals(n)) {
          return f;
        }
      }
    }
    throw new IllegalArgumentException("unknown format '" + s
        + "': expected one of auto, flow, csv, nsl-kdd, unsw-nb15");
  }

  @Override
  public String toString() {
    return cliName;
  }
}
