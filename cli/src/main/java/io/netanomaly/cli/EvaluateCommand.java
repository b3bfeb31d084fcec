package io.netanomaly.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netanomaly.core.detect.Detector;
import io.netanomaly.core.detect.Matrix;
import io.netanomaly.core.detect.dbscan.PcaDbscan;
import io.netanomaly.core.detect.ensemble.Ensemble;
import io.netanomaly.core.eval.BinaryMetrics;
import io.netanomaly.core.eval.EvaluationResult;
import io.netanomaly.core.eval.TypeRecall;
import io.netanomaly.core.eval.HoldoutSplit;
import io.netanomaly.core.eval.Quantile;
import io.netanomaly.core.io.RowSource;
import io.netanomaly.core.pipeline.BatchScoring;
import io.netanomaly.core.pipeline.DetectionPipeline;
import io.netanomaly.core.schema.FieldType;
import io.netanomaly.core.schema.Row;
import io.netanomaly.core.supervised.SupervisedDetector;
import io.netanomaly.report.EvaluationData;
import io.netanomaly.report.EvaluationRecorder;
import io.netanomaly.report.EvaluationReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code netanomaly evaluate}: scores labelled data with a model and reports detection metrics. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Score labelled data with a model and report ROC-AUC, PR-AUC, precision, recall, F1 and per-type recall; "
        + "for a supervised or hybrid model also alerts and recall by source (supervised, detector, both).")
