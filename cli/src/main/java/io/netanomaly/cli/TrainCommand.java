package io.netanomaly.cli;

import io.netanomaly.core.detect.Threshold;
import io.netanomaly.core.detect.ensemble.Ensemble;
import io.netanomaly.core.pipeline.DetectorCatalog;
import io.netanomaly.core.supervised.Classifiers;
import io.netanomaly.core.supervised.Target;
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

  @Option(names = "--one-hot", paramLabel = "N",
      description = "One-hot encode up to N most frequent values per categorical column, plus an 'other' bucket (default: 0 = frequency encoding only, which suits the forest better; 32 with --supervised).")
  Integer oneHot;

  @Option(names = "--supervised", paramLabel = "KIND",
      description = "Train a classifier on the labels instead: rf (random forest), gbm (gradient boosting) or logreg (logistic regression).")
  String supervised;

  @Option(names = "--target", paramLabel = "T", defaultValue = "binary",
      description = "With --supervised: binary (normal vs attack) or category (the anomaly type or attack category) (default: ${DEFAULT-VALUE}).")
  String target;

  @Option(names = "--exclude-type", paramLabel = "TYPE", split = ",",
      description = "Leave rows of these anomaly types (or NSL-KDD attack categories) out of training, to test how unseen attacks are caught (e.g. probe).")
  List<String> excludeTypes;

  @Option(names = "--hybrid",
      description = "With --supervised: also train the --models detector on the normal rows; a row is an alert when either fires, so attacks never seen in training still raise alerts.")
  boolean hybrid;

  @Option(names = "--gate", paramLabel = "P", defaultValue = "0.99",
      description = "With --hybrid: the detector is heard only on rows the classifier calls normal with less than "
          + "this probability, in (0, 1]; lower trades unseen attacks caught for fewer false alarms (default: ${DEFAULT-VALUE}).")
  double gate;

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
    int categories = oneHot != null ? oneHot : (supervised != null ? 32 : 0);
    if (categories < 0) {
      throw new UsageException("--one-hot must be ≥ 0");
    }
    Target supervisedTarget = null;
    if (supervised != null) {
      if (!Classifiers.KINDS.contains(supervised)) {
        throw new UsageException("--supervised: expected one of " + String.join(", ", Classifiers.KINDS) + ", got "
            + supervised);
      }
      try {
        supervisedTarget = Target.parse(target);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--target: " + e.getMessage());
      }
      if (normalOnly) {
        throw new UsageException("--supervised learns from the attacks too; drop --normal-only");
      }
    } else if (hybrid) {
      throw new UsageException("--hybrid goes with --supervised");
    }
    if (!(gate > 0 && gate <= 1)) {
      throw new UsageException("--gate must be in (0, 1], got " + gate);
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
    List<io.netanomaly.core.schema.Row> rows = data.rows;
    if (excludeTypes != null && !excludeTypes.isEmpty()) {
      java.util.Set<String> drop = new java.util.HashSet<>();
      excludeTypes.forEach(t -> drop.add(t.trim().toLowerCase(Locale.ROOT)));
      rows = rows.stream().filter(r -> r.anomalyType() == null
          || !drop.contains(r.anomalyType().toLowerCase(Locale.ROOT))).toList();
      err.printf(Locale.ROOT, "left out %,d rows of type %s%n", data.rows.size() - rows.size(), drop);
    }
    FeaturePipeline.FitOptions defaults = FeaturePipeline.FitOptions.defaults();
    var builder = DetectionPipeline.builder();
    if (supervised != null) {
      builder.supervised(supervised, supervisedTarget, hybrid).gate(gate);
    }
    DetectionPipeline model = builder
        .trees(trees).sampleSize(sampleSize).maxFeatures(maxFeatures).seed(seed)
        .threads(threads == null ? Runtime.getRuntime().availableProcessors() : threads)
        .contamination(threshold).normalOnly(normalOnly).models(kinds).ensemble(combination)
        .featureOptions(new FeaturePipeline.FitOptions(Math.round(windowSeconds * 1000), defaults.maxSources,
            categories, defaults.minCategoryShare))
        .progress(s -> {
          if (Progress.enabled()) {
            err.println(s);
          }
        })
        .fit(data.schema, rows);
    model = model.withTraining(model.training().withSource(input.displayName(), split == null ? null : split.toString()));
    model.save(out);
    String what = supervised != null
        ? supervised + " (" + target + ")" + (hybrid ? " + " + (kinds.size() == 1 ? kinds.get(0) : "iforest")
            + " on normal rows (hybrid)" : "")
        : kinds.size() == 1 ? kinds.get(0) : combination.externalName() + " ensemble of " + String.join(", ", kinds);
    outw.printf(Locale.ROOT, "trained %s on %,d rows%s of %s (%d features) in %.2f s%n", what,
        model.training().rows(), normalOnly ? " (normal only)" : "", input.displayName(), model.features().width(),
        model.training().seconds());
    outw.printf(Locale.ROOT, "threshold %s%n", model.threshold());
    outw.printf("model written to %s%n", out);
    return 0;
  }
}
