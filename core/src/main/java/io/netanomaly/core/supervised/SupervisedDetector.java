package io.netanomaly.core.supervised;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netanomaly.core.detect.Detector;
import io.netanomaly.core.detect.Matrix;
import io.netanomaly.core.model.ModelArchive;
import io.netanomaly.core.model.ModelFormatException;
import java.util.Arrays;
import java.util.Objects;

/**
 * A classifier, optionally with an unsupervised detector trained on normal rows (the hybrid), seen
 * as a {@link Detector}, so supervised models score through the same pipeline, file and commands
 * as the others. The score is the larger of two parts:
 *
 * <ul>
 *   <li>the classifier's: the probability that the row is not normal, 1 − P(normal);
 *   <li>the detector's (hybrid only): its score rescaled so that its own threshold lands on
 *       {@link #THRESHOLD}, capped at 1 — and 0 when the classifier calls the row normal with
 *       probability {@link #gate()} or more, so rows the classifier is sure of stay quiet.
 * </ul>
 *
 * With the model threshold at {@link #THRESHOLD} a row is an alert when the classifier finds it more
 * likely not normal than normal, or when the detector fires on a row the classifier is not sure of;
 * attacks never seen in training still raise alerts through the detector. {@link #score(Matrix,
 * double[], double, Verdicts)} also says, per row, which part fired ({@link FiredBy}) and the class
 * the classifier predicted; either part fires when its own part of the score reaches the threshold,
 * so the verdict agrees with the score at any threshold.
 *
 * <p>Attribution: the detector's when it fires on the row, otherwise each feature's share of the
 * row's absolute robust-scaled values (how far each feature is from its training median, in
 * interquartile ranges) — the classifiers have no per-row attribution of their own.
 *
 * <p>Immutable and thread-safe; a {@link Verdicts} buffer belongs to one thread.
 */
public final class SupervisedDetector implements Detector {
  public static final String KIND = "supervised";
  public static final String HYBRID_KIND = "hybrid";
  /** Manifest version this class writes; version 1 (no stored gate, gate 0.99) is still read. */
  public static final int VERSION = 2;
  /**
   * Default gate: the hybrid's detector is heard only for rows the classifier calls normal with
   * less than this probability. On NSL-KDD with probe left out of training this halved the
   * detector's false alarms (1.9% → 0.85% of normal rows) for a probe recall of 0.898 instead of
   * 0.905.
   */
  public static final double DEFAULT_GATE = 0.99;
  /** Threshold on the score at which a row is an alert. */
  public static final double THRESHOLD = 0.5;

  private final Classifier classifier;
  private final int normalClass;
  private final Detector unsupervised;
  private final double unsupervisedThreshold;
  private final double gate;
  private final String[] sourceNames;

  /**
   * A supervised-only model, or a hybrid with the {@link #DEFAULT_GATE}.
   *
   * @param unsupervised the hybrid's detector (trained on normal rows), or null for supervised only
   * @param unsupervisedThreshold the detector's own threshold (ignored without a detector)
   */
  public SupervisedDetector(Classifier classifier, Detector unsupervised, double unsupervisedThreshold) {
    this(classifier, unsupervised, unsupervisedThreshold, DEFAULT_GATE);
  }

