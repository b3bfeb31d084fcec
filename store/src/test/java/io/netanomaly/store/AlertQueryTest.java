package io.netanomaly.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class AlertQueryTest {
  @Test
  void filtersAccumulateAndTheOriginalIsUnchanged() {
    AlertQuery base = AlertQuery.all();
    AlertQuery q = base.since(Instant.ofEpochMilli(5)).until(10).type("port_scan").minScore(0.7).srcIp("10.0.0.1")
        .limit(20).cursor("42");
    assertThat(q.sinceMillis()).isEqualTo(5);
    assertThat(q.untilMillis()).isEqualTo(10);
    assertThat(q.type()).isEqualTo("port_scan");
    assertThat(q.minScore()).isEqualTo(0.7);
    assertThat(q.srcIp()).isEqualTo("10.0.0.1");
    assertThat(q.limit()).isEqualTo(20);
    assertThat(q.beforeId()).isEqualTo(42);
    assertThat(base.type()).isNull();
    assertThat(base.limit()).isEqualTo(AlertQuery.DEFAULT_LIMIT);
    assertThat(q.cursor(null).beforeId()).isNull();
    assertThat(q).isEqualTo(base.since(5).until(10).type("port_scan").minScore(0.7).srcIp("10.0.0.1").limit(20)
        .cursor("42"));
  }

  @Test
  void limitIsClampedAndBadValuesAreRefused() {
    assertThat(AlertQuery.all().limit(1_000_000).limit()).isEqualTo(AlertQuery.MAX_LIMIT);
    assertThatThrownBy(() -> AlertQuery.all().limit(-3)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("limit");
    assertThatThrownBy(() -> AlertQuery.all().minScore(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    for (String bad : new String[] {"abc", "", "0", "-5", "1 OR 1=1", "9".repeat(100)}) {
      assertThatThrownBy(() -> AlertQuery.all().cursor(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("cursor");
    }
  }
}
