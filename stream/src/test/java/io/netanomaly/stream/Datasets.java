package io.netanomaly.stream;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * (A copy of core's test lookup: test classes are not shared across modules.) Locates the shared data sets for {@code @Tag("dataset")} tests: the system property
 * {@code netanomaly.datasets} (Maven sets it), else {@code ../shared/datasets} next to the
 * repository root (the first directory above user.dir holding {@code mvnw}). With the environment
 * variable {@code NETANOMALY_REQUIRE_DATASETS=1} (set by CI) a missing folder fails the test instead
 * of skipping it, so CI always runs the dataset tests.
 */
public final class Datasets {
  private Datasets() {}

  /** The data set folder, or null when it cannot be found. */
  public static Path root() {
    String prop = System.getProperty("netanomaly.datasets");
    if (prop != null && !prop.isBlank()) {
      Path p = Path.of(prop).toAbsolutePath().normalize();
      if (Files.isDirectory(p)) {
        return p;
      }
    }
    for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null;
        dir = dir.getParent()) {
      if (Files.exists(dir.resolve("mvnw"))) {
        Path p = dir.resolve("../shared/datasets").normalize();
        return Files.isDirectory(p) ? p : null;
      }
    }
    return null;
  }

  /** The data set folder; skips the calling test when it is absent (fails it when CI requires it). */
  public static Path requireRoot() {
    Path root = root();
    if (root == null && "1".equals(System.getenv("NETANOMALY_REQUIRE_DATASETS"))) {
      Assertions.fail("../shared/datasets not found but NETANOMALY_REQUIRE_DATASETS=1: set -Dnetanomaly.datasets");
    }
    Assumptions.assumeTrue(root != null, "../shared/datasets not found: dataset tests skipped");
    return root;
  }
}
