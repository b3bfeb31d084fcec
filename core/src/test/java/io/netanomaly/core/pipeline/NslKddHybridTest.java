package io.netanomaly.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.netanomaly.core.Datasets;
import io.netanomaly.core.detect.Threshold;
import io.netanomaly.core.eval.HoldoutSplit;
import io.netanomaly.core.features.FeaturePipeline;
import io.netanomaly.core.io.DataFormat;
import io.netanomaly.core.io.ReadOptions;
import io.netanomaly.core.io.Readers;
import io.netanomaly.core.io.RowSource;
import io.netanomaly.core.schema.Row;
import io.netanomaly.core.schema.Schema;
import io.netanomaly.core.supervised.FiredBy;
import io.netanomaly.core.supervised.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The hybrid on NSL-KDD attack categories it was never shown, through the pipeline as
 * {@code train --supervised rf --target category --exclude-type T --hybrid --contamination 0.02}
 * builds it ({@code KDDTrain+_20Percent.txt}, 70/30 {@link HoldoutSplit} at seed 0). One model per
 * left-out category: its classifier alone is the supervised-only model (same seed, same rows), so
 * {@link FiredBy#classifierFired()} is the supervised-only verdict. Floors sit slightly below the
 * figures measured when this was written (in comments).
 */
@Tag("dataset")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NslKddHybridTest {
  private Schema schema;
  private final List<Row> train = new ArrayList<>();
  private final List<Row> test = new ArrayList<>();

  @BeforeAll
  void read() throws Exception {
    Path file = Datasets.requireRoot().resolve("nsl-kdd/KDDTrain+_20Percent.txt");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(file), file + " missing");
    HoldoutSplit split = new HoldoutSplit(0.7, 0);
    try (RowSource src = Readers.open(file, ReadOptions.builder().format(DataFormat.NSL_KDD).build())) {
      schema = src.schema();
      long i = 0;
      while (src.hasNext()) {
        Row r = src.next();
        (split.isTraining(i++) ? train : test).add(r);
      }
    }
  }

  /** Recall on the left-out category and binary accuracy on the other rows, supervised-only and hybrid. */
  private record Unseen(double supervisedRecall, double hybridRecall, double supervisedAccuracy,
      double hybridAccuracy) {}

  private Unseen unseen(String removed) {
    List<Row> tr = train.stream().filter(r -> !removed.equals(Target.CATEGORY.classOf(r))).toList();
    DetectionPipeline m = DetectionPipeline.builder().seed(0).threads(2).contamination(Threshold.parse("0.02"))
        .featureOptions(FeaturePipeline.FitOptions.defaults().withOneHot(32))
        .supervised("rf", Target.CATEGORY, true).fit(schema, tr);
    DetectionPipeline.Session session = m.newSession();
    session.score(test, new double[test.size()]);
    int removedRows = 0;
    int supHit = 0;
    int hybHit = 0;
    int others = 0;
    int supRight = 0;
    int hybRight = 0;
    for (int i = 0; i < test.size(); i++) {
      FiredBy f = session.lastFiredBy(i);
      boolean attack = test.get(i).label() == 1;
      if (removed.equals(Target.CATEGORY.classOf(test.get(i)))) {
        removedRows++;
        supHit += f.classifierFired() ? 1 : 0;
        hybHit += f.isAlert() ? 1 : 0;
      } else {
        others++;
        supRight += f.classifierFired() == attack ? 1 : 0;
        hybRight += f.isAlert() == attack ? 1 : 0;
      }
    }
    assertThat(removedRows).isPositive();
    return new Unseen(supHit / (double) removedRows, hybHit / (double) removedRows, supRight / (double) others,
        hybRight / (double) others);
  }

  @Test
  void theHybridCatchesProbesItWasNeverShown() {
    Unseen u = unseen("probe");
    // measured: probe recall supervised 0.290, hybrid 0.898; accuracy on the rest 0.9987 / 0.9941
    // (the bar wants the hybrid's ≥ the supervised's there: missed, see README)
    assertThat(u.supervisedRecall()).isLessThan(0.4);
    assertThat(u.hybridRecall()).isGreaterThan(0.88);
    assertThat(u.supervisedAccuracy()).isGreaterThan(0.998);
    assertThat(u.hybridAccuracy()).isGreaterThan(0.99);
  }

  @Test
  void withoutR2lTheHybridStillFindsMoreThanTheSupervisedModel() {
    Unseen u = unseen("r2l");
    // measured: r2l recall supervised 0.000, hybrid 0.079 (r2l looks like normal traffic to the forest);
    // accuracy on the rest 0.9983 / 0.9937
    assertThat(u.hybridRecall()).isGreaterThan(u.supervisedRecall()).isGreaterThan(0.05);
    assertThat(u.supervisedAccuracy()).isGreaterThan(0.997);
    assertThat(u.hybridAccuracy()).isGreaterThan(0.99);
  }
}
