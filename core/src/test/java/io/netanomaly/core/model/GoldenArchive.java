package io.netanomaly.core.model;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The content of the container golden file {@code src/test/resources/golden/archive-v1.nam}, and
 * the program that wrote it once. Rerun only for a new format version (then add a new golden file
 * and keep the old one): the file pins what older releases wrote.
 *
 * <p>Run from {@code core/}: {@code java -cp target/classes:target/test-classes:<jackson jars>
 * io.netanomaly.core.model.GoldenArchive src/test/resources/golden/archive-v1.nam}.
 */
final class GoldenArchive {
  static final String CREATED_BY = "netanomaly golden-file generator";

  private GoldenArchive() {}

  static ModelArchive content() {
    ModelArchive.Builder b = ModelArchive.builder();
    b.manifest().put("detector", "golden").put("trees", 3).put("threshold", 0.5);
    b.manifest().putArray("features").add("bytes_sent").add("duration");
    b.put("weights", new double[] {1.0, -0.0, 0.1, Double.NaN, Double.POSITIVE_INFINITY, -2.5e-300});
    b.put("scales", new float[] {0.5f, Float.NEGATIVE_INFINITY, 3.4028235e38f});
    b.put("children", new int[] {1, 2, -1, -1, Integer.MAX_VALUE});
    b.put("seeds", new long[] {42L, Long.MIN_VALUE});
    b.put("unused", new int[0]);
    return b.build();
  }

  public static void main(String[] args) throws IOException {
    ModelFiles.write(content(), Path.of(args[0]), CREATED_BY);
  }
}
