package io.netanomaly.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import io.netanomaly.core.schema.Row;
import io.netanomaly.core.schema.Schema;

/** Value-by-value row comparison for round-trip tests. */
final class RowAssertions {
  private RowAssertions() {}

  static void assertSameValues(Row actual, Row expected, Schema schema) {
    for (int c = 0; c < schema.size(); c++) {
      String what = "line " + expected.line() + " column " + schema.field(c).name();
      assertThat(Double.valueOf(actual.number(c))).as(what).isEqualTo(Double.valueOf(expected.number(c)));
      assertThat(actual.text(c)).as(what).isEqualTo(expected.text(c));
    }
    assertThat(actual.label()).isEqualTo(expected.label());
    if (schema.typeColumn() != null || expected.label() != 1) {
      assertThat(actual.anomalyType()).isEqualTo(expected.anomalyType());
    } else {
      assertThat(actual.anomalyType()).isNull(); // 0/1 label column alone carries no type
    }
  }
}
