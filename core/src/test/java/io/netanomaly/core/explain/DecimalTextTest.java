package io.netanomaly.core.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** DecimalText writes what String.format writes, for every kind of double. */
class DecimalTextTest {
  private static final double[] EDGES = {0.0, -0.0, 1.0, -1.0, 0.5, 0.05, 0.0005, 0.00005, 9.9995, 9.99949999,
      99.995, 999.95, 9999.5, 0.00099995, 0.000099995, 1e-4, 9.9995e-5, 1234.0, 12345.0, 1e15, 1e16, 1e22, 1e23,
      2.0e9, 87.0, -0.00012345, 123.456, Double.MIN_VALUE, Double.MAX_VALUE, Double.MIN_NORMAL, 0.1 + 0.2,
      Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.125, 0.0625, 2.5, 1.5, -2.5, 0.045, 1.0005};

  private static void check(double x) {
    for (int p = 1; p <= 8; p++) {
      assertThat(DecimalText.appendGeneral(new StringBuilder(), x, p).toString())
          .as("%%.%dg of %s", p, x).isEqualTo(String.format(Locale.ROOT, "%." + p + "g", x));
    }
    for (int f = 0; f <= 6; f++) {
      assertThat(DecimalText.appendFixed(new StringBuilder(), x, f).toString())
          .as("%%.%df of %s", f, x).isEqualTo(String.format(Locale.ROOT, "%." + f + "f", x));
    }
  }

  @Test
  void edgesOfRoundingFormAndSign() {
    for (double x : EDGES) {
      check(x);
      check(-x);
    }
  }

  @Test
  void randomDoublesOfEveryMagnitude() {
    SplittableRandom r = new SplittableRandom(42);
    for (int i = 0; i < 20_000; i++) {
      // uniform exponents over the whole range, plus short decimals that round at a 5
      double x = r.nextDouble() * Math.pow(10, r.nextInt(-30, 30));
      check(r.nextBoolean() ? x : -x);
      check(Math.round(r.nextDouble() * 1e6) / Math.pow(10, r.nextInt(0, 9)));
      check(Double.longBitsToDouble(r.nextLong() & 0x7fefffffffffffffL));
    }
  }
}
