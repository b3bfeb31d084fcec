package io.netanomaly.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netanomaly.core.detect.bench.ForestBenchmark;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code netanomaly bench}: isolation forest training and scoring throughput on a generated matrix. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Measure isolation forest training and scoring throughput on a generated dense matrix",
        "(lognormal values, like ../shared/anchors/if_speed.py, so the figures can be set beside scikit-learn's)."})
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

  @Override
  public Integer call() throws Exception {
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
}
