package io.netanomaly.core.pipeline;

import io.netanomaly.core.detect.Detector;
import io.netanomaly.core.detect.Matrix;
import io.netanomaly.core.detect.ensemble.Ensemble;
import io.netanomaly.core.eval.Quantile;
import io.netanomaly.core.supervised.Classifier;
import io.netanomaly.core.supervised.ClassifierOptions;
import io.netanomaly.core.supervised.Classifiers;
import io.netanomaly.core.supervised.SupervisedDetector;
import io.netanomaly.core.supervised.Target;
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
  private String supervisedKind;
  private Target target = Target.BINARY;
  private boolean hybrid;
  private double gate = SupervisedDetector.DEFAULT_GATE;

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

  /**
   * Trains a supervised classifier ({@code rf}, {@code gbm}, {@code logreg}) on the labels instead
   * of an unsupervised detector; with {@code hybrid}, also the chosen unsupervised detector on the
   * normal rows, so attacks absent from training still raise alerts (see {@link SupervisedDetector}).
   * The threshold is then fixed at {@link SupervisedDetector#THRESHOLD}; the contamination sets the
   * hybrid detector's own threshold on the normal rows.
   */
  public DetectionPipelineBuilder supervised(String kind, Target t, boolean withDetector) {
    if (!Classifiers.KINDS.contains(kind)) {
      throw new IllegalArgumentException("unknown classifier '" + kind + "'; expected one of "
          + String.join(", ", Classifiers.KINDS));
    }
    this.supervisedKind = kind;
    this.target = t;
    this.hybrid = withDetector;
    return this;
  }

  /**
   * The hybrid's gate: its detector is heard only on rows the classifier calls normal with less
   * than this probability, in (0, 1] (default {@link SupervisedDetector#DEFAULT_GATE}). Lower
   * means fewer false alarms and fewer unseen attacks caught.
   */
  public DetectionPipelineBuilder gate(double g) {
    if (!(g > 0 && g <= 1)) {
      throw new IllegalArgumentException("the gate must be in (0, 1], got " + g);
    }
    this.gate = g;
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
    if (supervisedKind != null) {
      return fitSupervised(schema, train, features, x, settings, start);
    }
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
    double[] q = Quantile.of(sorted, DetectionPipeline.QUANTILE_LEVELS);
    double seconds = (System.nanoTime() - start) / 1e9;
    TrainingInfo info = new TrainingInfo(train.size(), seconds, normalOnly, seed, null, null, DetectionPipeline.now());
    return new DetectionPipeline(schema, features, detector, threshold, info, q);
  }

  private DetectionPipeline fitSupervised(Schema schema, List<Row> train, FeaturePipeline features, Matrix x,
      DetectorCatalog.Settings settings, long start) {
    if (normalOnly) {
      throw new IllegalArgumentException("--normal-only cannot train a supervised model: it needs the attacks too");
    }
    List<String> classes = target.classesOf(train);
    int[] y = target.labels(train, classes);
    progress.accept("training " + supervisedKind + " on " + x.rows() + " rows, classes " + classes);
    Classifier classifier = Classifiers.train(supervisedKind, x, y, classes,
        ClassifierOptions.defaults().withSeed(seed).withThreads(threads));
    Detector unsupervised = null;
    double unsupervisedThreshold = 0;
    if (hybrid) {
      int normal = classes.indexOf(Target.NORMAL);
      int width = x.cols();
      int count = 0;
      for (int label : y) {
        count += label == normal ? 1 : 0;
      }
      float[] data = new float[count * width];
      for (int r = 0, k = 0; r < y.length; r++) {
        if (y[r] == normal) {
          System.arraycopy(x.data(), r * width, data, k++ * width, width);
        }
      }
      Matrix normalRows = new Matrix(data, count, width);
      String kind = models.size() == 1 ? models.get(0) : IsolationForest.KIND;
      progress.accept("training " + kind + " on the " + count + " normal rows for the hybrid");
      unsupervised = DetectorCatalog.train(kind, normalRows, settings);
      unsupervisedThreshold = contamination.fit(unsupervised.score(normalRows)).value();
    }
    SupervisedDetector detector = new SupervisedDetector(classifier, unsupervised, unsupervisedThreshold, gate);
    double[] scores = detector.score(x);
    double[] sorted = scores.clone();
    Arrays.sort(sorted);
    double[] q = Quantile.of(sorted, DetectionPipeline.QUANTILE_LEVELS);
    double seconds = (System.nanoTime() - start) / 1e9;
    TrainingInfo info = new TrainingInfo(train.size(), seconds, false, seed, null, null, DetectionPipeline.now());
    return new DetectionPipeline(schema, features, detector, Threshold.fixed(SupervisedDetector.THRESHOLD), info, q);
  }
}
