package io.netanomaly.core.explain;

/**
 * Writes doubles exactly as {@code String.format(Locale.ROOT, "%.Nf" | "%.Ng", x)} does, without
 * a {@link java.util.Formatter}: like the JDK, it takes the digits of {@link Double#toString(double)}
 * and rounds them half up. Explaining an alert formats a dozen numbers, and the formatter (parsing
 * its pattern, looking up locale symbols) was the largest cost of an explained answer.
 *
 * <p>Stateless and thread-safe.
 */
public final class DecimalText {
  private DecimalText() {}

  /** Appends {@code x} as {@code %.<fraction>f} writes it (no grouping, '.' as the separator). */
  public static StringBuilder appendFixed(StringBuilder b, double x, int fraction) {
    if (fraction < 0) {
      throw new IllegalArgumentException("fraction digits must be ≥ 0: " + fraction);
    }
    if (special(b, x)) {
      return b;
    }
    Digits d = Digits.of(x);
    // keep the digits down to 10^-fraction: E + fraction of them
    d.round(d.exponent + fraction);
    if (d.negative) {
      b.append('-');
    }
    if (d.exponent <= 0) {
      b.append('0');
    } else {
      for (int i = 0; i < d.exponent; i++) {
        b.append(d.digit(i));
      }
    }
    if (fraction > 0) {
      b.append('.');
      for (int i = 0; i < fraction; i++) {
        b.append(d.digit(d.exponent + i));
      }
    }
    return b;
  }

  /**
   * Appends {@code x} as {@code %.<precision>g} writes it: {@code precision} significant digits,
   * in decimal form for magnitudes from 10^-4 up to 10^precision after rounding, otherwise
   * scientific ({@code 2.000e+09}).
   */
  public static StringBuilder appendGeneral(StringBuilder b, double x, int precision) {
    if (precision < 1) {
      throw new IllegalArgumentException("precision must be ≥ 1: " + precision);
    }
    if (special(b, x)) {
      return b;
    }
    Digits d = Digits.of(x);
    if (d.zero) {
      // the JDK prints zero in decimal form with precision - 1 fraction digits
      if (d.negative) {
        b.append('-');
      }
      b.append('0');
      if (precision > 1) {
        b.append('.');
        for (int i = 1; i < precision; i++) {
          b.append('0');
        }
      }
      return b;
    }
    d.round(precision);
    if (d.negative) {
      b.append('-');
    }
    int e = d.exponent; // value = 0.d1d2... × 10^e
    if (e >= -3 && e <= precision) {
      if (e <= 0) {
        b.append("0.");
        for (int i = 0; i < -e; i++) {
          b.append('0');
        }
        for (int i = 0; i < precision; i++) {
          b.append(d.digit(i));
        }
      } else {
        for (int i = 0; i < e; i++) {
          b.append(d.digit(i));
        }
        if (precision > e) {
          b.append('.');
          for (int i = e; i < precision; i++) {
            b.append(d.digit(i));
          }
        }
      }
    } else {
      b.append(d.digit(0));
      if (precision > 1) {
        b.append('.');
        for (int i = 1; i < precision; i++) {
          b.append(d.digit(i));
        }
      }
      int exp = e - 1;
      b.append(exp < 0 ? "e-" : "e+");
      int a = Math.abs(exp);
      if (a < 10) {
        b.append('0');
      }
      b.append(a);
    }
    return b;
  }

  private static boolean special(StringBuilder b, double x) {
    if (Double.isNaN(x)) {
      b.append("NaN");
      return true;
    }
    if (Double.isInfinite(x)) {
      b.append(x > 0 ? "Infinity" : "-Infinity");
      return true;
    }
    return false;
  }

  /** The decimal digits of a double as Double.toString gives them: 0.d1d2… × 10^exponent. */
  private static final class Digits {
    final boolean negative;
    final boolean zero;
    char[] digits;
    int count;
    int exponent;

    private Digits(boolean negative, boolean zero) {
      this.negative = negative;
      this.zero = zero;
    }

    static Digits of(double x) {
      // the JDK's formatter treats -0.0 as negative too
      boolean negative = Double.compare(x, 0.0) < 0;
      double v = Math.abs(x);
      Digits d = new Digits(negative, v == 0.0);
      String s = Double.toString(v);
      int ePos = s.indexOf('E');
      String mantissa = ePos < 0 ? s : s.substring(0, ePos);
      int exp10 = ePos < 0 ? 0 : Integer.parseInt(s.substring(ePos + 1));
      int dot = mantissa.indexOf('.');
      char[] all = new char[mantissa.length()];
      int n = 0;
      int intDigits = dot;
      for (int i = 0; i < mantissa.length(); i++) {
        char c = mantissa.charAt(i);
        if (c != '.') {
          all[n++] = c;
        }
      }
      int first = 0;
      while (first < n && all[first] == '0') {
        first++;
      }
      int last = n;
      while (last > first && all[last - 1] == '0') {
        last--;
      }
      if (first == last) {
        d.digits = new char[] {'0'};
        d.count = 0;
        d.exponent = 1;
        return d;
      }
      d.digits = java.util.Arrays.copyOfRange(all, first, last);
      d.count = last - first;
      // digit all[0] stands at 10^(intDigits - 1 + exp10)
      d.exponent = intDigits - first + exp10;
      return d;
    }

    /** Digit i (0-based from the first significant one), '0' past the known digits. */
    char digit(int i) {
      return i >= 0 && i < count ? digits[i] : '0';
    }

    /** Rounds half up to the first {@code keep} digits; a carry past the first adds a digit. */
    void round(int keep) {
      if (keep < 0) {
        count = 0;
        exponent = Math.max(exponent, 0);
        return;
      }
      if (keep >= count) {
        return;
      }
      boolean up = digits[keep] >= '5';
      count = keep;
      if (!up) {
        return;
      }
      int i = keep - 1;
      while (i >= 0 && digits[i] == '9') {
        digits[i] = '0';
        i--;
      }
      if (i >= 0) {
        digits[i]++;
      } else {
        // 999.5 → 1000: one more integer digit
        char[] grown = new char[Math.max(count, 0) + 1];
        grown[0] = '1';
        for (int k = 1; k < grown.length; k++) {
          grown[k] = '0';
        }
        digits = grown;
        count = grown.length;
        exponent++;
      }
    }
  }
}
