package io.netanomaly.core.supervised;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netanomaly.core.detect.Detector;
import io.netanomaly.core.detect.Matrix;
import io.netanomaly.core.detect.Threshold;
import io.netanomaly.core.detect.iforest.DetectorParams;
import io.netanomaly.core.model.ModelArchive;
import io.netanomaly.core.model.ModelFormatException;
import java.util.Locale;
import java.util.Objects;

/**
 * The hybrid verdict: a supervised classifier plus an unsupervised detector trained on normal
 * rows. A row is an alert when either fires — the classifier when its most probable class is not
 * "normal", the detector when its score reaches its threshold — so attack types absent from the
 * labelled training data still raise alerts through the detector. {@link Verdicts} says, per row,
 * which fired and the class the classifier predicted.
 *
 * <p>Immutable and thread-safe when its classifier and detector are (all in this project are).
 */
public final class HybridVerdict {
  /** Version of the manifest entry this class writes (and reads). */
  public static final int ARCHIVE_VERSION = 1;
  private static final String KIND = "hybrid";

  /** Which part of the hybrid raised the alert. */
  public enum Source {
    NONE, SUPERVISED, UNSUPERVISED, BOTH;

    /** "none", "supervised", "unsupervised" or "both". */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    public boolean isAlert() {
      return this != NONE;
    }

    static Source of(boolean supervised, boolean unsupervised) {
      return supervised ? (unsupervised ? BOTH : SUPERVISED) : (unsupervised ? UNSUPERVISED : NONE);
    }
  }

  /** Reads an unsupervised detector written under a prefix (for example {@code IsolationForest::readFrom}). */
  @FunctionalInterface
  public interface DetectorReader {
    Detector read(ModelArchive archive, String prefix) throws ModelFormatException;
  }

  private final Classifier classifier;
  private final Detector detector;
  private final Threshold threshold;
  private final int normalClass;

  private HybridVerdict(Classifier classifier, Detector detector, Threshold threshold, int normalClass) {
    this.classifier = classifier;
    this.detector = detector;
    this.threshold = threshold;
    this.normalClass = normalClass;
  }

  /**
   * Combines a classifier whose classes include "normal" with a detector (and its threshold) over
   * the same features.
   *
   * @throws IllegalArgumentException if the classifier has no "normal" class or the feature counts differ
   */
  public static HybridVerdict of(Classifier classifier, Detector detector, Threshold threshold) {
    Objects.requireNonNull(threshold, "threshold");
    int normal = classifier.classes().indexOf(Target.NORMAL);
    if (normal < 0) {
      throw new IllegalArgumentException("hybrid: the classifier has no '" + Target.NORMAL + "' class: "
          + classifier.classes());
    }
    if (classifier.features() != detector.features()) {
      throw new IllegalArgumentException("hybrid: classifier has " + classifier.features() + " features, detector "
          + detector.features());
    }
    return new HybridVerdict(classifier, detector, threshold, normal);
  }

  public Classifier classifier() {
    return classifier;
  }

  public Detector detector() {
    return detector;
  }

  public Threshold threshold() {
    return threshold;
  }

  /** Judges every row of {@code x}. */
  public Verdicts judge(Matrix x) {
    int n = x.rows();
    int k = classifier.classes().size();
    double[] proba = classifier.predictProba(x);
    double[] scores = detector.score(x);
    Source[] source = new Source[n];
    int[] predicted = new int[n];
    for (int r = 0; r < n; r++) {
      predicted[r] = Classifiers.argmax(proba, r * k, k);
      source[r] = Source.of(predicted[r] != normalClass, threshold.isAnomaly(scores[r]));
    }
    return new Verdicts(classifier, source, predicted, proba, scores);
  }

  /**
   * Writes the classifier under {@code prefix.supervised}, the detector under
   * {@code prefix.unsupervised} and the threshold in the manifest object {@code hybrids.<prefix>}.
   */
  public void writeTo(ModelArchive.Builder archive, String prefix) {
    ObjectNode all = archive.manifest().withObjectProperty("hybrids");
    if (all.has(prefix)) {
      throw new IllegalArgumentException("hybrid '" + prefix + "' already written");
    }
    ObjectNode p = all.putObject(prefix);
    p.put("kind", KIND);
    p.put("version", ARCHIVE_VERSION);
    threshold.toJson(p.putObject("threshold"));
    classifier.writeTo(archive, prefix + ".supervised");
    detector.writeTo(archive, prefix + ".unsupervised");
  }

  /**
   * Reads a hybrid written by {@link #writeTo}, the detector through {@code detectors} (which
   * decides which detector families it accepts).
   *
   * @throws ModelFormatException if any part is missing, malformed or inconsistent
   */
  public static HybridVerdict readFrom(ModelArchive archive, String prefix, DetectorReader detectors)
      throws ModelFormatException {
    JsonNode node = archive.manifest().path("hybrids").get(prefix);
    DetectorParams p = new DetectorParams(node, KIND, prefix);
    p.requireKindAndVersion(ARCHIVE_VERSION);
    Threshold threshold = Threshold.fromJson(node.get("threshold"));
    Classifier classifier = Classifiers.readFrom(archive, prefix + ".supervised");
    Detector detector = detectors.read(archive, prefix + ".unsupervised");
    try {
      return of(classifier, detector, threshold);
    } catch (IllegalArgumentException e) {
      throw p.error(e.getMessage());
    }
  }

  /** Per-row results of {@link #judge}. Immutable. */
  public static final class Verdicts {
    private final Classifier classifier;
    private final Source[] source;
    private final int[] predicted;
    private final double[] proba;
    private final double[] scores;

    Verdicts(Classifier classifier, Source[] source, int[] predicted, double[] proba, double[] scores) {
      this.classifier = classifier;
      this.source = source;
      this.predicted = predicted;
      this.proba = proba;
      this.scores = scores;
    }

    public int rows() {
      return source.length;
    }

    /** Which part fired on row {@code r}. */
    public Source source(int r) {
      return source[r];
    }

    public boolean isAlert(int r) {
      return source[r].isAlert();
    }

    /** The classifier's most probable class id for row {@code r}. */
    public int predictedClass(int r) {
      return predicted[r];
    }

    /** The classifier's most probable class name for row {@code r}. */
    public String predictedName(int r) {
      return classifier.classes().get(predicted[r]);
    }

    /** The classifier's probability of class {@code c} for row {@code r}. */
    public double probability(int r, int c) {
      return proba[r * classifier.classes().size() + c];
    }

    /** The detector's score of row {@code r} (higher = more anomalous). */
    public double score(int r) {
      return scores[r];
    }
  }
}
