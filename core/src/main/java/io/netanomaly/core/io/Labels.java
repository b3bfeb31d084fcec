package io.netanomaly.core.io;

import java.util.Locale;

/** Label text conventions shared by the readers. Stateless and thread-safe. */
final class Labels {
  private Labels() {}

  /** 0 for "0"/"false", 1 for "1"/"true" (any case), -1 for anything else. */
  static int binary(String s) {
    String t = s.trim();
    if (t.equals("0") || t.equalsIgnoreCase("false")) {
      return 0;
    }
    if (t.equals("1") || t.equalsIgnoreCase("true")) {
      return 1;
    }
    return -1;
  }

  /** True for the texts that mean "not an attack": normal, benign (any case). */
  static boolean isNormalName(String s) {
    String t = s.trim();
    return t.equalsIgnoreCase("normal") || t.equalsIgnoreCase("benign");
  }

  /** Lower-cased, trimmed label text used as an anomaly type. */
  static String typeName(String s) {
    return s.trim().toLowerCase(Locale.ROOT);
  }
}
