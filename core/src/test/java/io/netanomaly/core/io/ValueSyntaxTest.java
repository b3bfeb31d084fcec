package io.netanomaly.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ValueSyntaxTest {

  @Test
  void numbersMatchDoubleParseDouble() {
    for (String s : new String[] {"0", "-0", "12", "0.17", "1.00", "-3.5", ".5", "5.", "+7",
        "1e5", "1.5E-3", "123456789012345678", "0.1234567890123456789", "491", "363030.2188",
        "5590358.5", "1e308", "4.9e-324"}) {
      assertThat(ValueSyntax.parseNumber(s)).as(s).isEqualTo(Double.parseDouble(s));
    }
    Random random = new Random(42);
    for (int i = 0; i < 10_000; i++) {
      String s = String.format(java.util.Locale.ROOT, "%." + random.nextInt(9) + "f",
          (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(12)));
      assertThat(ValueSyntax.parseNumber(s)).as(s).isEqualTo(Double.parseDouble(s));
    }
  }

  @Test
  void nonNumbersAndNonFiniteAreNaN() {
    for (String s : new String[] {"", "-", "+", ".", "e5", "1e", "1e+", "NaN", "Infinity",
        "-Infinity", "0x10", " 1", "1 ", "1,5", "1.2.3", "1d", "1f", "abc", "1e400", "--1"}) {
      assertThat(ValueSyntax.parseNumber(s)).as(s).isNaN();
    }
  }

  @Test
  void ports() {
    assertThat(ValueSyntax.parsePort("0")).isZero();
    assertThat(ValueSyntax.parsePort("443")).isEqualTo(443);
    assertThat(ValueSyntax.parsePort("65535")).isEqualTo(65535);
    for (String s : new String[] {"", "65536", "-1", "80.0", "abc", "123456", " 80"}) {
      assertThat(ValueSyntax.parsePort(s)).as(s).isEqualTo(-1);
    }
    assertThat(ValueSyntax.parseHexPort("0x000b")).isEqualTo(11);
    assertThat(ValueSyntax.parseHexPort("0xzz")).isEqualTo(-1);
  }

  @Test
  void isoTimesAndEpochSeconds() {
    assertThat(ValueSyntax.parseTimestampMillis("2026-01-05T08:00:00Z"))
        .isEqualTo(Instant.parse("2026-01-05T08:00:00Z").toEpochMilli());
    assertThat(ValueSyntax.parseTimestampMillis("2026-01-05 08:00:00"))
        .isEqualTo(Instant.parse("2026-01-05T08:00:00Z").toEpochMilli());
    assertThat(ValueSyntax.parseTimestampMillis("2026-01-05T08:00:00.123456Z"))
        .isEqualTo(Instant.parse("2026-01-05T08:00:00.123Z").toEpochMilli());
    assertThat(ValueSyntax.parseTimestampMillis("2026-01-05T10:30:00+02:30"))
        .isEqualTo(Instant.parse("2026-01-05T08:00:00Z").toEpochMilli());
    assertThat(ValueSyntax.parseTimestampMillis("2024-02-29T23:59:59.5-0100"))
        .isEqualTo(Instant.parse("2024-03-01T00:59:59.500Z").toEpochMilli());
    assertThat(ValueSyntax.parseTimestampMillis("1900-01-01T00:00Z"))
        .isEqualTo(Instant.parse("1900-01-01T00:00:00Z").toEpochMilli());
    assertThat(ValueSyntax.parseTimestampMillis("1421951772")).isEqualTo(1_421_951_772_000L);
    assertThat(ValueSyntax.parseTimestampMillis("1421951772.25")).isEqualTo(1_421_951_772_250L);
    for (String s : new String[] {"2026-13-01", "2026-02-30T00:00:00Z", "2023-02-29",
        "2026-01-05T24:00:00Z", "2026-01-05T08:00:00X", "2026-01-05T08", "1736064000000",
        "yesterday", "", "NaN"}) {
      assertThat(ValueSyntax.parseTimestampMillis(s)).as(s).isEqualTo(ValueSyntax.NOT_A_TIME);
    }
  }

  @Test
  void addresses() {
    for (String s : new String[] {"10.0.0.1", "255.255.255.255", "::", "::1", "fe80::1%eth0",
        "2001:db8::8a2e:370:7334", "2001:0db8:0000:0000:0000:ff00:0042:8329", "::ffff:10.0.0.1",
        "1::"}) {
      assertThat(ValueSyntax.isAddress(s)).as(s).isTrue();
    }
    for (String s : new String[] {"", "10.0.0", "10.0.0.256", "1.2.3.4.5", "host.example.com",
        ":::", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", "g::1", "10.0.0.1 ", ":1", "1:"}) {
      assertThat(ValueSyntax.isAddress(s)).as(s).isFalse();
    }
  }
}
