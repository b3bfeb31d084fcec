package io.netanomaly.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netanomaly.core.detect.bench.ForestBenchmark;
import io.netanomaly.core.pipeline.DetectionPipeline;
import io.netanomaly.core.pipeline.ScoringBenchmark;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code netanomaly bench}: isolation forest training and scoring throughput on a generated matrix,
 * or with {@code --model}, the scoring throughput of any trained model on a data file.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Measure isolation forest training and scoring throughput on a generated dense matrix",
        "(lognormal values, like ../shared/anchors/if_speed.py, so the figures can be set beside scikit-learn's);",
        "with --model, the scoring throughput of a trained model on the rows of --data (read into memory first,",
        "so parsing is left out): transform and score in batches as detect does, and the detector alone.",
        "Detectors use one thread per processor; NETANOMALY_JAVA_OPTS=-XX:ActiveProcessorCount=1 measures one."})
final class BenchCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--rows", paramLabel = "N", defaultValue = "1000000", description = "Rows (default: ${DEFAULT-VALUE}).")
  int rows;

  @Option(names = "--features", paramLabel = "D", defaultValue = "20", description = "Features (default: ${DEFAULT-VALUE}).")
  int features;

  @Option(names = "--trees", paramLabel = "T", defaultValue = "100", description = "Trees (default: ${DEFAULT-VALUE}).")
  int trees;

  @Option(names = "--threads", paramLabel = "K", defaultValue = "1", description = "Threads (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Option(names = "--model", paramLabel = "MODEL", description = "Benchmark this model file (written by 'train') on --data.")
  Path model;

  @Option(names = "--data", paramLabel = "FILE", description = "With --model: the rows to score.")
  Path data;

  @Option(names = "--format", paramLabel = "F", defaultValue = "auto",
      description = "With --model: auto, flow, csv, nsl-kdd or unsw-nb15 (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--split", paramLabel = "SHARE",
      description = "With --model: score only the held-out rows of this random split (as evaluate --split).")
  Double split;

  @Option(names = "--split-seed", paramLabel = "S", defaultValue = "0", description = "Seed of the --split (default: ${DEFAULT-VALUE}).")
  long splitSeed;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "4096",
      description = "With --model: rows per scored batch (default: ${DEFAULT-VALUE}, as evaluate and detect).")
  int batch;

  @Override
  public Integer call() throws Exception {
    if (model != null || data != null) {
      return benchModel();
    }
    if (rows < 256 || features < 1 || trees < 1 || threads < 1) {
      throw new UsageException("--rows ≥ 256, --features ≥ 1, --trees ≥ 1 and --threads ≥ 1 are required");
    }
    PrintWriter out = spec.commandLine().getOut();
    ForestBenchmark.Result r;
    try (Progress p = Progress.start("bench", 100, "%")) {
      r = ForestBenchmark.run(rows, features, trees, threads, seed, pct -> p.stepTo(pct));
    }
    if (json) {
      out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(r.toJsonNode()));
    } else {
      out.printf(Locale.ROOT, "netanomaly IF n=%d d=%d trees=%d threads=%d: fit %.2fs, score %.2fs = %,.0f rows/s%n",
          rows, features, trees, threads, r.fitSeconds(), r.scoreSeconds(), r.scoreRowsPerSecond());
    }
    return 0;
  }

  private int benchModel() throws Exception {
    if (model == null || data == null) {
      throw new UsageException("--model and --data go together");
    }
    if (batch < 1) {
      throw new UsageException("--batch must be ≥ 1");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    DataOptions input = DataOptions.of(data);
    input.format = format;
    input.split = split;
    input.splitSeed = splitSeed;
    DetectionPipeline pipeline = DetectionPipeline.load(model);
    LoadedData loaded = LoadedData.read(input, input.holdout(), false, err);
    ModelOption.checkSchema(pipeline.schema(), loaded.schema, input.displayName());
    if (loaded.rows.isEmpty()) {
      throw new UsageException(input.displayName() + ": no rows to score");
    }
    ScoringBenchmark.Result r = ScoringBenchmark.run(pipeline, loaded.rows, batch);
    if (json) {
      out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(r.toJsonNode()));
    } else {
      out.println(r);
    }
    return 0;
  }
}
