package io.netanomaly.cli;

import io.netanomaly.core.synth.TrafficSimulator;
import io.netanomaly.stream.ShutdownHook;
import io.netanomaly.stream.simulate.FlowFeed;
import io.netanomaly.stream.simulate.SimulatorServer;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.BindException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code netanomaly simulate}: streams simulated flows as JSON Lines to TCP clients (or standard
 * output) at a given rate. Ctrl-C or SIGTERM stops it cleanly with exit status 0.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Stream simulated network flows as JSON lines to every TCP client that connects (or to standard output).",
        "Each client receives the stream from when it connects; the generator starts when --wait-clients clients are "
            + "connected and pauses while none is. A client that falls behind (its queue full for a second while "
            + "another client keeps up) is disconnected; a lone slow client slows the stream instead."})
final class SimulateCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--host", paramLabel = "ADDR", defaultValue = "127.0.0.1",
      description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only).")
  String host;

  @Option(names = "--port", paramLabel = "N", defaultValue = "9999",
      description = "TCP port (default: ${DEFAULT-VALUE}; 0 picks a free one and prints it).")
  int port;

  @Option(names = "--rate", paramLabel = "N", defaultValue = "1000",
      description = "Flows per second (default: ${DEFAULT-VALUE}); 0 = as fast as the clients take them.")
  double rate;

  @Option(names = "--count", paramLabel = "N", defaultValue = "0",
      description = "Stop after N flows and close the connections (default: 0, endless).")
  long count;

  @Option(names = "--anomaly-ratio", paramLabel = "R", defaultValue = "0.05",
      description = "Expected share of anomalous flows in [0, 1] (default: ${DEFAULT-VALUE}).")
  double anomalyRatio;

  @Option(names = "--scenario", paramLabel = "NAME", split = ",",
      description = "Attack scenarios to inject (default: all); see 'generate --help'.")
  List<String> scenarios;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--out", paramLabel = "-", description = "'-' writes the stream to standard output instead of serving it.")
  String out;

  @Option(names = "--wait-clients", paramLabel = "N", defaultValue = "1",
      description = "Clients to wait for before the first flow (default: ${DEFAULT-VALUE}).")
  int waitClients;

  @Option(names = "--client-buffer", paramLabel = "LINES", defaultValue = "8192",
      description = "Lines queued per client before it counts as slow (default: ${DEFAULT-VALUE}).")
  int clientBuffer;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    if (!(anomalyRatio >= 0 && anomalyRatio <= 1) || !(rate >= 0) || Double.isInfinite(rate) || count < 0) {
      throw new UsageException("--anomaly-ratio must be in [0, 1], --rate and --count ≥ 0");
    }
    if (port < 0 || port > 65535 || waitClients < 1 || clientBuffer < 2) {
      throw new UsageException("--port must be 0..65535, --wait-clients ≥ 1, --client-buffer ≥ 2");
    }
    if (out != null && !out.equals("-")) {
      throw new UsageException("--out takes only '-' (standard output); use 'generate' to write a file");
    }
    TrafficSimulator sim = TrafficSimulator.builder().seed(seed).anomalyRatio(anomalyRatio)
        .scenarios(GenerateCommand.parseScenarios(scenarios)).build();
    return out != null ? toStdout(sim, err) : serve(sim, err);
  }

  private int toStdout(TrafficSimulator sim, PrintWriter err) throws IOException {
    AtomicBoolean stopped = new AtomicBoolean();
    long written;
    ShutdownHook hook = ShutdownHook.install("simulate", () -> stopped.set(true), 5_000);
    try {
      OutputStream stdout = new BufferedOutputStream(System.out, 1 << 16);
      written = FlowFeed.write(sim, stdout, rate, count, stopped::get);
      err.printf(Locale.ROOT, "wrote %,d flows%n", written);
    } finally {
      hook.close();
    }
    return 0;
  }

  private int serve(TrafficSimulator sim, PrintWriter err) throws IOException, InterruptedException {
    SimulatorServer server = SimulatorServer.builder().host(host).port(port).rate(rate).count(count)
        .waitForClients(waitClients).clientQueueLines(clientBuffer).notices(err::println).build(sim);
    try {
      server.start();
    } catch (BindException e) {
      throw new IOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    ShutdownHook hook = ShutdownHook.install("simulate", server::close, 5_000);
    try {
      err.printf(Locale.ROOT, "streaming simulated flows on %s:%d (%s, %s); Ctrl-C stops%n", host, server.port(),
          rate == 0 ? "as fast as clients read" : String.format(Locale.ROOT, "%,.0f flows/s", rate),
          count == 0 ? "endless" : String.format(Locale.ROOT, "%,d flows", count));
      while (!server.awaitFinished(1, TimeUnit.SECONDS)) {
        // waits for --count flows or a signal
      }
      err.printf(Locale.ROOT, "sent %,d flows%n", server.sent());
    } finally {
      server.close();
      hook.close();
    }
    return 0;
  }
}