  /**
   * @param gate the detector is heard only where P(normal) is below this, in (0, 1]; 1 hears it everywhere,
   *     even where the classifier is certain
   * @throws IllegalArgumentException if the classifier has no "normal" class, the feature counts
   *     differ, the detector threshold is not positive or the gate is outside (0, 1]
   */
  public SupervisedDetector(Classifier classifier, Detector unsupervised, double unsupervisedThreshold, double gate) {
    this.classifier = Objects.requireNonNull(classifier, "classifier");
    this.normalClass = classifier.classes().indexOf(Target.NORMAL);
    if (normalClass < 0) {
      throw new IllegalArgumentException("the classifier has no '" + Target.NORMAL + "' class: " + classifier.classes());
    }
    if (unsupervised != null && unsupervised.features() != classifier.features()) {
      throw new IllegalArgumentException("classifier has " + classifier.features() + " features, detector "
          + unsupervised.features());
    }
    if (unsupervised != null && !(unsupervisedThreshold > 0 && unsupervisedThreshold < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("the detector threshold must be positive, got " + unsupervisedThreshold);
    }
    if (!(gate > 0 && gate <= 1)) {
      throw new IllegalArgumentException("the gate must be in (0, 1], got " + gate);
    }
    this.unsupervised = unsupervised;
    this.unsupervisedThreshold = unsupervised == null ? 0 : unsupervisedThreshold;
    this.gate = gate;
    // Alert sources by FiredBy ordinal, built once so naming a row's source allocates nothing.
    String u = unsupervised == null ? null : unsupervised.kind();
    this.sourceNames = unsupervised == null
        ? new String[] {KIND, KIND, KIND, KIND}
        : new String[] {HYBRID_KIND, HYBRID_KIND + ":" + FiredBy.SUPERVISED.label(), HYBRID_KIND + ":" + u,
            HYBRID_KIND + ":" + FiredBy.BOTH.label()};
  }

  public Classifier classifier() {
    return classifier;
  }

  /** The hybrid's detector, or null. */
  public Detector unsupervised() {
    return unsupervised;
  }

  /** The detector's own threshold on its raw score (0 without a detector). */
  public double unsupervisedThreshold() {
    return unsupervisedThreshold;
  }

  /** The detector is heard only where the classifier's P(normal) is below this. */
  public double gate() {
    return gate;
  }

  /**
   * The alert source for a verdict, as an {@code Alert}'s detector field: "supervised" for a
   * supervised-only model; "hybrid:supervised", "hybrid:&lt;detector kind&gt;" (e.g.
   * "hybrid:iforest") or "hybrid:both" for a hybrid ("hybrid" for {@link FiredBy#NONE}). Constant
   * strings, no allocation.
   */
  public String sourceName(FiredBy firedBy) {
    return sourceNames[firedBy.ordinal()];
  }

  @Override
  public String kind() {
    return unsupervised == null ? KIND : HYBRID_KIND;
  }

  @Override
  public int features() {
    return classifier.features();
  }

  /** A buffer for {@link #score(Matrix, double[], double, Verdicts)}; one per thread or session. */
  public Verdicts newVerdicts() {
    return new Verdicts(classifier);
  }

  @Override
  public void score(Matrix batch, double[] out) {
    score(batch, out, THRESHOLD, newVerdicts());
  }

  /**
   * Scores every row of {@code batch} into {@code out} and records in {@code verdicts} which part
   * reached {@code threshold} and the class the classifier predicted. Allocates nothing once the
   * buffer has grown to the batch size.
   *
   * @throws IllegalArgumentException if the batch has other features or {@code out} is short
   */
  public void score(Matrix batch, double[] out, double threshold, Verdicts verdicts) {
    Matrix.checkScoring(batch, out, features(), KIND);
    int n = batch.rows();
    int k = classifier.classes().size();
    verdicts.ensure(n, k, unsupervised != null);
    double[] p = verdicts.proba;
    classifier.predictProba(batch, p);
    double[] u = null;
    if (unsupervised != null) {
      u = verdicts.detectorScores;
      unsupervised.score(batch, u);
    }
    for (int r = 0; r < n; r++) {
      double pNormal = p[r * k + normalClass];
      double s = 1 - pNormal;
      boolean classifierFired = s >= threshold;
      boolean detectorFired = false;
      if (u != null && (pNormal < gate || gate >= 1)) {
        double d = Math.min(1, THRESHOLD * u[r] / unsupervisedThreshold);
        detectorFired = d >= threshold;
        s = Math.max(s, d);
      }
      out[r] = s;
      verdicts.firedBy[r] = FiredBy.of(classifierFired, detectorFired);
      verdicts.predicted[r] = classifierFired ? bestAttack(p, r * k, k) : normalClass;
    }
    verdicts.rows = n;
  }

  /** The most probable class other than normal. */
  private int bestAttack(double[] p, int from, int k) {
    int best = -1;
    for (int c = 0; c < k; c++) {
      if (c != normalClass && (best < 0 || p[from + c] > p[from + best])) {
        best = c;
      }
    }
    return best;
  }

  @Override
  public void attribute(float[] row, int offset, double[] out) {
    int d = features();
    if (unsupervised != null) {
      double u = unsupervised.score(new Matrix(Arrays.copyOfRange(row, offset, offset + d), 1, d))[0];
      if (u >= unsupervisedThreshold) {
        unsupervised.attribute(row, offset, out);
        return;
      }
    }
    double total = 0;
    for (int f = 0; f < d; f++) {
      out[f] = Math.abs(row[offset + f]);
      total += out[f];
    }
    for (int f = 0; f < d; f++) {
      out[f] = total > 0 ? out[f] / total : 0;
    }
  }

  @Override
  public void writeTo(ModelArchive.Builder archive, String prefix) {
    ObjectNode n = archive.manifest().with("detectors").putObject(prefix);
    n.put("kind", kind());
    n.put("version", VERSION);
    classifier.writeTo(archive, prefix + ".classifier");
    if (unsupervised != null) {
      n.put("unsupervised_kind", unsupervised.kind());
      n.put("unsupervised_threshold", unsupervisedThreshold);
      n.put("gate", gate);
      unsupervised.writeTo(archive, prefix + ".unsupervised");
    }
  }

  /**
   * Reads one back (version 1 or 2); {@code detectors} reads the hybrid's detector by kind (a
   * fixed switch).
   *
   * @throws ModelFormatException if any part is missing, malformed or inconsistent
   */
  public static SupervisedDetector readFrom(ModelArchive archive, String prefix, KindReader detectors)
      throws ModelFormatException {
    JsonNode n = archive.manifest().path("detectors").path(prefix);
    String kind = n.path("kind").asText("");
    if (!kind.equals(KIND) && !kind.equals(HYBRID_KIND)) {
      throw new ModelFormatException("detector '" + prefix + "' is not a supervised model");
    }
    int version = n.path("version").asInt();
    if (version != 1 && version != VERSION) {
      throw new ModelFormatException("supervised model version " + n.path("version") + " is not supported (1 or "
          + VERSION + ")");
    }
    Classifier c = Classifiers.readFrom(archive, prefix + ".classifier");
    Detector u = null;
    double t = 0;
    double gate = DEFAULT_GATE;
    if (kind.equals(HYBRID_KIND)) {
      t = n.path("unsupervised_threshold").asDouble(Double.NaN);
      if (!(t > 0) || Double.isInfinite(t)) {
        throw new ModelFormatException("hybrid model lacks a positive 'unsupervised_threshold'");
      }
      if (version >= 2) {
        gate = n.path("gate").asDouble(Double.NaN);
        if (!(gate > 0 && gate <= 1)) {
          throw new ModelFormatException("hybrid model lacks a 'gate' in (0, 1]");
        }
      }
      u = detectors.read(n.path("unsupervised_kind").asText(""), archive, prefix + ".unsupervised");
    }
    try {
      return new SupervisedDetector(c, u, t, gate);
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException("supervised model: " + e.getMessage(), e);
    }
  }

  /** Reads a detector of a named kind under a prefix (the caller's fixed switch). */
  @FunctionalInterface
  public interface KindReader {
    Detector read(String kind, ModelArchive archive, String prefix) throws ModelFormatException;
  }

  /**
   * Per-row verdicts of the last batch scored into it: which part fired and the predicted class,
   * plus the scratch arrays scoring needs. Grows to the largest batch and is reused; valid until the
   * next batch. Not thread-safe: one per session or thread.
   */
  public static final class Verdicts {
    private final Classifier classifier;
    private double[] proba = new double[0];
    private double[] detectorScores = new double[0];
    private FiredBy[] firedBy = new FiredBy[0];
    private int[] predicted = new int[0];
    private int rows;

    private Verdicts(Classifier classifier) {
      this.classifier = classifier;
    }

    private void ensure(int n, int k, boolean detector) {
      if (firedBy.length < n) {
        firedBy = new FiredBy[n];
        predicted = new int[n];
        proba = new double[n * k];
      }
      if (detector && detectorScores.length < n) {
        detectorScores = new double[firedBy.length];
      }
    }

    /** Rows of the last batch. */
    public int rows() {
      return rows;
    }

    /** Which part fired on row {@code r} of the last batch. */
    public FiredBy firedBy(int r) {
      Objects.checkIndex(r, rows);
      return firedBy[r];
    }

    /**
     * The class the classifier predicted for row {@code r}: the most probable attack class when the
     * classifier fired, otherwise "normal".
     */
    public String predictedClass(int r) {
      Objects.checkIndex(r, rows);
      return classifier.classes().get(predicted[r]);
    }

    /** The detector's raw score of row {@code r} (NaN without a detector). */
    public double detectorScore(int r) {
      Objects.checkIndex(r, rows);
      return detectorScores.length > r ? detectorScores[r] : Double.NaN;
    }
  }
}
