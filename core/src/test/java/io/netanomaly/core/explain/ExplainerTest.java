package io.netanomaly.core.explain;

import static org.assertj.core.api.Assertions.assertThat;

import io.netanomaly.core.pipeline.DetectionPipeline;
import io.netanomaly.core.schema.FlowRecord;
import io.netanomaly.core.schema.FlowSchema;
import io.netanomaly.core.schema.Row;
import io.netanomaly.core.synth.TrafficSimulator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Explanations name the features that made a row stand out, with their normal ranges and a threat assessment. */
class ExplainerTest {
  private static DetectionPipeline model;
  private static List<Row> normal;

  @BeforeAll
  static void train() {
    TrafficSimulator sim = TrafficSimulator.builder().seed(21).anomalyRatio(0).build();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      rows.add(sim.next().toRow());
    }
    model = DetectionPipeline.builder().seed(2).threads(1).fit(FlowSchema.SCHEMA, rows);
    normal = rows.subList(rows.size() - 50, rows.size());
  }

  private static Explanation explainLast(List<Row> rows) {
    DetectionPipeline.Session s = model.newSession();
    int w = model.features().width();
    double[] scores = new double[rows.size()];
    double[] raw = new double[rows.size() * w];
    s.score(rows, scores, raw);
    int last = rows.size() - 1;
    return model.explainer().explain(rows.get(last), scores[last], raw, last * w, s.lastFeatures(), last * w);
  }

  @Test
  void aHugeUploadIsExplainedByItsBytesAndAssessedAsExfiltration() {
    long t = (long) normal.get(normal.size() - 1).number(FlowSchema.I_TIMESTAMP) + 1_000;
    Row upload = new FlowRecord(t, "10.21.3.4", "203.0.113.77", 50_000, 443, "TCP", 1_400, 900, "SAPF",
        2_000_000_000L, 3_000_000L, 1_400_000, 700_000, 1, "data_exfiltration").toRow();
    List<Row> rows = new ArrayList<>(normal);
    rows.add(upload);
    Explanation e = explainLast(rows);
    assertThat(e.isAnomaly()).isTrue();
    assertThat(e.anomalyType()).isEqualTo("data_exfiltration");
    assertThat(e.topFeatures()).isNotEmpty().hasSizeLessThanOrEqualTo(Explainer.TOP_FEATURES);
    assertThat(e.topFeatures()).extracting(FeatureContribution::feature)
        .anyMatch(f -> f.startsWith("bytes_sent"));
    FeatureContribution bytes = e.topFeatures().stream().filter(f -> f.feature().equals("bytes_sent")).findFirst()
        .orElseThrow();
    assertThat(bytes.value()).isEqualTo(2_000_000_000d);
    assertThat(bytes.outsideNormalRange()).isTrue();
    assertThat(e.topFeatures()).isSortedAccordingTo((a, b) -> Double.compare(b.contribution(), a.contribution()));
    assertThat(e.threat().level()).isEqualTo(ThreatAssessment.Level.CRITICAL);
    assertThat(e.threat().mitreTechniqueId()).isEqualTo("T1048");
    assertThat(e.summary()).startsWith("data_exfiltration, score").contains("bytes_sent=");
  }

  @Test
  void aNormalRowIsNotAnAlertAndHasNoThreat() {
    Explanation e = explainLast(normal);
    if (!e.isAnomaly()) {
      assertThat(e.anomalyType()).isEqualTo("normal");
      assertThat(e.threat().attackType()).isEqualTo("None");
    }
    double total = e.topFeatures().stream().mapToDouble(FeatureContribution::contribution).sum();
    assertThat(total).isBetween(0.0, 1.0 + 1e-9);
  }

  @Test
  void everyTypeHasAnAssessmentAndFarAboveTheThresholdRaisesTheLevel() {
    for (AnomalyType t : AnomalyType.values()) {
      ThreatAssessment near = ThreatCatalog.assess(t.label(), 0.55, 0.5);
      ThreatAssessment far = ThreatCatalog.assess(t.label(), 0.75, 0.5);
      assertThat(near.mitreTechniqueId()).matches("T\\d{4}(\\.\\d{3})?");
      assertThat(far.level().ordinal()).isEqualTo(Math.min(near.level().ordinal() + 1,
          ThreatAssessment.Level.CRITICAL.ordinal()));
    }
    assertThat(ThreatCatalog.assess("port_scan", 0.6, 0.5).mitreTechniqueId()).isEqualTo("T1046");
    assertThat(ThreatCatalog.assess("no-such-type", 0.6, 0.5).attackType()).isEqualTo("Behavioural anomaly");
  }

  @Test
  void theSummaryLineHasFixedDigitsWhateverTheDefaultLocale() {
    java.util.Locale before = java.util.Locale.getDefault();
    java.util.Locale.setDefault(java.util.Locale.GERMANY); // a comma locale must not leak in
    try {
      Explanation e = new Explanation(0.71234, 0.52, "port_scan", List.of(
          new FeatureContribution("win_distinct_dst_ports", 87, 1, 11, 0.6),
          new FeatureContribution("bytes_sent", 2.0e9, 57.0, 1_630_000.0, 0.3),
          new FeatureContribution("ratio", -0.00012345, -1.5, Double.NaN, 0.1)),
          ThreatCatalog.assess("port_scan", 0.71234, 0.52));
      assertThat(e.summary()).isEqualTo("port_scan, score 0.712 ≥ 0.520: win_distinct_dst_ports=87.00 (normal 1.000..11.00), "
          + "bytes_sent=2.000e+09 (normal 57.00..1.630e+06), ratio=-0.0001235 (normal -1.500..NaN)");
    } finally {
      java.util.Locale.setDefault(before);
    }
  }

  @Test
  void aBatchsFlaggedRowsAreExplainedExactlyAsRowByRow() {
    TrafficSimulator attacks = TrafficSimulator.builder().seed(5).anomalyRatio(0.3).build();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      rows.add(attacks.next().toRow());
    }
    DetectionPipeline.Session s = model.newSession();
    int w = model.features().width();
    double[] scores = new double[rows.size()];
    double[] raw = new double[rows.size() * w];
    s.score(rows, scores, raw);
    float[] scaled = s.lastFeatures().clone();
    Explanation[] all = model.explainer().explainFlagged(rows, scores, raw, scaled);
    int flagged = 0;
    for (int i = 0; i < rows.size(); i++) {
      if (model.threshold().isAnomaly(scores[i])) {
        flagged++;
        Explanation one = model.explainer().explain(rows.get(i), scores[i], raw, i * w, scaled, i * w);
        assertThat(all[i]).as("row %d", i).usingRecursiveComparison().isEqualTo(one);
      } else {
        assertThat(all[i]).as("row %d", i).isNull();
      }
    }
    assertThat(flagged).isGreaterThan(20);
  }
}
