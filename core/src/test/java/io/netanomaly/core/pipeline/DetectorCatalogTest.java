package io.netanomaly.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netanomaly.core.detect.ensemble.Ensemble;
import io.netanomaly.core.eval.Ranking;
import io.netanomaly.core.schema.FlowSchema;
import io.netanomaly.core.schema.Row;
import io.netanomaly.core.synth.TrafficSimulator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Models of other detector families and ensembles train, save, load and score like the forest. */
class DetectorCatalogTest {
  @TempDir
  Path dir;

  private static List<Row> flows(long seed, int n) {
    TrafficSimulator sim = TrafficSimulator.builder().seed(seed).build();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(sim.next().toRow());
    }
    return rows;
  }

  @Test
  void anEnsembleOfEveryFamilySurvivesTheModelFileAndRanksAnomaliesHigh() throws Exception {
    List<Row> train = flows(1, 3_000);
    List<Row> test = flows(2, 2_000);
    DetectionPipeline m = DetectionPipeline.builder().seed(4).threads(2).models(DetectorCatalog.KINDS)
        .ensemble(Ensemble.Combination.MAX).fit(FlowSchema.SCHEMA, train);
    assertThat(m.detector().kind()).isEqualTo(Ensemble.KIND);
    assertThat(((Ensemble) m.detector()).members()).hasSize(DetectorCatalog.KINDS.size());
    Path file = dir.resolve("ensemble.nam");
    m.save(file);
    DetectionPipeline back = DetectionPipeline.load(file);
    double[] a = m.score(test);
    double[] b = back.score(test);
    assertThat(b).containsExactly(a);
    int[] labels = test.stream().mapToInt(Row::label).toArray();
    assertThat(Ranking.rocAuc(a, labels)).isGreaterThan(0.85);
  }

  @Test
  void eachFamilyAloneMakesAWorkingModel() throws Exception {
    List<Row> train = flows(3, 2_000);
    for (String kind : DetectorCatalog.KINDS) {
      DetectionPipeline m = DetectionPipeline.builder().seed(1).threads(1).models(List.of(kind))
          .fit(FlowSchema.SCHEMA, train);
      assertThat(m.detector().kind()).isEqualTo(kind.equals(DetectorCatalog.EIF) ? "iforest" : kind);
      Path file = dir.resolve(kind + ".nam");
      m.save(file);
      assertThat(DetectionPipeline.load(file).score(train.subList(0, 100))).containsExactly(m.score(train.subList(0, 100)));
    }
  }

  @Test
  void supervisedAndHybridModelsTrainOnLabelsAndSurviveTheModelFile() throws Exception {
    List<Row> train = flows(5, 4_000);
    List<Row> test = flows(6, 2_000);
    int[] labels = test.stream().mapToInt(Row::label).toArray();
    for (boolean hybrid : new boolean[] {false, true}) {
      DetectionPipeline m = DetectionPipeline.builder().seed(2).threads(2)
          .featureOptions(io.netanomaly.core.features.FeaturePipeline.FitOptions.defaults().withOneHot(32))
          .supervised("rf", io.netanomaly.core.supervised.Target.BINARY, hybrid).fit(FlowSchema.SCHEMA, train);
      assertThat(m.detector().kind()).isEqualTo(hybrid ? "hybrid" : "supervised");
      assertThat(m.threshold().value()).isEqualTo(0.5);
      Path file = dir.resolve("supervised-" + hybrid + ".nam");
      m.save(file);
      double[] a = m.score(test);
      assertThat(DetectionPipeline.load(file).score(test)).containsExactly(a);
      assertThat(Ranking.rocAuc(a, labels)).isGreaterThan(0.9);
    }
    assertThatThrownBy(() -> DetectionPipeline.builder().normalOnly(true)
        .supervised("rf", io.netanomaly.core.supervised.Target.BINARY, false).fit(FlowSchema.SCHEMA, train))
        .hasMessageContaining("attacks too");
  }

  @Test
  void namesAreCheckedWithAClearMessage() {
    assertThat(DetectorCatalog.parse("iforest, LOF")).containsExactly("iforest", "lof");
    assertThatThrownBy(() -> DetectorCatalog.parse("iforest,svm9")).hasMessageContaining("svm9")
        .hasMessageContaining("autoencoder");
    assertThatThrownBy(() -> DetectorCatalog.parse("knn,knn")).hasMessageContaining("twice");
  }
}
