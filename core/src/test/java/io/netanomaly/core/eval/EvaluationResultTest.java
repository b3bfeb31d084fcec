package io.netanomaly.core.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluationResultTest {
  private static final double[] SCORES = {0.9, 0.8, 0.3, 0.2, 0.6, 0.95, 0.85, 0.1};
  private static final int[] LABELS = {1, 0, 1, 0, 0, 1, 1, 0};
  private static final String[] TYPES = {"dos", null, "probe", "normal", "normal", "dos", "dos", "normal"};

  private static EvaluationResult full() {
    return EvaluationResult.builder(BinaryMetrics.compute(SCORES, LABELS, 0.5))
        .perType(TypeRecall.compute(SCORES, TYPES, LABELS, 0.5))
        .scoringRowsPerSecond(61234.4)
        .model("models/iforest.nam")
        .build();
  }

  @Test
  void jsonHasExactlyTheDocumentedKeys() {
    ObjectNode json = full().toJson();

    assertThat(fieldNames(json))
        .containsExactly(
            "rows", "anomalies", "roc_auc", "pr_auc", "precision", "recall", "f1", "accuracy",
            "threshold", "confusion", "per_type", "scoring_rows_per_second", "model");
    assertThat(fieldNames(json.get("confusion"))).containsExactly("tp", "fp", "tn", "fn");
    assertThat(fieldNames(json.get("per_type"))).containsExactly("dos", "probe");
    assertThat(fieldNames(json.get("per_type").get("dos"))).containsExactly("count", "recall");
  }

  @Test
  void jsonValuesMatchTheMetrics() {
    JsonNode json = full().toJson();

    assertThat(json.get("rows").asLong()).isEqualTo(8);
    assertThat(json.get("anomalies").asLong()).isEqualTo(4);
    assertThat(json.get("confusion").get("tp").asLong()).isEqualTo(3);
    assertThat(json.get("confusion").get("fp").asLong()).isEqualTo(2);
    assertThat(json.get("confusion").get("tn").asLong()).isEqualTo(2);
    assertThat(json.get("confusion").get("fn").asLong()).isEqualTo(1);
    assertThat(json.get("precision").asDouble()).isEqualTo(0.6);
    assertThat(json.get("recall").asDouble()).isEqualTo(0.75);
    assertThat(json.get("threshold").asDouble()).isEqualTo(0.5);
    // Anomalies 0.95, 0.9, 0.85 beat all 4 normals, 0.3 beats 0.2 and 0.1: 14 of 16 pairs.
    assertThat(json.get("roc_auc").asDouble()).isEqualTo(14 / 16.0);
    assertThat(json.get("per_type").get("dos").get("count").asLong()).isEqualTo(3);
    assertThat(json.get("per_type").get("dos").get("recall").asDouble()).isEqualTo(1.0);
    assertThat(json.get("per_type").get("probe").get("recall").asDouble()).isEqualTo(0.0);
    assertThat(json.get("scoring_rows_per_second").asDouble()).isEqualTo(61234.4);
    assertThat(json.get("model").asText()).isEqualTo("models/iforest.nam");
  }

  @Test
  void undefinedMetricsAreNullAndAbsentPartsOmitted() {
    EvaluationResult oneClass =
        EvaluationResult.builder(
                BinaryMetrics.compute(new double[] {0.2, 0.9}, new int[] {0, 0}, Double.POSITIVE_INFINITY))
            .build();
    JsonNode json = oneClass.toJson();

    assertThat(json.get("roc_auc").isNull()).isTrue();
    assertThat(json.get("pr_auc").isNull()).isTrue();
    assertThat(json.get("threshold").isNull()).isTrue(); // JSON has no infinity
    assertThat(json.get("precision").asDouble()).isZero();
    assertThat(fieldNames(json))
        .containsExactly(
            "rows", "anomalies", "roc_auc", "pr_auc", "precision", "recall", "f1", "accuracy",
            "threshold", "confusion");
    assertThat(oneClass.model()).isEmpty();
    assertThat(oneClass.scoringRowsPerSecond()).isNaN();
  }

  @Test
  void tableShowsTheKeyFigures() {
    String table = full().toTable();

    assertThat(table)
        .contains("models/iforest.nam")
        .containsPattern("rows +8\n")
        .containsPattern("anomalies +4  \\(50\\.00%\\)")
        .containsPattern("ROC-AUC +0\\.8750")
        .containsPattern("precision +0\\.6000")
        .containsPattern("recall +0\\.7500")
        .containsPattern("F1 +0\\.6667")
        .containsPattern("accuracy +0\\.6250")
        .containsPattern("threshold +0\\.500000")
        .containsPattern("scoring speed +61,234 rows/s")
        .containsPattern("actual normal +2 +2\n")
        .containsPattern("actual anomaly +1 +3\n");
    // Most frequent type first.
    assertThat(table.indexOf("  dos ")).isLessThan(table.indexOf("  probe "));
    assertThat(table).containsPattern("dos +3 +3 +1\\.0000").containsPattern("probe +1 +0 +0\\.0000");
  }

  @Test
  void tableSaysNotAvailableForUndefinedMetrics() {
    String table =
        EvaluationResult.builder(BinaryMetrics.compute(new double[] {0.2}, new int[] {1}, 0.5))
            .build()
            .toTable();

    assertThat(table).containsPattern("ROC-AUC +n/a").doesNotContain("recall by type")
        .doesNotContain("scoring speed").doesNotContain("NaN");
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
