package io.netanomaly.core.pipeline;

import io.netanomaly.core.detect.Detector;
import io.netanomaly.core.detect.Matrix;
import io.netanomaly.core.detect.ensemble.Ensemble;
import io.netanomaly.core.detect.Threshold;
import io.netanomaly.core.detect.iforest.IsolationForest;
import io.netanomaly.core.features.FeaturePipeline;
import io.netanomaly.core.schema.Row;
import io.netanomaly.core.schema.Schema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Trains a {@link DetectionPipeline}: fits the feature pipeline on the training rows, the chosen
 * detectors on their features (an {@link IsolationForest} by default; several make an
 * {@link Ensemble}), then the threshold on the detector's training scores.
 * Not thread-safe; each {@link #fit} call is independent.
 */
public final class DetectionPipelineBuilder {
  private int trees = 100;
  private int sampleSize = 256;
  private double maxFeatures = 1.0;
  private long seed = 0;
  private int threads = Runtime.getRuntime().availableProcessors();
  private Threshold.Spec contamination = Threshold.parse("0.05");
  private FeaturePipeline.FitOptions featureOptions = FeaturePipeline.FitOptions.defaults();
  private boolean normalOnly;
  private Consumer<String> progress = s -> { };
  private List<String> models = List.of(IsolationForest.KIND);
  private Ensemble.Combination combination = Ensemble.Combination.MEAN;

  DetectionPipelineBuilder() {}

  /** Trees in the forest (default 100). */
  public DetectionPipelineBuilder trees(int n) {
    this.trees = n;
    return this;
  }

  /** Rows sampled per tree (default 256). */
  public DetectionPipelineBuilder sampleSize(int n) {
    this.sampleSize = n;
    return this;
  }

  /** Share of features each tree may split on, in (0, 1] (default 1). */
  public DetectionPipelineBuilder maxFeatures(double share) {
    this.maxFeatures = share;
    return this;
  }

  public DetectionPipelineBuilder seed(long s) {
    this.seed = s;
    return this;
  }

  /** Threads for training and scoring (default: available processors). */
  public DetectionPipelineBuilder threads(int n) {
    this.threads = n;
    return this;
  }

  /** Threshold policy (default contamination 0.05). */
  public DetectionPipelineBuilder contamination(Threshold.Spec spec) {
    this.contamination = spec;
    return this;
  }

  public DetectionPipelineBuilder featureOptions(FeaturePipeline.FitOptions o) {
    this.featureOptions = o;
    return this;
  }

  /** Train only on rows labelled normal (label 0); unlabelled rows are refused then. */
  public DetectionPipelineBuilder normalOnly(boolean b) {
    this.normalOnly = b;
    return this;
  }

  /**
   * The detectors to train (names from {@link DetectorCatalog#KINDS}; default iforest). With more
   * than one, the model is an {@link Ensemble} of them.
   */
  public DetectionPipelineBuilder models(List<String> kinds) {
    if (kinds.isEmpty()) {
      throw new IllegalArgumentException("no detector named");
    }
    this.models = List.copyOf(kinds);
    return this;
  }

  /** How an ensemble combines its members' normalised scores (default mean). */
  public DetectionPipelineBuilder ensemble(Ensemble.Combination c) {
    this.combination = c;
    return this;
  }

  /** Receives a short line for each training stage. */
  public DetectionPipelineBuilder progress(Consumer<String> sink) {
    this.progress = sink;
    return this;
  }

  /**
   * Trains on {@code rows} (in event order).
   *
   * @throws IllegalArgumentException if no rows are left to train on
   */
  public DetectionPipeline fit(Schema schema, List<Row> rows) {
    long start = System.nanoTime();
    List<Row> train = rows;
    if (normalOnly) {
      train = new ArrayList<>();
      for (Row r : rows) {
        if (!r.isLabelled()) {
          throw new IllegalArgumentException("--normal-only needs labelled rows; row at line " + r.line()
              + " has no label");
        }
        if (r.label() == 0) {
          train.add(r);
        }
      }
    }
    if (train.isEmpty()) {
      throw new IllegalArgumentException(normalOnly ? "no normal rows to train on" : "no rows to train on");
    }
    progress.accept("fitting features on " + train.size() + " rows");
    FeaturePipeline features = FeaturePipeline.fit(schema, train, featureOptions);
    Matrix x = features.transform(train);
    DetectorCatalog.Settings settings = new DetectorCatalog.Settings(trees, sampleSize, maxFeatures, seed, threads);
    List<Detector> members = new ArrayList<>();
    for (String kind : models) {
      progress.accept("training " + kind + " on " + x.rows() + " rows x " + features.width() + " features");
      members.add(DetectorCatalog.train(kind, x, settings));
    }
    Detector detector = members.size() == 1 ? members.get(0)
        : Ensemble.fit(members, x, combination,
            Double.isNaN(contamination.contamination()) ? 0.05 : contamination.contamination());
    double[] scores = new double[x.rows()];
    detector.score(x, scores);
    Threshold threshold = contamination.fit(scores);
    double[] sorted = scores.clone();
    Arrays.sort(sorted);
    double[] q = new double[DetectionPipeline.QUANTILE_LEVELS.length];
    for (int i = 0; i < q.length; i++) {
      double pos = DetectionPipeline.QUANTILE_LEVELS[i] * (sorted.length - 1);
      int lo = (int) Math.floor(pos);
      int hi = Math.min(lo + 1, sorted.length - 1);
      q[i] = sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    TrainingInfo info = new TrainingInfo(train.size(), seconds, normalOnly, seed, null, null, DetectionPipeline.now());
    return new DetectionPipeline(schema, features, detector, threshold, info, q);
  }
}
