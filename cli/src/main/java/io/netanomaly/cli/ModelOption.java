package io.netanomaly.cli;

import io.netanomaly.core.pipeline.DetectionPipeline;
import io.netanomaly.core.schema.Schema;
import java.io.IOException;
import java.nio.file.Path;

/** The {@code --model} option of the commands that score, and checking data against the model. */
final class ModelOption {
  @picocli.CommandLine.Option(names = "--model", required = true, paramLabel = "MODEL",
      description = "Model file written by 'train'.")
  Path file;

  /** Loads and verifies the model file. */
  DetectionPipeline load() throws IOException {
    return DetectionPipeline.load(file);
  }

  /**
   * Refuses data whose columns differ from the model's, naming the first difference.
   *
   * @throws IllegalArgumentException when they differ
   */
  static void checkSchema(Schema model, Schema data, String dataName) {
    if (model.fields().equals(data.fields())) {
      return;
    }
    for (int i = 0; i < Math.max(model.size(), data.size()); i++) {
      String m = i < model.size() ? model.field(i).toString() : "(none)";
      String d = i < data.size() ? data.field(i).toString() : "(none)";
      if (!m.equals(d)) {
        throw new IllegalArgumentException(dataName + ": column " + (i + 1) + " is " + d + " but the model expects "
            + m + " (pass --format/--schema so the data is read as the model was trained)");
      }
    }
  }
}
