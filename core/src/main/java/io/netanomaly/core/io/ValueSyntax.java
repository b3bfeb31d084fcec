package io.netanomaly.core.io;

/**
 * Allocation-free parsers and checks for field text: numbers, ports, ISO-8601 and epoch-second
 * times, IPv4/IPv6 addresses. Each returns a sentinel instead of throwing, so the happy path costs
 * no exception and no regex. Stateless and thread-safe.
 */
final class ValueSyntax {
  private ValueSyntax() {}

  /** Returned by the timestamp parsers for text that is not a time. */
  static final long NOT_A_TIME = Long.MIN_VALUE;
  /** Latest accepted epoch second: 9999-12-31T23:59:59Z. Larger values are probably millis. */
  static final double MAX_EPOCH_SECONDS = 253_402_300_799d;

  private static final double[] POW10 = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22
  };

  /**
   * Parses a finite decimal number ({@code -12}, {@code 0.17}, {@code 1e5}, {@code .5}); NaN for
   * anything else, including "NaN", "Infinity", hex, surrounding spaces and overflow.
   */
  static double parseNumber(CharSequence s) {
    int n = s.length();
    if (n == 0 || n > 400) {
      return Double.NaN;
    }
    int i = 0;
    boolean negative = false;
    char c = s.charAt(0);
    if (c == '-' || c == '+') {
      negative = c == '-';
      i++;
    }
    long mantissa = 0;
    int significant = 0;
    int fractionDigits = 0;
    boolean anyDigit = false;
    while (i < n && (c = s.charAt(i)) >= '0' && c <= '9') {
      anyDigit = true;
      if (significant < 18) {
        mantissa = mantissa * 10 + (c - '0');
        if (mantissa != 0) {
          significant++;
        }
      } else {
        significant++;
      }
      i++;
    }
    if (i < n && s.charAt(i) == '.') {
      i++;
      while (i < n && (c = s.charAt(i)) >= '0' && c <= '9') {
        anyDigit = true;
        if (significant < 18) {
          mantissa = mantissa * 10 + (c - '0');
          if (mantissa != 0) {
            significant++;
          }
          fractionDigits++;
        } else {
          significant++;
        }
        i++;
      }
    }
    if (!anyDigit) {
      return Double.NaN;
    }
    boolean exponent = false;
    if (i < n && ((c = s.charAt(i)) == 'e' || c == 'E')) {
      exponent = true;
      i++;
      if (i < n && ((c = s.charAt(i)) == '-' || c == '+')) {
        i++;
      }
      int expDigits = 0;
      while (i < n && (c = s.charAt(i)) >= '0' && c <= '9') {
        expDigits++;
        i++;
      }
      if (expDigits == 0) {
        return Double.NaN;
      }
    }
    if (i != n) {
      return Double.NaN;
    }
    double v;
    if (!exponent && significant <= 15 && fractionDigits <= 22) {
      // exact integer mantissa and exact power of ten: one correctly rounded division
      v = fractionDigits == 0 ? (double) mantissa : mantissa / POW10[fractionDigits];
      if (negative) {
        v = -v;
      }
    } else {
      try {
        v = Double.parseDouble(s.toString());
      } catch (NumberFormatException e) {
        return Double.NaN; // unreachable after the syntax check above; kept as a guard
      }
    }
    return Double.isInfinite(v) ? Double.NaN : v;
  }

  /** Parses a decimal port 0..65535 (digits only); -1 for anything else. */
  static int parsePort(CharSequence s) {
    return parseSmallInt(s, 65535);
  }

  /** Parses a hexadecimal port {@code 0x...} (as in raw UNSW-NB15 files); -1 otherwise. */
  static int parseHexPort(CharSequence s) {
    int n = s.length();
    if (n < 3 || n > 8 || s.charAt(0) != '0' || (s.charAt(1) != 'x' && s.charAt(1) != 'X')) {
      return -1;
    }
    int v = 0;
    for (int i = 2; i < n; i++) {
      int d = Character.digit(s.charAt(i), 16);
      if (d < 0) {
        return -1;
      }
      v = v * 16 + d;
    }
    return v <= 65535 ? v : -1;
  }

  /** Parses an ISO-8601 time or epoch seconds into epoch milliseconds; NOT_A_TIME otherwise. */
  static long parseTimestampMillis(CharSequence s) {
    long iso = parseIsoMillis(s);
    if (iso != NOT_A_TIME) {
      return iso;
    }
    double seconds = parseNumber(s);
    if (Double.isNaN(seconds) || Math.abs(seconds) > MAX_EPOCH_SECONDS) {
      return NOT_A_TIME;
    }
    return Math.round(seconds * 1000d);
  }

  /**
   * Parses {@code yyyy-MM-dd}, optionally followed by {@code T} or a space and
   * {@code HH:mm[:ss[.fraction]]}, optionally followed by {@code Z} or an offset {@code ±HH[:mm]};
   * no offset means UTC. Returns epoch milliseconds (fraction truncated to millis) or NOT_A_TIME.
   */
  static long parseIsoMillis(CharSequence s) {
    int n = s.length();
    if (n < 10 || n > 40) {
      return NOT_A_TIME;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || s.charAt(4) != '-'
        || s.charAt(7) != '-' || day > daysInMonth(year, month)) {
      return NOT_A_TIME;
    }
    long millis = epochDay(year, month, day) * 86_400_000L;
    if (n == 10) {
      return millis;
    }
    char sep = s.charAt(10);
    if ((sep != 'T' && sep != 't' && sep != ' ') || n < 16) {
      return NOT_A_TIME;
    }
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    if (hour < 0 || hour > 23 || s.charAt(13) != ':' || minute < 0 || minute > 59) {
      return NOT_A_TIME;
    }
    millis += hour * 3_600_000L + minute * 60_000L;
    int i = 16;
    if (i < n && s.charAt(i) == ':') {
      int second = digits(s, i + 1, 2);
      if (second < 0 || second > 59) {
        return NOT_A_TIME;
      }
      millis += second * 1000L;
      i += 3;
      if (i < n && (s.charAt(i) == '.' || s.charAt(i) == ',')) {
        i++;
        int start = i;
        int frac = 0;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
          if (i - start < 3) {
            frac = frac * 10 + (s.charAt(i) - '0');
          }
          i++;
        }
        int count = i - start;
        if (count == 0 || count > 9) {
          return NOT_A_TIME;
        }
        for (int k = count; k < 3; k++) {
          frac *= 10;
        }
        millis += frac;
      }
    }
    if (i == n) {
      return millis;
    }
    char z = s.charAt(i);
    if ((z == 'Z' || z == 'z') && i + 1 == n) {
      return millis;
    }
    if (z != '+' && z != '-') {
      return NOT_A_TIME;
    }
    int offHour = digits(s, i + 1, 2);
    int offMinute = 0;
    int j = i + 3;
    if (j < n) {
      if (s.charAt(j) == ':') {
        j++;
      }
      offMinute = digits(s, j, 2);
      j += 2;
    }
    if (offHour < 0 || offHour > 18 || offMinute < 0 || offMinute > 59 || j != n) {
      return NOT_A_TIME;
    }
    long offset = offHour * 3_600_000L + offMinute * 60_000L;
    return z == '+' ? millis - offset : millis + offset;
  }

  /** True for a dotted-quad IPv4 address (each part 0..255, no leading '+'). */
  static boolean isIpv4(CharSequence s) {
    return isIpv4(s, 0, s.length());
  }

  /** True for IPv4 or IPv6 address syntax. No name resolution ever happens. */
  static boolean isAddress(CharSequence s) {
    return isIpv4(s) || isIpv6(s);
  }

  /**
   * True for IPv6 text: up to 8 groups of 1..4 hex digits separated by ':', at most one "::",
   * an optional dotted-quad tail and an optional "%zone".
   */
  static boolean isIpv6(CharSequence s) {
    int n = s.length();
    if (n < 2 || n > 64) {
      return false;
    }
    int end = n;
    for (int k = 0; k < n; k++) {
      char c = s.charAt(k);
      if (c == '%') {
        end = k;
        break;
      }
    }
    if (end == n - 1 || end < 2) {
      return false;
    }
    for (int k = end + 1; k < n; k++) {
      if (s.charAt(k) <= ' ') {
        return false;
      }
    }
    int groups = 0;
    boolean compressed = false;
    int i = 0;
    if (s.charAt(0) == ':') {
      if (s.charAt(1) != ':') {
        return false;
      }
      compressed = true;
      i = 2;
      if (i == end) {
        return true;
      }
    }
    while (true) {
      int j = i;
      while (j < end && s.charAt(j) != ':') {
        j++;
      }
      if (j == i) {
        return false;
      }
      if (j == end) {
        if (isHexGroup(s, i, j)) {
          groups++;
        } else if (isIpv4(s, i, j)) {
          groups += 2;
        } else {
          return false;
        }
        break;
      }
      if (!isHexGroup(s, i, j)) {
        return false;
      }
      groups++;
      i = j + 1;
      if (i == end) {
        return false;
      }
      if (s.charAt(i) == ':') {
        if (compressed) {
          return false;
        }
        compressed = true;
        i++;
        if (i == end) {
          break;
        }
      }
    }
    return compressed ? groups <= 7 : groups == 8;
  }

  private static boolean isHexGroup(CharSequence s, int from, int to) {
    if (to - from < 1 || to - from > 4) {
      return false;
    }
    for (int k = from; k < to; k++) {
      if (Character.digit(s.charAt(k), 16) < 0 || s.charAt(k) > 'f') {
        return false;
      }
    }
    return true;
  }

  private static boolean isIpv4(CharSequence s, int from, int to) {
    if (to - from < 7 || to - from > 15) {
      return false;
    }
    int parts = 0;
    int i = from;
    while (i < to) {
      int value = 0;
      int count = 0;
      while (i < to && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        value = value * 10 + (s.charAt(i) - '0');
        count++;
        i++;
      }
      if (count == 0 || count > 3 || value > 255) {
        return false;
      }
      parts++;
      if (i < to) {
        if (s.charAt(i) != '.' || parts == 4) {
          return false;
        }
        i++;
        if (i == to) {
          return false;
        }
      }
    }
    return parts == 4;
  }

  /** Parses a non-negative decimal integer up to {@code max} (digits only); -1 otherwise. */
  static int parseSmallInt(CharSequence s, int max) {
    int n = s.length();
    if (n == 0 || n > 9) {
      return -1;
    }
    int v = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v <= max ? v : -1;
  }

  private static int digits(CharSequence s, int from, int count) {
    if (from + count > s.length()) {
      return -1;
    }
    int v = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static int daysInMonth(int year, int month) {
    switch (month) {
      case 2:
        return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
      case 4: case 6: case 9: case 11:
        return 30;
      default:
        return 31;
    }
  }

  /** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
  private static long epochDay(int year, int month, int day) {
    long y = month <= 2 ? year - 1 : year;
    long era = Math.floorDiv(y, 400);
    long yoe = y - era * 400;
    long doy = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146_097 + doe - 719_468;
  }
}
