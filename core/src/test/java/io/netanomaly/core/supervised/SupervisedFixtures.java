package io.netanomaly.core.supervised;

import io.netanomaly.core.detect.Matrix;
import io.netanomaly.core.model.ModelArchive;
import io.netanomaly.core.model.ModelFormatException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/** Synthetic labelled data and archive surgery for the supervised tests. */
final class SupervisedFixtures {
  private SupervisedFixtures() {}

  /** Rows and their class ids. */
  record Labelled(Matrix x, int[] y) {}

  /**
   * {@code rows} rows of 4 features in {@code k} Gaussian classes (sd 1; class c centred at
   * (4c, −4c, 0, 0)), classes in turn. Box–Muller on {@link SplittableRandom#nextDouble()}, so the
   * data is the same on every JDK.
   */
  static Labelled gaussians(int rows, int k, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] d = new float[rows * 4];
    int[] y = new int[rows];
    for (int r = 0; r < rows; r++) {
      int c = r % k;
      y[r] = c;
      for (int j = 0; j < 4; j++) {
        double centre = j == 0 ? 4 * c : j == 1 ? -4 * c : 0;
        d[r * 4 + j] = (float) (centre + gaussian(rng));
      }
    }
    return new Labelled(new Matrix(d, rows, 4), y);
  }

  static double gaussian(SplittableRandom rng) {
    double u = 1 - rng.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
  }

  static double accuracy(int[] predicted, int[] truth) {
    int ok = 0;
    for (int i = 0; i < truth.length; i++) {
      ok += predicted[i] == truth[i] ? 1 : 0;
    }
    return ok / (double) truth.length;
  }

  /** Small, fast options: 20 trees, 30 boosting rounds of depth 3, 20 epochs. */
  static ClassifierOptions small(long seed, int threads) {
    return ClassifierOptions.defaults().withSeed(seed).withThreads(threads).withTrees(20).withBoosting(30, 0.2, 3, 1)
        .withLogistic(20, 0.02, 1e-4, 64);
  }

  /** A copy of {@code a} with array {@code name} replaced by {@code replacement} (of any element type). */
  static ModelArchive withArray(ModelArchive a, String name, Object replacement) throws ModelFormatException {
    return copy(a, m -> { }, name, replacement);
  }

  /** A copy of {@code a} whose manifest is changed by {@code edit}. */
  static ModelArchive withManifest(ModelArchive a, Consumer<ObjectNode> edit) throws ModelFormatException {
    return copy(a, edit, null, null);
  }

  private static ModelArchive copy(ModelArchive a, Consumer<ObjectNode> edit, String name, Object replacement)
      throws ModelFormatException {
    ModelArchive.Builder b = ModelArchive.builder();
    ObjectNode m = (ObjectNode) a.manifest();
    edit.accept(m);
    b.manifest().setAll(m);
    for (String n : a.arrayNames()) {
      Object v = n.equals(name) ? replacement : array(a, n);
      if (v instanceof int[] i) {
        b.put(n, i);
      } else if (v instanceof float[] f) {
        b.put(n, f);
      } else if (v instanceof double[] dd) {
        b.put(n, dd);
      } else {
        b.put(n, (long[]) v);
      }
    }
    return b.build();
  }

  /** The array {@code name} of {@code a} (a copy), whatever its element type. */
  static Object array(ModelArchive a, String name) throws ModelFormatException {
    for (int t = 0; ; t++) {
      try {
        return switch (t) {
          case 0 -> a.ints(name).clone();
          case 1 -> a.floats(name).clone();
          case 2 -> a.doubles(name).clone();
          default -> a.longs(name).clone();
        };
      } catch (ModelFormatException e) {
        if (t == 3) {
          throw e;
        }
      }
    }
  }
}
