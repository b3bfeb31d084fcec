package io.netanomaly.core.pipeline;

import io.netanomaly.core.detect.Detector;
import io.netanomaly.core.detect.Matrix;
import io.netanomaly.core.detect.autoencoder.Autoencoder;
import io.netanomaly.core.detect.dbscan.PcaDbscan;
import io.netanomaly.core.detect.ocsvm.OneClassSvm;
import io.netanomaly.core.detect.rcf.RcfDetector;
import io.netanomaly.core.detect.ensemble.Ensemble;
import io.netanomaly.core.detect.iforest.IsolationForest;
import io.netanomaly.core.detect.knn.KnnDetector;
import io.netanomaly.core.detect.knn.LofDetector;
import io.netanomaly.core.model.ModelArchive;
import io.netanomaly.core.model.ModelFormatException;
import io.netanomaly.core.supervised.SupervisedDetector;
import java.util.List;
import java.util.Locale;

/**
 * The detector families a model can hold, by their stable names: how to train each with the
 * pipeline's settings and how to read each from a model file. Reading is a fixed switch, never a
 * class name from the file, so loading a model cannot run arbitrary code.
 */
public final class DetectorCatalog {
  /** Name of the extended isolation forest (stored as kind "iforest", format version 2). */
  public static final String EIF = "eif";

  /** Names accepted by {@code train --models}. */
  public static final List<String> KINDS = List.of(IsolationForest.KIND, EIF, OneClassSvm.KIND, Autoencoder.KIND,
      KnnDetector.KIND, LofDetector.KIND, PcaDbscan.KIND, RcfDetector.KIND);

  private DetectorCatalog() {}

  /** Settings shared by the families (each uses what applies to it). Immutable. */
  record Settings(int trees, int sampleSize, double maxFeatures, long seed, int threads) {}

  /**
   * Parses a comma-separated list of detector names.
   *
   * @throws IllegalArgumentException naming the unknown name and the valid ones
   */
  public static List<String> parse(String list) {
    List<String> kinds = new java.util.ArrayList<>();
    for (String part : list.split(",")) {
      String k = part.trim().toLowerCase(Locale.ROOT);
      if (!KINDS.contains(k)) {
        throw new IllegalArgumentException("unknown detector '" + part.trim() + "'; expected one of "
            + String.join(", ", KINDS));
      }
      if (kinds.contains(k)) {
        throw new IllegalArgumentException("detector '" + k + "' named twice");
      }
      kinds.add(k);
    }
    if (kinds.isEmpty()) {
      throw new IllegalArgumentException("no detector named; expected one or more of " + String.join(", ", KINDS));
    }
    return kinds;
  }

  static Detector train(String kind, Matrix x, Settings s) {
    switch (kind) {
      case IsolationForest.KIND:
        return IsolationForest.builder().trees(s.trees()).sampleSize(s.sampleSize()).maxFeatures(s.maxFeatures())
            .seed(s.seed()).threads(s.threads()).fit(x);
      case EIF:
        return IsolationForest.builder().extended(true).trees(s.trees()).sampleSize(s.sampleSize())
            .maxFeatures(s.maxFeatures()).seed(s.seed()).threads(s.threads()).fit(x);
      case OneClassSvm.KIND:
        return OneClassSvm.builder().seed(s.seed()).threads(s.threads()).fit(x);
      case PcaDbscan.KIND:
        return PcaDbscan.builder().seed(s.seed()).threads(s.threads()).fit(x);
      case RcfDetector.KIND:
        return RcfDetector.builder().seed(s.seed()).threads(s.threads()).fit(x);
      case Autoencoder.KIND:
        return Autoencoder.builder().seed(s.seed()).threads(s.threads()).fit(x);
      case KnnDetector.KIND:
        return KnnDetector.builder().seed(s.seed()).threads(s.threads()).fit(x);
      case LofDetector.KIND:
        return LofDetector.builder().seed(s.seed()).threads(s.threads()).fit(x);
      default:
        throw new IllegalArgumentException("unknown detector '" + kind + "'");
    }
  }

  /** Reads a detector of the given kind stored under {@code prefix}. */
  static Detector read(String kind, ModelArchive a, String prefix) throws ModelFormatException {
    switch (kind) {
      case IsolationForest.KIND:
        return IsolationForest.readFrom(a, prefix);
      case OneClassSvm.KIND:
        return OneClassSvm.readFrom(a, prefix);
      case PcaDbscan.KIND:
        return PcaDbscan.readFrom(a, prefix);
      case RcfDetector.KIND:
        return RcfDetector.readFrom(a, prefix);
      case Autoencoder.KIND:
        return Autoencoder.readFrom(a, prefix);
      case KnnDetector.KIND:
        return KnnDetector.readFrom(a, prefix);
      case LofDetector.KIND:
        return LofDetector.readFrom(a, prefix);
      case Ensemble.KIND:
        return Ensemble.readFrom(a, prefix, DetectorCatalog::read);
      case SupervisedDetector.KIND:
      case SupervisedDetector.HYBRID_KIND:
        return SupervisedDetector.readFrom(a, prefix, DetectorCatalog::read);
      default:
        throw new ModelFormatException("unknown detector kind '" + kind + "'");
    }
  }
}
