package io.netanomaly.core.supervised;

import io.netanomaly.core.detect.Matrix;
import io.netanomaly.core.model.ModelArchive;
import java.util.List;

/**
 * A fitted supervised classifier over feature matrices: gives each row a probability per class.
 * Trained by {@link Classifiers#train}; read back from a model file by {@link Classifiers#readFrom}.
 *
 * <p>Implementations are immutable and safe to call from several threads at once.
 */
public interface Classifier {
  /** Short stable name of the family, as written in model files: "rf", "gbm" or "logreg". */
  String kind();

  /** Class names; the index of a name is its class id. {@link Target} puts "normal" first. */
  List<String> classes();

  /** Number of features (matrix columns) it was trained on. */
  int features();

  /**
   * Writes the class probabilities of every row of {@code x} into {@code out[r * classes + c]};
   * each row's probabilities are non-negative and sum to 1.
   *
   * @throws IllegalArgumentException if {@code x.cols() != features()} or {@code out} is short
   */
  void predictProba(Matrix x, double[] out);

  /** The class probabilities of every row, {@code rows × classes} values. */
  default double[] predictProba(Matrix x) {
    double[] out = new double[x.rows() * classes().size()];
    predictProba(x, out);
    return out;
  }

  /** The most probable class id of every row (the lowest id on a tie). */
  default int[] predict(Matrix x) {
    int k = classes().size();
    double[] p = predictProba(x);
    int[] out = new int[x.rows()];
    for (int r = 0; r < out.length; r++) {
      out[r] = Classifiers.argmax(p, r * k, k);
    }
    return out;
  }

  /**
   * Writes parameters into the manifest object {@code classifiers.<prefix>} and arrays under names
   * starting with {@code prefix}.
   *
   * @throws IllegalArgumentException if a classifier was already written under {@code prefix}
   */
  void writeTo(ModelArchive.Builder archive, String prefix);
}
