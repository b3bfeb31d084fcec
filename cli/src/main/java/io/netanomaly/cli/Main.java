package io.netanomaly.cli;

import io.netanomaly.core.io.InputException;
import io.netanomaly.core.model.ModelFormatException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code netanomaly} command line. Exit codes: 0 ok, 1 failure, 2 usage error.
 */
@Command(name = "netanomaly", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Network traffic anomaly detection: learn normal traffic, score flows, explain alerts.",
    subcommands = {GenerateCommand.class, TrainCommand.class, EvaluateCommand.class, DetectCommand.class,
        BenchCommand.class, ServeCommand.class, LoadtestCommand.class, SimulateCommand.class, WatchCommand.class,
        ReportCommand.class, DemoCommand.class, CommandLine.HelpCommand.class},
    footer = {"", "Run 'netanomaly COMMAND --help' for a command's options.", "Exit codes: 0 ok, 1 failure, 2 usage error."})
public final class Main implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the CLI with the given streams and returns the exit code (used by tests). */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      PrintWriter e = commandLine.getErr();
      if (ex instanceof InputException) {
        e.println("error: " + ex.getMessage());
        return 1;
      }
      if (ex instanceof ModelFormatException) {
        e.println("error: cannot load model: " + ex.getMessage());
        return 1;
      }
      if (ex instanceof UsageException) {
        e.println("error: " + ex.getMessage());
        e.println("Run 'netanomaly " + commandLine.getCommandName() + " --help' for usage.");
        return 2;
      }
      if (ex instanceof java.nio.file.NoSuchFileException) {
        e.println("error: no such file: " + ex.getMessage());
        return 1;
      }
      if (ex instanceof java.io.IOException || ex instanceof IllegalArgumentException
          || ex instanceof IllegalStateException) {
        e.println("error: " + ex.getMessage());
        return 1;
      }
      e.println("error: " + ex);
      ex.printStackTrace(e);
      return 1;
    });
    return cl.execute(args);
  }

  /** Prints the version. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"netanomaly " + io.netanomaly.core.pipeline.DetectionPipeline.VERSION,
          "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
    }
  }
}
