package io.netanomaly.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netanomaly.core.eval.EvaluationResult;
import io.netanomaly.core.pipeline.DetectionPipeline;
import io.netanomaly.core.synth.TrafficSimulator;
import io.netanomaly.stream.simulate.SimulatorServer;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code netanomaly demo}: generates a training set and a separate evaluation set, trains,
 * evaluates on the unseen set and scores it, printing a short summary.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Run the whole job on simulated traffic: generate flows, train, evaluate on a separate",
        "simulated set (another seed, never seen in training), write the detections and the evaluation report,",
        "then (unless --no-serve) serve the dashboard with a simulated live stream feeding it; Ctrl-C stops."})
final class DemoCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--samples", paramLabel = "N", defaultValue = "10000", description = "Flows per set (default: ${DEFAULT-VALUE}).")
  long samples;

  @Option(names = "--anomaly-ratio", paramLabel = "R", defaultValue = "0.05", description = "Anomaly share (default: ${DEFAULT-VALUE}).")
  double anomalyRatio;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
      description = "Seed of the training set; the evaluation set uses seed+1 (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--dir", paramLabel = "DIR", defaultValue = "netanomaly-demo",
      description = "Folder for the demo's files (default: ${DEFAULT-VALUE}).")
  Path dir;

  @Option(names = "--no-serve", description = "Stop after the report instead of serving the dashboard.")
  boolean noServe;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080",
      description = "Dashboard port (default: ${DEFAULT-VALUE}; when taken, any free port is used).")
  int port;

  @Option(names = "--rate", paramLabel = "N", defaultValue = "50",
      description = "Flows per second of the simulated live stream behind the dashboard (default: ${DEFAULT-VALUE}).")
  double rate;

  @Override
  public Integer call() throws Exception {
    if (port < 0 || port > 65535 || !(rate > 0) || Double.isInfinite(rate)) {
      throw new UsageException("--port must be 0..65535 and --rate a positive number");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    long start = System.nanoTime();
    Files.createDirectories(dir);
    Path train = dir.resolve("train.csv");
    Path test = dir.resolve("test.csv");
    Path model = dir.resolve("model.nam");
    Path metrics = dir.resolve("evaluation.json");
    Path detections = dir.resolve("detections.csv");
    String n = Long.toString(samples);
    int steps = noServe ? 4 : 5;
    String r = Double.toString(anomalyRatio);
    out.println("== 1/" + steps + " generate: " + n + " training flows (seed " + seed + ") and " + n
        + " evaluation flows (seed " + (seed + 1) + "), " + anomalyRatio * 100 + "% anomalies");
    sub(new GenerateCommand(), "--samples", n, "--anomaly-ratio", r, "--seed", Long.toString(seed), "--out", train.toString());
    sub(new GenerateCommand(), "--samples", n, "--anomaly-ratio", r, "--seed", Long.toString(seed + 1), "--out", test.toString());
    out.println("== 2/" + steps + " train: isolation forest, 100 trees, contamination " + r);
    sub(new TrainCommand(), "--data", train.toString(), "--out", model.toString(), "--contamination", r, "--seed", "0");
    out.println("== 3/" + steps + " evaluate on the unseen evaluation set");
    DetectionPipeline m = DetectionPipeline.load(model);
    DataOptions in = DataOptions.of(test);
    Path report = dir.resolve("report");
    EvaluationResult result = EvaluateCommand.evaluate(m, in, err, report);
    Files.writeString(metrics, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(result.toJson()) + "\n");
    out.print(result.toTable());
    out.println("== 4/" + steps + " detect: score the evaluation set and write verdicts");
    sub(new DetectCommand(), "--model", model.toString(), "--data", test.toString(), "--out", detections.toString());
    out.printf(Locale.ROOT, "%ndemo: batch steps finished in %.1f s. Files in %s/: train.csv, test.csv, model.nam, evaluation.json, detections.csv,%n"
        + "and the evaluation report with its charts: %s%n", (System.nanoTime() - start) / 1e9, dir,
        report.resolve("index.html"));
    if (noServe) {
      out.println("Next: ./netanomaly evaluate --model " + model + " --data " + test + "   (or any command with --help)");
      return 0;
    }
    out.printf(Locale.ROOT, "== 5/5 serve: the dashboard, fed by a simulated live stream of %,.0f flows/s (seed %d)%n",
        rate, seed + 2);
    out.flush();
    serve(model, report);
    return 0;
  }

  /**
   * Streams simulated flows (event time starting now) from a loopback simulator server into
   * {@code serve --watch}, which blocks until Ctrl-C.
   */
  private void serve(Path model, Path report) throws java.io.IOException {
    TrafficSimulator sim = TrafficSimulator.builder().seed(seed + 2).anomalyRatio(anomalyRatio)
        .startMillis(System.currentTimeMillis()).flowsPerSecond(rate).build();
    SimulatorServer stream = SimulatorServer.builder().host("127.0.0.1").port(0).rate(rate)
        .notices(line -> {
          spec.commandLine().getErr().println("demo stream: " + line);
          spec.commandLine().getErr().flush();
        }).build(sim);
    stream.start();
    try {
      // serve's own shutdown hook stops it (and so this demo) on Ctrl-C; the stream closes after it,
      // so the watch loop never sees its source go away first
      sub(new ServeCommand(), "--model", model.toString(), "--port", Integer.toString(freePort(port)),
          "--db", dir.resolve("alerts.db").toString(), "--incident-log", dir.resolve("anomaly_log.csv").toString(),
          "--log-file", dir.resolve("server.log").toString(), "--report", report.toString(),
          "--watch", "tcp://127.0.0.1:" + stream.port());
    } finally {
      stream.close();
    }
  }

  /** {@code wanted} when it can be bound on loopback, else 0 (any free port). */
  private int freePort(int wanted) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress("127.0.0.1", wanted));
      return wanted;
    } catch (java.io.IOException e) {
      spec.commandLine().getOut().printf("port %d is taken: using a free one%n", wanted);
      return 0;
    }
  }

  private void sub(Object command, String... args) {
    CommandLine cl = new CommandLine(command);
    cl.setOut(spec.commandLine().getOut());
    cl.setErr(spec.commandLine().getErr());
    cl.setExecutionExceptionHandler(spec.commandLine().getExecutionExceptionHandler());
    int code = cl.execute(args);
    if (code != 0) {
      throw new IllegalStateException("demo step '" + cl.getCommandName() + "' failed with exit code " + code);
    }
  }
}
