package io.netanomaly.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netanomaly.core.eval.EvaluationResult;
import io.netanomaly.core.pipeline.DetectionPipeline;
import java.io.PrintWriter;
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
        "simulated set (another seed, never seen in training) and write the detections."})
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

  @Override
  public Integer call() throws Exception {
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
    String r = Double.toString(anomalyRatio);
    out.println("== 1/4 generate: " + n + " training flows (seed " + seed + ") and " + n
        + " evaluation flows (seed " + (seed + 1) + "), " + anomalyRatio * 100 + "% anomalies");
    sub(new GenerateCommand(), "--samples", n, "--anomaly-ratio", r, "--seed", Long.toString(seed), "--out", train.toString());
    sub(new GenerateCommand(), "--samples", n, "--anomaly-ratio", r, "--seed", Long.toString(seed + 1), "--out", test.toString());
    out.println("== 2/4 train: isolation forest, 100 trees, contamination " + r);
    sub(new TrainCommand(), "--data", train.toString(), "--out", model.toString(), "--contamination", r, "--seed", "0");
    out.println("== 3/4 evaluate on the unseen evaluation set");
    DetectionPipeline m = DetectionPipeline.load(model);
    DataOptions in = DataOptions.of(test);
    Path report = dir.resolve("report");
    EvaluationResult result = EvaluateCommand.evaluate(m, in, err, report);
    Files.writeString(metrics, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(result.toJson()) + "\n");
    out.print(result.toTable());
    out.println("== 4/4 detect: score the evaluation set and write verdicts");
    sub(new DetectCommand(), "--model", model.toString(), "--data", test.toString(), "--out", detections.toString());
    out.printf(Locale.ROOT, "%ndemo finished in %.1f s. Files in %s/: train.csv, test.csv, model.nam, evaluation.json, detections.csv,%n"
        + "and the evaluation report with its charts: %s%n", (System.nanoTime() - start) / 1e9, dir,
        report.resolve("index.html"));
    out.println("Next: ./netanomaly evaluate --model " + model + " --data " + test + "   (or any command with --help)");
    return 0;
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