final class EvaluateCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Mixin
  ModelOption modelOption;

  @Mixin
  DataOptions input;

  @Option(names = "--json", paramLabel = "OUT", description = "Also write the metrics as JSON to this file ('-' for standard output).")
  String json;

  @Option(names = "--report", paramLabel = "DIR",
      description = "Also write an HTML report with charts (confusion matrix, ROC, precision-recall, scores, per-type "
          + "recall, feature importance, PCA, correlation, timeline; ensemble and DBSCAN extras) into this folder.")
  Path report;

  @Option(names = "--exclude-type", paramLabel = "TYPE", split = ",",
      description = "Leave rows of these anomaly types (or NSL-KDD attack categories) out of the metrics; they are "
          + "still scored in order. With a model trained with the same --exclude-type, this measures it on the "
          + "categories it knows.")
  List<String> excludeTypes;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    DetectionPipeline model = modelOption.load();
    // Which part raised the alerts, for a supervised or hybrid model.
    FiredByTally tally = model.detector() instanceof SupervisedDetector ? new FiredByTally() : null;
    java.util.Set<String> excluded = new java.util.HashSet<>();
    if (excludeTypes != null) {
      excludeTypes.forEach(t -> excluded.add(t.trim().toLowerCase(Locale.ROOT)));
    }
    EvaluationResult result = evaluate(model, input, err, report, tally, excluded);
    if (!"-".equals(json)) {
      out.print(result.toTable());
      if (tally != null) {
        out.print(tally.toTable());
      }
      out.flush();
    }
    if (json != null) {
      var node = result.toJson();
      if (tally != null) {
        node.set("fired_by", tally.toJson());
      }
      String text = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(node);
      if (json.equals("-")) {
        out.println(text);
      } else {
        java.nio.file.Files.writeString(Path.of(json), text + "\n");
        out.println("metrics written to " + json);
      }
    }
    if (report != null) {
      out.println("report written to " + report.resolve("index.html"));
    }
    return 0;
  }

  private static EvaluationResult.Builder result(ScoreBuffer buf, double threshold, double rowsPerSecond, String name) {
    double[] scores = buf.scores();
    int[] labels = buf.labels();
    EvaluationResult.Builder b = EvaluationResult.builder(BinaryMetrics.compute(scores, labels, threshold))
        .scoringRowsPerSecond(rowsPerSecond).model(name);
    if (Arrays.stream(buf.types()).anyMatch(t -> t != null && !t.equals("normal"))) {
      b.perType(TypeRecall.compute(scores, buf.types(), labels, threshold));
    }
    return b;
  }

  /** A member's name in the table: its family, "eif" for an extended forest, numbered if repeated. */
  private static String memberName(io.netanomaly.core.detect.Detector d, java.util.Set<String> taken) {
    String base = d instanceof io.netanomaly.core.detect.iforest.IsolationForest f && f.extended() ? "eif" : d.kind();
    String name = base;
    for (int i = 2; taken.contains(name); i++) {
      name = base + "#" + i;
    }
    return name;
  }

  private static long sum(long[] v) {
    long t = 0;
    for (long x : v) {
      t += x;
    }
    return t;
  }

  /** Scores the data (its held-out part with --split) and computes the metrics. */
  static EvaluationResult evaluate(DetectionPipeline model, DataOptions input, PrintWriter err) throws Exception {
    return evaluate(model, input, err, null);
  }

  /** As {@link #evaluate(DetectionPipeline, DataOptions, PrintWriter)}, also writing the chart report into {@code reportDir} unless null. */
  static EvaluationResult evaluate(DetectionPipeline model, DataOptions input, PrintWriter err, Path reportDir)
      throws Exception {
    return evaluate(model, input, err, reportDir, null, java.util.Set.of());
  }

  /**
   * As {@link #evaluate(DetectionPipeline, DataOptions, PrintWriter, Path)}, also counting in
   * {@code tally} (unless null) what fired on each row, and leaving rows whose anomaly type is in
   * {@code excludedTypes} (lower case) out of the metrics.
   */
  static EvaluationResult evaluate(DetectionPipeline model, DataOptions input, PrintWriter err, Path reportDir,
      FiredByTally tally, java.util.Set<String> excludedTypes) throws Exception {
    HoldoutSplit split = input.holdout();
    if (split == null && model.training().split() != null && input.displayName().equals(model.training().data())) {
      err.println("warning: the model was trained on a " + model.training().split() + " split of "
          + model.training().data() + "; pass the same --split to evaluate on the held-out rows only");
    }
    try (RowSource src = input.open();
        Progress p = Progress.start("scoring " + input.displayName(), Math.max(1, src.totalBytes() / 1024), "KiB")) {
      ModelOption.checkSchema(model.schema(), src.schema(), input.displayName());
      ScoreBuffer buf = new ScoreBuffer();
      Ensemble ensemble = model.detector() instanceof Ensemble e ? e : null;
      int members = ensemble == null ? 0 : ensemble.members().size();
      ScoreBuffer[] memberBufs = new ScoreBuffer[members];
      long[] memberNanos = new long[members];
      for (int m = 0; m < members; m++) {
        memberBufs[m] = new ScoreBuffer();
      }
      DetectionPipeline.Session session = model.newSession();
      int width = model.features().width();
      EvaluationRecorder recorder = reportDir == null ? null
          : new EvaluationRecorder(width, EvaluationRecorder.DEFAULT_CAPACITY, model.training().seed());
      int timeColumn = model.schema().firstOfType(FieldType.TIMESTAMP);
      long[] scoringNanos = {0};
      long start = System.nanoTime();
      BatchScoring.run(src, session, 4096, split == null ? null : i -> !split.isTraining(i),
          (rows, s, raw) -> {
            for (int i = 0; i < rows.size(); i++) {
              Row r = rows.get(i);
              if (!r.isLabelled()) {
                throw new IllegalArgumentException(input.displayName() + ":" + r.line()
                    + ": row has no label; evaluate needs labelled data");
              }
              if (!excludedTypes.isEmpty() && r.anomalyType() != null
                  && excludedTypes.contains(r.anomalyType().toLowerCase(Locale.ROOT))) {
                continue;
              }
              buf.add(s[i], r.label(), r.anomalyType());
              if (tally != null) {
                tally.add(session.lastFiredBy(i), r.label(), r.anomalyType());
              }
              if (recorder != null) {
                double t = timeColumn < 0 ? Double.NaN : r.number(timeColumn);
                recorder.add(session.lastFeatures(), i * width, r.label(), s[i],
                    Double.isNaN(t) ? EvaluationRecorder.NO_TIME : (long) t);
              }
            }
            if (ensemble != null) {
              // Each member again on the same features, to report it on its own.
              Matrix x = new Matrix(session.lastFeatures(), rows.size(), width);
              for (int m = 0; m < members; m++) {
                long t0 = System.nanoTime();
                double[] ms = ensemble.members().get(m).score(x);
                memberNanos[m] += System.nanoTime() - t0;
                for (int i = 0; i < rows.size(); i++) {
                  String type = rows.get(i).anomalyType();
                  if (excludedTypes.isEmpty() || type == null || !excludedTypes.contains(type.toLowerCase(Locale.ROOT))) {
                    memberBufs[m].add(ms[i], rows.get(i).label(), type);
                  }
                }
              }
            }
          }, done -> p.stepTo(src.bytesRead() / 1024));
      double seconds = (System.nanoTime() - start) / 1e9 - sum(memberNanos) / 1e9;
      DataOptions.reportSkipped(src, err);
      if (buf.size == 0) {
        throw new IllegalArgumentException(input.displayName() + ": no rows to evaluate");
      }
      EvaluationResult.Builder b = result(buf, model.threshold().value(), buf.size / seconds, model.detector().kind());
      if (ensemble != null) {
        Map<String, EvaluationResult> each = new LinkedHashMap<>();
        for (int m = 0; m < members; m++) {
          // A member flags what its ensemble vote would: at or above its (1 - contamination) training quantile.
          double t = Quantile.of(ensemble.quantiles(m), 1 - ensemble.contamination());
          each.put(memberName(ensemble.members().get(m), each.keySet()),
              result(memberBufs[m], t, memberBufs[m].size / (memberNanos[m] / 1e9), null).build());
        }
        b.detectors(each);
      }
      EvaluationResult result = b.build();
      if (reportDir != null) {
        EvaluationData.Builder data = EvaluationData.builder(model.detector().kind(), input.displayName(),
                model.threshold().value())
            .metrics(result).rows(buf.scores(), buf.labels(), buf.types())
            .recorded(recorder, model.features().featureNames());
        List<String> names = new ArrayList<>(result.detectors().keySet());
        for (int m = 0; m < members; m++) {
          data.member(names.get(m), memberBufs[m].scores());
        }
        // a DBSCAN model, alone or in an ensemble; the model file keeps no training rows to redraw its clusters from
        List<Detector> detectors = ensemble == null ? List.of(model.detector()) : ensemble.members();
        detectors.stream().filter(d -> d instanceof PcaDbscan).findFirst()
            .ifPresent(d -> data.dbscan((PcaDbscan) d, null));
        EvaluationReport.write(data.build(), reportDir);
      }
      return result;
    }
  }
}
