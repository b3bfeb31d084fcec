package io.netanomaly.core.supervised;

import static org.assertj.core.api.Assertions.assertThat;

import io.netanomaly.core.Datasets;
import io.netanomaly.core.detect.Matrix;
import io.netanomaly.core.detect.Threshold;
import io.netanomaly.core.detect.iforest.IsolationForest;
import io.netanomaly.core.eval.HoldoutSplit;
import io.netanomaly.core.features.FeaturePipeline;
import io.netanomaly.core.io.DataFormat;
import io.netanomaly.core.io.ReadOptions;
import io.netanomaly.core.io.Readers;
import io.netanomaly.core.io.RowSource;
import io.netanomaly.core.schema.Row;
import io.netanomaly.core.schema.Schema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Supervised and hybrid models on NSL-KDD ({@code KDDTrain+_20Percent.txt}, 70/30
 * {@link HoldoutSplit} at seed 0, features from a {@link FeaturePipeline} with one-hot encoding of
 * up to 32 categories, default {@link ClassifierOptions}). The floors sit slightly below the
 * figures measured when this test was written (in comments); the bars are reported, not
 * asserted.
 */
@Tag("dataset")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NslKddSupervisedTest {
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

  private double binaryAccuracy(String kind) {
    FeaturePipeline fp = FeaturePipeline.fit(schema, train, FeaturePipeline.FitOptions.defaults().withOneHot(32));
    List<String> classes = Target.BINARY.classesOf(train);
    Classifier c = Classifiers.train(kind, fp.transform(train), Target.BINARY.labels(train, classes), classes,
        ClassifierOptions.defaults());
    return SupervisedFixtures.accuracy(c.predict(fp.transform(test)), Target.BINARY.labels(test, classes));
  }

  @Test
  void binaryAccuracyOnTheHeldOutRows() {
    // measured 0.9980 (rf), 0.9976 (gbm), 0.9779 (logreg); scikit-learn's random forest: 0.9974 on its own split
    assertThat(binaryAccuracy("rf")).isGreaterThan(0.997);
    assertThat(binaryAccuracy("gbm")).isGreaterThan(0.997);
    assertThat(binaryAccuracy("logreg")).isGreaterThan(0.97);
  }

  /** Recall on the removed category and accuracy on the others, supervised-only and hybrid. */
  private record Unseen(double supervisedRecall, double hybridRecall, double supervisedAccuracy,
      double hybridAccuracy) {}

  /**
   * Trains a category random forest and the hybrid (plus an isolation forest on the normal
   * training rows, contamination 0.02) without any row of {@code removed}. Accuracy on the other
   * categories counts a row right when the supervised class is its category; for the hybrid a row
   * only the detector flags is right when it is an attack.
   */
  private Unseen unseen(String removed) {
    List<Row> tr = new ArrayList<>();
    List<Row> normals = new ArrayList<>();
    for (Row r : train) {
      if (!removed.equals(Target.CATEGORY.classOf(r))) {
        tr.add(r);
        if (r.label() == 0) {
          normals.add(r);
        }
      }
    }
    FeaturePipeline fp = FeaturePipeline.fit(schema, tr, FeaturePipeline.FitOptions.defaults().withOneHot(32));
    List<String> classes = Target.CATEGORY.classesOf(tr);
    assertThat(classes).doesNotContain(removed).contains("normal");
    Classifier c = Classifiers.train("rf", fp.transform(tr), Target.CATEGORY.labels(tr, classes), classes,
        ClassifierOptions.defaults());
    Matrix xn = fp.transform(normals);
    IsolationForest forest = IsolationForest.builder().seed(0).fit(xn);
    HybridVerdict h = HybridVerdict.of(c, forest, Threshold.parse("0.02").fit(forest.score(xn)));
    HybridVerdict.Verdicts v = h.judge(fp.transform(test));
    int removedRows = 0;
    int supHit = 0;
    int hybHit = 0;
    int others = 0;
    int supRight = 0;
    int hybRight = 0;
    for (int i = 0; i < test.size(); i++) {
      String truth = Target.CATEGORY.classOf(test.get(i));
      HybridVerdict.Source s = v.source(i);
      boolean supervised = s == HybridVerdict.Source.SUPERVISED || s == HybridVerdict.Source.BOTH;
      if (truth.equals(removed)) {
        removedRows++;
        supHit += supervised ? 1 : 0;
        hybHit += s.isAlert() ? 1 : 0;
      } else {
        others++;
        boolean right = v.predictedName(i).equals(truth);
        supRight += right ? 1 : 0;
        hybRight += s == HybridVerdict.Source.UNSUPERVISED ? (truth.equals("normal") ? 0 : 1) : (right ? 1 : 0);
      }
    }
    assertThat(removedRows).isPositive();
    return new Unseen(supHit / (double) removedRows, hybHit / (double) removedRows, supRight / (double) others,
        hybRight / (double) others);
  }

  @Test
  void theHybridCatchesProbesItWasNeverShown() {
    Unseen u = unseen("probe");
    // measured: probe recall supervised 0.2815, hybrid 0.9024; accuracy on the others 0.9985 / 0.9877
    assertThat(u.supervisedRecall()).isLessThan(0.5);
    assertThat(u.hybridRecall()).isGreaterThan(0.88);
    assertThat(u.supervisedAccuracy()).isGreaterThan(0.997);
    assertThat(u.hybridAccuracy()).isGreaterThan(0.98);
  }

  @Test
  void withoutR2lTheHybridStillFindsMoreThanTheSupervisedModel() {
    Unseen u = unseen("r2l");
    // measured: r2l recall supervised 0.0000, hybrid 0.0794 (r2l looks like normal traffic to the
    // isolation forest); accuracy on the others 0.9980 / 0.9871
    assertThat(u.hybridRecall()).isGreaterThan(u.supervisedRecall()).isGreaterThan(0.05);
    assertThat(u.supervisedAccuracy()).isGreaterThan(0.996);
    assertThat(u.hybridAccuracy()).isGreaterThan(0.98);
  }
}
