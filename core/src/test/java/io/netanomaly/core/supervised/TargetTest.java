package io.netanomaly.core.supervised;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netanomaly.core.schema.Row;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetTest {
  private static Row row(int label, String type) {
    return new Row(new double[] {1}, new String[] {null}, label, type, 7);
  }

  private final List<Row> rows = List.of(row(0, null), row(1, "probe"), row(1, "dos"), row(0, "normal"), row(1, null));

  @Test
  void binaryHasNormalAndAttack() {
    assertThat(Target.BINARY.classesOf(rows)).containsExactly("normal", "attack");
    assertThat(Target.BINARY.labels(rows, Target.BINARY.classesOf(rows))).containsExactly(0, 1, 1, 0, 1);
  }

  @Test
  void categoryPutsNormalFirstThenSortedCategories() {
    List<String> classes = Target.CATEGORY.classesOf(rows);
    assertThat(classes).containsExactly("normal", "attack", "dos", "probe");
    assertThat(Target.CATEGORY.labels(rows, classes)).containsExactly(0, 3, 2, 0, 1);
  }

  @Test
  void unlabelledRowsAndUnknownClassesAreRefused() {
    assertThatThrownBy(() -> Target.BINARY.classOf(row(Row.UNLABELLED, null))).hasMessageContaining("line 7");
    assertThatThrownBy(() -> Target.CATEGORY.labels(rows, List.of("normal", "dos")))
        .hasMessageContaining("class 'probe'");
    assertThat(Target.parse(" Category ")).isEqualTo(Target.CATEGORY);
    assertThatThrownBy(() -> Target.parse("multi")).hasMessageContaining("'binary' or 'category'");
  }
}
