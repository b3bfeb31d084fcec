package io.netanomaly.cli;

import io.netanomaly.core.eval.HoldoutSplit;
import io.netanomaly.core.explain.AnomalyClassifier;
import io.netanomaly.core.io.RowSource;
import io.netanomaly.core.io.RowWriter;
import io.netanomaly.core.pipeline.BatchScoring;
import io.netanomaly.core.pipeline.DetectionPipeline;
import io.netanomaly.core.supervised.SupervisedDetector;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code netanomaly detect}: scores a file with constant memory and writes it with verdicts added. */
@Command(name = "detect", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Score every row of a file and write it back with score, is_anomaly, anomaly_type and fired_by "
        + "columns (plus predicted_class for a supervised or hybrid model).")
final class DetectCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Mixin
  ModelOption modelOption;

  @Mixin
  DataOptions input;

  @Option(names = "--out", required = true, paramLabel = "FILE",
      description = "Output file (.csv or .jsonl by extension; '-' writes CSV to standard output).")
  Path out;

  @Option(names = "--anomalies-only", description = "Write only the rows flagged as anomalous.")
  boolean anomaliesOnly;

  @Override
  public Integer call() throws Exception {
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    DetectionPipeline model = modelOption.load();
    HoldoutSplit split = input.holdout();
    AnomalyClassifier classifier = new AnomalyClassifier(model.features());
    double threshold = model.threshold().value();
    long[] counts = new long[2];
    long start = System.nanoTime();
    boolean toStdout = out.toString().equals("-");
    // fired_by: which part of the model raised the row (supervised, detector, both, none).
    boolean supervised = model.detector() instanceof SupervisedDetector;
    List<String> extra = supervised ? List.of("score", "is_anomaly", "anomaly_type", "fired_by", "predicted_class")
        : List.of("score", "is_anomaly", "anomaly_type", "fired_by");
    DetectionPipeline.Session session = model.newSession();
    try (RowSource src = input.open();
        RowWriter writer = toStdout
            ? RowWriter.open(System.out, false, src.schema(), false, extra)
            : RowWriter.open(out, src.schema(), false, extra);
        Progress p = Progress.start("detecting " + input.displayName(), Math.max(1, src.totalBytes() / 1024), "KiB")) {
      ModelOption.checkSchema(model.schema(), src.schema(), input.displayName());
      int width = model.features().width();
      BatchScoring.run(src, session, 4096, split == null ? null : i -> !split.isTraining(i),
          (rows, scores, raw) -> {
            for (int i = 0; i < rows.size(); i++) {
              boolean anomalous = scores[i] >= threshold;
              counts[anomalous ? 1 : 0]++;
              if (anomaliesOnly && !anomalous) {
                continue;
              }
              String type = anomalous ? classifier.classify(rows.get(i), raw, i * width) : "normal";
              String score = String.format(Locale.ROOT, "%.6f", scores[i]);
              String firedBy = session.lastFiredBy(i).label();
              if (supervised) {
                writer.write(rows.get(i), score, anomalous ? "1" : "0", type, firedBy, session.lastPredictedClass(i));
              } else {
                writer.write(rows.get(i), score, anomalous ? "1" : "0", type, firedBy);
              }
            }
          }, done -> p.stepTo(src.bytesRead() / 1024));
      DataOptions.reportSkipped(src, err);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long total = counts[0] + counts[1];
    (toStdout ? err : stdout).printf(Locale.ROOT, "scored %,d rows in %.2f s (%,.0f rows/s): %,d anomalous (%.2f%%)%s%n",
        total, seconds, total / Math.max(seconds, 1e-9), counts[1], total == 0 ? 0.0 : 100.0 * counts[1] / total,
        toStdout ? "" : ", written to " + out);
    return 0;
  }
}
