package io.netanomaly.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netanomaly.core.eval.BinaryMetrics;
import io.netanomaly.core.eval.EvaluationResult;
import io.netanomaly.core.eval.TypeRecall;
import io.netanomaly.core.eval.HoldoutSplit;
import io.netanomaly.core.io.RowSource;
import io.netanomaly.core.pipeline.BatchScoring;
import io.netanomaly.core.pipeline.DetectionPipeline;
import io.netanomaly.core.schema.Row;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code netanomaly evaluate}: scores labelled data with a model and reports detection metrics. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Score labelled data with a model and report ROC-AUC, PR-AUC, precision, recall, F1 and per-type recall.")
final class EvaluateCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Mixin
  ModelOption modelOption;

  @Mixin
  DataOptions input;

  @Option(names = "--json", paramLabel = "OUT", description = "Also write the metrics as JSON to this file ('-' for standard output).")
  String json;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    DetectionPipeline model = modelOption.load();
    EvaluationResult result = evaluate(model, input, err);
    if (!"-".equals(json)) {
      out.print(result.toTable());
      out.flush();
    }
    if (json != null) {
      String text = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(result.toJson());
      if (json.equals("-")) {
        out.println(text);
      } else {
        java.nio.file.Files.writeString(Path.of(json), text + "\n");
        out.println("metrics written to " + json);
      }
    }
    return 0;
  }

  /** Scores the data (its held-out part with --split) and computes the metrics. */
  static EvaluationResult evaluate(DetectionPipeline model, DataOptions input, PrintWriter err) throws Exception {
    HoldoutSplit split = input.holdout();
    if (split == null && model.training().split() != null && input.displayName().equals(model.training().data())) {
      err.println("warning: the model was trained on a " + model.training().split() + " split of "
          + model.training().data() + "; pass the same --split to evaluate on the held-out rows only");
    }
    try (RowSource src = input.open();
        Progress p = Progress.start("scoring " + input.displayName(), Math.max(1, src.totalBytes() / 1024), "KiB")) {
      ModelOption.checkSchema(model.schema(), src.schema(), input.displayName());
      ScoreBuffer buf = new ScoreBuffer();
      long start = System.nanoTime();
      BatchScoring.run(src, model.newSession(), 4096, split == null ? null : i -> !split.isTraining(i),
          (rows, s, raw) -> {
            for (int i = 0; i < rows.size(); i++) {
              Row r = rows.get(i);
              if (!r.isLabelled()) {
                throw new IllegalArgumentException(input.displayName() + ":" + r.line()
                    + ": row has no label; evaluate needs labelled data");
              }
              buf.add(s[i], r.label(), r.anomalyType());
            }
          }, done -> p.stepTo(src.bytesRead() / 1024));
      double seconds = (System.nanoTime() - start) / 1e9;
      DataOptions.reportSkipped(src, err);
      if (buf.size == 0) {
        throw new IllegalArgumentException(input.displayName() + ": no rows to evaluate");
      }
      double[] scores = buf.scores();
      int[] labels = buf.labels();
      double threshold = model.threshold().value();
      EvaluationResult.Builder b = EvaluationResult.builder(BinaryMetrics.compute(scores, labels, threshold))
          .scoringRowsPerSecond(buf.size / seconds).model(model.detector().kind());
      if (Arrays.stream(buf.types()).anyMatch(t -> t != null && !t.equals("normal"))) {
        b.perType(TypeRecall.compute(scores, buf.types(), labels, threshold));
      }
      return b.build();
    }
  }
}
