package io.netanomaly.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netanomaly.core.detect.Detector;
import io.netanomaly.core.detect.Matrix;
import io.netanomaly.core.detect.Threshold;
import io.netanomaly.core.features.FeaturePipeline;
import io.netanomaly.core.features.FeatureStream;
import io.netanomaly.core.model.ModelArchive;
import io.netanomaly.core.model.ModelFormatException;
import io.netanomaly.core.schema.Row;
import io.netanomaly.core.schema.Schema;
import io.netanomaly.core.schema.SchemaJson;
import io.netanomaly.core.supervised.FiredBy;
import io.netanomaly.core.supervised.SupervisedDetector;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A trained model and the one code path that scores with it: rows of the model's schema go through
 * the fitted {@link FeaturePipeline}, the {@link Detector} scores them in batches and the
 * {@link Threshold} decides. {@code detect}, {@code watch}, {@code serve} and Kafka all score
 * through this class.
 *
 * <p>Immutable and thread-safe; per-stream state (windows, buffers) lives in a {@link Session}.
 * Build one with {@link #builder()}, or {@link #load(Path)} a model file.
 */
public final class DetectionPipeline {
  /** Name under which the detector's parameters and arrays are stored. */
  private static final String DETECTOR_NAME = "forest";

  /** Version of this library written into model files. */
  public static final String VERSION = "0.1.0";

  private final Schema schema;
  private final FeaturePipeline features;
  private final Detector detector;
  private final Threshold threshold;
  private final TrainingInfo training;
  private final double[] trainingScoreQuantiles;

  DetectionPipeline(Schema schema, FeaturePipeline features, Detector detector, Threshold threshold,
      TrainingInfo training, double[] trainingScoreQuantiles) {
    this.schema = Objects.requireNonNull(schema);
    this.features = Objects.requireNonNull(features);
    this.detector = Objects.requireNonNull(detector);
    this.threshold = Objects.requireNonNull(threshold);
    this.training = Objects.requireNonNull(training);
    this.trainingScoreQuantiles = trainingScoreQuantiles.clone();
  }

  public static DetectionPipelineBuilder builder() {
    return new DetectionPipelineBuilder();
  }

  public Schema schema() {
    return schema;
  }

  public FeaturePipeline features() {
    return features;
  }

  public Detector detector() {
    return detector;
  }

  public Threshold threshold() {
    return threshold;
  }

  public TrainingInfo training() {
    return training;
  }

  /** This model with its training info replaced (to record the data source). */
  public DetectionPipeline withTraining(TrainingInfo info) {
    return new DetectionPipeline(schema, features, detector, threshold, info, trainingScoreQuantiles);
  }

  /** This model with another threshold. */
  public DetectionPipeline withThreshold(Threshold t) {
    return new DetectionPipeline(schema, features, detector, t, training, trainingScoreQuantiles);
  }

  /**
   * The training scores at quantiles 0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1 (a copy); shows
   * how far above normal a score is.
   */
  public double[] trainingScoreQuantiles() {
    return trainingScoreQuantiles.clone();
  }

  /** Quantile levels of {@link #trainingScoreQuantiles()}. */
  public static final double[] QUANTILE_LEVELS = {0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1};

  /** The explainer of this model (attribution, anomaly type, threat assessment). */
  public io.netanomaly.core.explain.Explainer explainer() {
    return new io.netanomaly.core.explain.Explainer(features, detector, threshold);
  }

  /**
   * Scores rows already transformed by {@link Session#transform}: the detector's scores into
   * {@code out[0 .. n)} and, per row, which part fired, the classifier's class (null for a plain
   * detector) and the alert source text, as {@link Session#lastFiredBy}, {@link
   * Session#lastPredictedClass} and {@link Session#lastSource} give them. Thread-safe; allocates
   * the supervised verdicts of the batch.
   *
   * @param scaled the scaled features, row-major, {@code features().width()} per row
   */
  public void scoreTransformed(float[] scaled, int n, double[] out, FiredBy[] firedBy, String[] predicted,
      String[] source) {
    SupervisedDetector supervised = detector instanceof SupervisedDetector sd ? sd : null;
    SupervisedDetector.Verdicts v = supervised == null ? null : supervised.newVerdicts();
    scoreMatrix(new Matrix(scaled, n, features.width()), out, v, firedBy);
    for (int i = 0; i < n; i++) {
      if (supervised != null) {
        firedBy[i] = v.firedBy(i);
        predicted[i] = v.predictedClass(i);
        source[i] = supervised.sourceName(firedBy[i]);
      } else {
        predicted[i] = null;
        source[i] = detector.kind();
      }
    }
  }

  /** Scores a feature matrix: through the supervised verdicts when there are, else the detector and threshold. */
  private void scoreMatrix(Matrix x, double[] out, SupervisedDetector.Verdicts verdicts, FiredBy[] plainVerdicts) {
    if (verdicts != null) {
      ((SupervisedDetector) detector).score(x, out, threshold.value(), verdicts);
      return;
    }
    detector.score(x, out);
    for (int i = 0; i < x.rows(); i++) {
      plainVerdicts[i] = threshold.isAnomaly(out[i]) ? FiredBy.DETECTOR : FiredBy.NONE;
    }
  }

  /** A new scoring session for one stream of rows (in event order). */
  public Session newSession() {
    return new Session(this, 1024);
  }

  /**
   * Scores rows in order within one session and a fresh window state. Convenience for small
   * in-memory batches; streams should keep a {@link Session}.
   */
  public double[] score(List<Row> rows) {
    return newSession().score(rows);
  }

  /**
   * Per-stream scoring state: the feature windows, a reusable feature buffer and the per-row
   * verdicts of the last batch ({@link #lastFiredBy}, {@link #lastPredictedClass},
   * {@link #lastSource}). Not thread-safe; use one per stream or per thread. Scoring allocates
   * nothing once the buffers have grown to the batch size.
   */
  public static final class Session {
    private final DetectionPipeline model;
    private final FeatureStream stream;
    private final int width;
    /** The model's detector when it is supervised or hybrid, else null. */
    private final SupervisedDetector supervised;
    private final SupervisedDetector.Verdicts verdicts;
    /** Per-row verdicts of a plain detector model. */
    private FiredBy[] plainVerdicts = new FiredBy[0];
    private float[] buffer;
    private int lastRows;

    Session(DetectionPipeline model, int initialRows) {
      this.model = model;
      this.stream = model.features.newStream();
      this.width = model.features.width();
      this.supervised = model.detector instanceof SupervisedDetector s ? s : null;
      this.verdicts = supervised == null ? null : supervised.newVerdicts();
      this.buffer = new float[initialRows * width];
    }

    public DetectionPipeline model() {
      return model;
    }

    /** Scores {@code rows} (in order, updating the windows) into {@code out[0 .. rows.size())}. */
    public void score(List<Row> rows, double[] out) {
      int n = rows.size();
      if (n == 0) {
        return;
      }
      ensureBuffer(n);
      for (int i = 0; i < n; i++) {
        stream.transform(rows.get(i), buffer, i * width);
      }
      scoreBuffer(n, out);
    }

    /**
     * Like {@link #score(List, double[])} and also keeps each row's raw feature values (before
     * log and scaling), row-major, in {@code rawOut} (at least {@code rows.size() * width}), for
     * explanations and anomaly typing.
     */
    public void score(List<Row> rows, double[] out, double[] rawOut) {
      int n = rows.size();
      if (n == 0) {
        return;
      }
      ensureBuffer(n);
      transform(rows, buffer, rawOut);
      scoreBuffer(n, out);
    }

    /**
     * The first half of {@link #score(List, double[], double[])}: updates the windows with
     * {@code rows} in order and writes their scaled features to {@code scaledOut} and raw ones to
     * {@code rawOut} (row-major, {@code features().width()} per row), for
     * {@link DetectionPipeline#scoreTransformed}. Only this half needs the session to itself: a
     * server holds its lock for this and scores outside it.
     */
    public void transform(List<Row> rows, float[] scaledOut, double[] rawOut) {
      for (int i = 0; i < rows.size(); i++) {
        stream.transform(rows.get(i), scaledOut, i * width, rawOut, i * width);
      }
    }

    private void ensureBuffer(int n) {
      if (buffer.length < n * width) {
        buffer = new float[n * width];
      }
    }

    private void scoreBuffer(int n, double[] out) {
      if (supervised == null && plainVerdicts.length < n) {
        plainVerdicts = new FiredBy[n];
      }
      model.scoreMatrix(new Matrix(buffer, n, width), out, verdicts, plainVerdicts);
      lastRows = n;
    }

    public double[] score(List<Row> rows) {
      double[] out = new double[rows.size()];
      score(rows, out);
      return out;
    }

    /**
     * The scaled features of the last scored batch, row-major ({@code features().width()} per
     * row); valid until the next call. For {@link io.netanomaly.core.explain.Explainer}.
     */
    public float[] lastFeatures() {
      return buffer;
    }

    /**
     * Which part of the model fired on row {@code i} of the last batch: for a supervised or hybrid
     * model the classifier, the detector or both (see {@link SupervisedDetector}); for a plain
     * detector model {@link FiredBy#DETECTOR}. {@link FiredBy#NONE} when the row is normal.
     *
     * @throws IndexOutOfBoundsException if {@code i} is not a row of the last batch
     */
    public FiredBy lastFiredBy(int i) {
      if (supervised != null) {
        return verdicts.firedBy(i);
      }
      java.util.Objects.checkIndex(i, lastRows);
      return plainVerdicts[i];
    }

    /**
     * The class a supervised or hybrid model's classifier predicted for row {@code i} of the last
     * batch (its most probable attack class when it fired, else "normal"); null for a plain
     * detector model.
     */
    public String lastPredictedClass(int i) {
      return supervised == null ? null : verdicts.predictedClass(i);
    }

    /**
     * What raised row {@code i} of the last batch, as an alert's detector field: the detector kind
     * for a plain model ("iforest", "ensemble"), "supervised", or "hybrid:supervised",
     * "hybrid:&lt;detector kind&gt;", "hybrid:both". A constant string; no allocation.
     */
    public String lastSource(int i) {
      return supervised == null ? model.detector.kind() : supervised.sourceName(lastFiredBy(i));
    }

    /** Sources the windows currently track. */
    public int trackedSources() {
      return stream.trackedSources();
    }
  }

  // ---- model file ------------------------------------------------------------------------------

  /** Writes the model file (see DESIGN.md "Model file"). */
  public void save(Path file) throws IOException {
    toArchive().write(file);
  }

  /** The model as an archive (manifest + arrays). */
  public ModelArchive toArchive() {
    ModelArchive.Builder b = ModelArchive.builder();
    ObjectNode m = b.manifest();
    m.put("netanomaly_version", VERSION);
    m.set("schema", SchemaJson.toJson(schema));
    features.writeTo(b, m.putObject("pipeline"), "pipeline.");
    ObjectNode det = m.putObject("detector");
    det.put("kind", detector.kind());
    det.put("name", DETECTOR_NAME);
    detector.writeTo(b, DETECTOR_NAME);
    threshold.toJson(m.putObject("threshold"));
    m.set("training", training.toJson());
    ObjectNode q = m.putObject("training_scores");
    var levels = q.putArray("levels");
    var values = q.putArray("values");
    for (int i = 0; i < QUANTILE_LEVELS.length; i++) {
      levels.add(QUANTILE_LEVELS[i]);
      values.add(trainingScoreQuantiles[i]);
    }
    return b.build();
  }

  /**
   * Loads and verifies a model file.
   *
   * @throws ModelFormatException with a one-line reason when the file is not a valid model
   */
  public static DetectionPipeline load(Path file) throws IOException {
    return fromArchive(ModelArchive.read(file));
  }

  /** Rebuilds a model from an archive, validating every part. */
  public static DetectionPipeline fromArchive(ModelArchive a) throws ModelFormatException {
    JsonNode m = a.manifest();
    Schema schema;
    try {
      schema = SchemaJson.fromJson(m.get("schema"));
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException("model " + e.getMessage(), e);
    }
    FeaturePipeline features = FeaturePipeline.readFrom(schema, a, m.get("pipeline"), "pipeline.");
    JsonNode det = m.get("detector");
    if (det == null || !det.hasNonNull("kind")) {
      throw new ModelFormatException("model lacks 'detector.kind'");
    }
    Detector detector = readDetector(det.get("kind").asText(), a, DETECTOR_NAME);
    if (detector.features() != features.width()) {
      throw new ModelFormatException("detector expects " + detector.features() + " features, pipeline gives "
          + features.width());
    }
    Threshold threshold = Threshold.fromJson(m.get("threshold"));
    TrainingInfo training = TrainingInfo.fromJson(m.path("training"));
    double[] q = new double[QUANTILE_LEVELS.length];
    JsonNode values = m.path("training_scores").path("values");
    if (!values.isArray() || values.size() != q.length) {
      throw new ModelFormatException("model lacks 'training_scores.values' (" + q.length + " numbers)");
    }
    for (int i = 0; i < q.length; i++) {
      q[i] = values.get(i).asDouble();
    }
    return new DetectionPipeline(schema, features, detector, threshold, training, q);
  }

  private static Detector readDetector(String kind, ModelArchive a, String prefix) throws ModelFormatException {
    return DetectorCatalog.read(kind, a, prefix);
  }

  /** Creation time stamp for new models. */
  static String now() {
    return Instant.now().toString();
  }
}
