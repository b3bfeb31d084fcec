package io.netanomaly.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code netanomaly loadtest}: concurrent predict requests against a running server. */
@Command(name = "loadtest", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Send concurrent POST /api/v1/predict requests (normal and anomalous simulated flows) and report",
        "throughput, latency percentiles (HdrHistogram, corrected for coordinated omission) and status counts."})
final class LoadtestCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--url", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080/api/v1/predict",
      description = "Predict endpoint (default: ${DEFAULT-VALUE}).")
  URI url;

  @Option(names = "--concurrency", paramLabel = "C", defaultValue = "32", description = "Concurrent workers (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--requests", paramLabel = "N", description = "Stop after N requests (default: 10,000 unless --duration).")
  Long requests;

  @Option(names = "--duration", paramLabel = "S", description = "Stop after S seconds.")
  Double duration;

  @Option(names = "--warmup", paramLabel = "S", defaultValue = "0",
      description = "Send requests for S seconds first and leave them out of every figure (the client's own JIT and connection set-up; default: ${DEFAULT-VALUE}, count everything).")
  double warmup;

  @Option(names = "--batch", paramLabel = "B", defaultValue = "1", description = "Records per request (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--anomalous-share", paramLabel = "F", defaultValue = "0.05",
      description = "Share of anomalous flows in the requests (default: ${DEFAULT-VALUE}).")
  double anomalousShare;

  @Option(names = "--rate", paramLabel = "R", defaultValue = "0",
      description = "Target requests per second in all (open loop; latency counted from when each request was due). 0 = as fast as the server answers.")
  double rate;

  @Option(names = "--api-key-env", paramLabel = "VAR", defaultValue = "NETANOMALY_API_KEY",
      description = "Environment variable holding the API key to send (default: ${DEFAULT-VALUE}).")
  String apiKeyEnv;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seed of the request bodies (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Option(names = "--log", paramLabel = "FILE", defaultValue = "loadtest.log",
      description = "Append the result (JSON, one line per run) to this file (default: ${DEFAULT-VALUE}).")
  Path log;

  @Override
  public Integer call() throws Exception {
    if (concurrency < 1 || batch < 1 || !(anomalousShare >= 0 && anomalousShare <= 1) || rate < 0
        || !(warmup >= 0) || Double.isInfinite(warmup)
        || (requests != null && requests < 1) || (duration != null && !(duration > 0))) {
      throw new UsageException("--concurrency ≥ 1, --batch ≥ 1, --anomalous-share in [0, 1], --rate ≥ 0, --warmup ≥ 0, "
          + "--requests ≥ 1 and --duration > 0 are required");
    }
    if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
      throw new UsageException("--url: expected an http:// or https:// URL, got " + url);
    }
    long n = requests != null ? requests : (duration == null ? 10_000 : 0);
    LoadTest.Plan plan = new LoadTest.Plan(url, concurrency, n, duration == null ? 0 : duration, batch,
        anomalousShare, rate, System.getenv(apiKeyEnv), seed, warmup);
    LoadTest test = new LoadTest(plan);
    LoadTest.Result r;
    try (Progress p = Progress.start("loadtest", n > 0 ? n : -1, "req")) {
      r = test.run(p::stepTo);
    }
    var node = r.toJson(plan);
    node.put("finished", Instant.now().toString());
    ObjectMapper mapper = new ObjectMapper();
    Files.writeString(log, mapper.writeValueAsString(node) + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(node));
    } else {
      var h = r.correctedMicros();
      out.printf(Locale.ROOT, "%,d requests (%,d records) in %.2f s: %,.0f requests/s, %,.0f records/s%n",
          r.requests(), r.records(), r.seconds(), r.requestsPerSecond(), r.recordsPerSecond());
      out.printf(Locale.ROOT, "latency ms (corrected for coordinated omission): p50 %.2f  p90 %.2f  p99 %.2f  max %.2f%n",
          h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(90) / 1000.0,
          h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0);
      out.println("status: " + r.statusCounts() + (r.errors().isEmpty() ? "" : "  errors: " + r.errors()));
      out.printf(Locale.ROOT, "anomalies reported: %,d; result appended to %s%n", r.anomaliesReported(), log);
    }
    return r.errors().isEmpty() ? 0 : 1;
  }
}
