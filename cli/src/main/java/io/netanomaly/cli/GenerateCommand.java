package io.netanomaly.cli;

import io.netanomaly.core.io.RowWriter;
import io.netanomaly.core.schema.FlowSchema;
import io.netanomaly.core.synth.Scenario;
import io.netanomaly.core.synth.TrafficSimulator;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code netanomaly generate}: writes simulated labelled flows. */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Write simulated network flows with labelled attack scenarios (CSV or JSONL).")
final class GenerateCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--samples", paramLabel = "N", defaultValue = "10000", description = "Rows to write (default: ${DEFAULT-VALUE}).")
  long samples;

  @Option(names = "--anomaly-ratio", paramLabel = "R", defaultValue = "0.05",
      description = "Expected share of anomalous rows in [0, 1] (default: ${DEFAULT-VALUE}).")
  double anomalyRatio;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--scenario", paramLabel = "NAME", split = ",",
      description = "Attack scenarios to inject (default: all): port_scan, syn_flood, data_exfiltration, brute_force, dns_tunneling, beaconing, suspicious_port, large_packet, long_duration, unknown_protocol.")
  List<String> scenarios;

  @Option(names = "--out", required = true, paramLabel = "FILE",
      description = "Output file: .csv or .jsonl by extension; '-' writes CSV to standard output.")
  Path out;

  @Option(names = "--jsonl", description = "With --out -, write JSON lines instead of CSV.")
  boolean jsonl;

  @Override
  public Integer call() throws Exception {
    PrintWriter stdout = spec.commandLine().getOut();
    if (samples < 0 || !(anomalyRatio >= 0 && anomalyRatio <= 1)) {
      throw new UsageException("--samples must be ≥ 0 and --anomaly-ratio in [0, 1]");
    }
    TrafficSimulator sim = TrafficSimulator.builder().seed(seed).anomalyRatio(anomalyRatio)
        .scenarios(parseScenarios(scenarios)).build();
    boolean toStdout = out.toString().equals("-");
    long anomalies = 0;
    long start = System.nanoTime();
    try (RowWriter w = toStdout
            ? RowWriter.open(System.out, jsonl, FlowSchema.SCHEMA, true, List.of())
            : RowWriter.open(out, FlowSchema.SCHEMA, true, List.of());
        Progress p = Progress.start("generating", samples, "rows")) {
      for (long i = 0; i < samples; i++) {
        var flow = sim.next();
        if (flow.label() == 1) {
          anomalies++;
        }
        w.write(flow.toRow());
        if ((i & 8191) == 0) {
          p.stepTo(i);
        }
      }
      p.stepTo(samples);
    }
    if (!toStdout) {
      stdout.printf(Locale.ROOT, "wrote %,d flows (%,d anomalous, %.2f%%) to %s in %.2f s%n", samples, anomalies,
          samples == 0 ? 0.0 : 100.0 * anomalies / samples, out, (System.nanoTime() - start) / 1e9);
    }
    return 0;
  }

  static List<Scenario> parseScenarios(List<String> names) {
    if (names == null || names.isEmpty()) {
      return new ArrayList<>(EnumSet.allOf(Scenario.class));
    }
    List<Scenario> list = new ArrayList<>();
    for (String n : names) {
      try {
        list.add(Scenario.parse(n.trim()));
      } catch (IllegalArgumentException e) {
        throw new UsageException("--scenario: " + e.getMessage());
      }
    }
    return list;
  }
}
