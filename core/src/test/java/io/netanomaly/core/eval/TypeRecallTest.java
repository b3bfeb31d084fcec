package io.netanomaly.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SortedMap;
import org.junit.jupiter.api.Test;

class TypeRecallTest {
  @Test
  void countsAndRecallPerAnomalousType() {
    double[] scores = {0.9, 0.2, 0.7, 0.8, 0.95, 0.6, 0.1};
    String[] types = {"dos", "dos", "probe", null, "normal", "dos", " "};
    int[] labels = {1, 1, 1, 1, 0, 1, 1};

    SortedMap<String, TypeRecall> r = TypeRecall.compute(scores, types, labels, 0.6);

    assertThat(r.keySet()).containsExactly("dos", "probe", "unlabelled");
    assertThat(r.get("dos").count()).isEqualTo(3);
    assertThat(r.get("dos").detected()).isEqualTo(2); // 0.9 and 0.6 (>= threshold), not 0.2
    assertThat(r.get("dos").recall()).isEqualTo(2 / 3.0);
    assertThat(r.get("probe").recall()).isEqualTo(1.0);
    assertThat(r.get("unlabelled").count()).isEqualTo(2); // null and blank
    assertThat(r.get("unlabelled").detected()).isEqualTo(1);
    assertThatThrownBy(() -> r.put("x", null)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void noAnomaliesGiveAnEmptyMap() {
    assertThat(TypeRecall.compute(new double[] {1}, new String[] {"normal"}, new int[] {0}, 0.5))
        .isEmpty();
  }

  @Test
  void rejectsMismatchedLengths() {
    assertThatThrownBy(
            () -> TypeRecall.compute(new double[] {1, 2}, new String[] {"a"}, new int[] {1, 1}, 0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("1 types but 2 labels");
  }
}
