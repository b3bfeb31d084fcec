package io.netanomaly.core.model;

import java.io.IOException;
import java.nio.file.Path;

/** On-disk format of {@link ModelArchive}. */
final class ModelFiles {
  private ModelFiles() {}

  static void write(ModelArchive archive, Path file) throws IOException {
    throw new UnsupportedOperationException("being written");
  }

  static ModelArchive read(Path file) throws IOException {
    throw new UnsupportedOperationException("being written");
  }
}
