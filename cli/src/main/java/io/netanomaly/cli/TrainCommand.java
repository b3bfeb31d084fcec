package io.netanomaly.cli;

import io.netanomaly.core.detect.Threshold;
import io.netanomaly.core.detect.ensemble.Ensemble;
import io.netanomaly.core.pipeline.DetectorCatalog;
import java.util.List;
import io.netanomaly.core.features.FeaturePipeline;
import io.netanomaly.core.pipeline.DetectionPipeline;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code netanomaly train}: fits features, an isolation forest and a threshold, writes a model file. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Train a model on a data file and write it as one model file.")
final class TrainCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Mixin
  DataOptions input;

  @Option(names = "--out", required = true, paramLabel = "MODEL", description = "Model file to write (e.g. model.nam).")
  Path out;

  @Option(names = "--normal-only", description = "Train only on rows labelled normal.")
  boolean normalOnly;

  @Option(names = "--contamination", paramLabel = "X", defaultValue = "0.05",
      description = "Expected anomaly share in (0, 0.5], or 'auto' (score 0.5, scikit-learn's rule). Sets the threshold from training scores (default: ${DEFAULT-VALUE}).")
  String contamination;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--trees", paramLabel = "N", defaultValue = "100", description = "Trees in the forest (default: ${DEFAULT-VALUE}).")
  int trees;

  @Option(names = "--sample-size", paramLabel = "N", defaultValue = "256", description = "Rows per tree (default: ${DEFAULT-VALUE}).")
  int sampleSize;

  @Option(names = "--max-features", paramLabel = "SHARE", defaultValue = "1.0",
      description = "Share of features each tree may split on, in (0, 1] (default: ${DEFAULT-VALUE}).")
  double maxFeatures;

  @Option(names = "--threads", paramLabel = "K", description = "Threads (default: all processors).")
  Integer threads;

  @Option(names = "--window", paramLabel = "SECONDS", defaultValue = "60",
      description = "Per-source window length in event-time seconds (default: ${DEFAULT-VALUE}).")
  double windowSeconds;

  @Option(names = "--models", paramLabel = "LIST", defaultValue = "iforest",
      description = "Detectors to train, comma-separated: iforest, eif (extended isolation forest), ocsvm, autoencoder, knn, lof, dbscan (on PCA components), rcf (random cut forest) (default: ${DEFAULT-VALUE}). Several make an ensemble.")
  String models;

  @Option(names = "--ensemble", paramLabel = "HOW", defaultValue = "mean",
      description = "How several detectors combine their scores, each first ranked against its own training scores: mean, max or vote (default: ${DEFAULT-VALUE}).")
  String ensemble;

  @Option(names = "--one-hot", paramLabel = "N", defaultValue = "0",
      description = "One-hot encode up to N most frequent values per categorical column, plus an 'other' bucket (default: ${DEFAULT-VALUE}: frequency encoding only, which suits the forest better).")
  int oneHot;

  @Override
  public Integer call() throws Exception {
    var err = spec.commandLine().getErr();
    var outw = spec.commandLine().getOut();
    Threshold.Spec threshold;
    try {
      threshold = Threshold.parse(contamination);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--contamination: " + e.getMessage());
    }
    if (oneHot < 0) {
      throw new UsageException("--one-hot must be ≥ 0");
    }
    if (trees < 1 || sampleSize < 2 || !(maxFeatures > 0 && maxFeatures <= 1) || !(windowSeconds > 0)) {
      throw new UsageException("--trees ≥ 1, --sample-size ≥ 2, --max-features in (0, 1] and --window > 0 are required");
    }
    List<String> kinds;
    Ensemble.Combination combination;
    try {
      kinds = DetectorCatalog.parse(models);
      combination = Ensemble.Combination.parse(ensemble);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    var split = input.holdout();
    LoadedData data = LoadedData.read(input, split, true, err);
    FeaturePipeline.FitOptions defaults = FeaturePipeline.FitOptions.defaults();
    DetectionPipeline model = DetectionPipeline.builder()
        .trees(trees).sampleSize(sampleSize).maxFeatures(maxFeatures).seed(seed)
        .threads(threads == null ? Runtime.getRuntime().availableProcessors() : threads)
        .contamination(threshold).normalOnly(normalOnly).models(kinds).ensemble(combination)
        .featureOptions(new FeaturePipeline.FitOptions(Math.round(windowSeconds * 1000), defaults.maxSources,
            oneHot, defaults.minCategoryShare))
        .progress(s -> {
          if (Progress.enabled()) {
            err.println(s);
          }
        })
        .fit(data.schema, data.rows);
    model = model.withTraining(model.training().withSource(input.displayName(), split == null ? null : split.toString()));
    model.save(out);
    outw.printf(Locale.ROOT, "trained %s on %,d rows%s of %s (%d features) in %.2f s%n",
        kinds.size() == 1 ? kinds.get(0) : combination.externalName() + " ensemble of " + String.join(", ", kinds),
        model.training().rows(), normalOnly ? " (normal only)" : "", input.displayName(), model.features().width(),
        model.training().seconds());
    outw.printf(Locale.ROOT, "threshold %s%n", model.threshold());
    outw.printf("model written to %s%n", out);
    return 0;
  }
}
