package io.netanomaly.cli;

import io.netanomaly.core.pipeline.DetectionPipeline;
import io.netanomaly.report.Incident;
import io.netanomaly.report.IncidentDashboard;
import io.netanomaly.report.IncidentLogReader;
import io.netanomaly.store.AlertPage;
import io.netanomaly.store.AlertQuery;
import io.netanomaly.store.AlertStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code netanomaly report}: draws the 8-panel incident dashboard from an incident log or the alert store. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Draw the incident dashboard: anomalies by source port, packet size, score distribution, protocol "
        + "breakdown, duration vs packet size, anomaly types, detection timeline and an executive summary.",
        "Writes OUT/incident-dashboard.png (all eight panels), one PNG per panel and OUT/index.html."})
final class ReportCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  /** Where the alerts come from: exactly one of the two. */
  static final class Source {
    @Option(names = "--alerts", paramLabel = "CSV", description = "The CSV incident log (as 'watch --incident-log' writes it).")
    Path alerts;

    @Option(names = "--db", paramLabel = "URL",
        description = "The alert store: a SQLite file, sqlite:PATH, jdbc:sqlite:PATH or jdbc:postgresql://HOST/DB.")
    String db;
  }

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write the dashboard into.")
  Path out;

  @Option(names = "--model", paramLabel = "FILE",
      description = "A model file: the packet-size panel then compares the anomalies with the normal range it learned.")
  Path model;

  @Override
  public Integer call() throws Exception {
    PrintWriter outw = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<Incident> incidents;
    String name;
    if (source.alerts != null) {
      incidents = IncidentLogReader.read(source.alerts);
      name = source.alerts.toString();
    } else {
      try (AlertStore store = AlertStore.open(source.db)) {
        incidents = readAll(store);
        name = "the alert store at " + store.location();
      }
    }
    IncidentDashboard.NormalRange normal = null;
    if (model != null) {
      DetectionPipeline m = DetectionPipeline.load(model);
      int j = m.features().featureNames().indexOf("packet_size");
      if (j < 0) {
        err.println("warning: model " + model + " has no packet_size feature; the packet-size panel shows types instead");
      } else {
        normal = new IncidentDashboard.NormalRange(m.features().normalLow(j), m.features().normalHigh(j));
      }
    }
    List<Path> files = IncidentDashboard.write(incidents, name, normal, out);
    outw.printf("incident dashboard of %,d alerts written to %s (%d charts)%n", incidents.size(),
        out.resolve("index.html"), files.size());
    return 0;
  }

  /** Every alert in the store, newest first, a page at a time. */
  static List<Incident> readAll(AlertStore store) {
    List<Incident> all = new ArrayList<>();
    AlertQuery q = AlertQuery.all().limit(AlertQuery.MAX_LIMIT);
    while (true) {
      AlertPage page = store.query(q);
      page.alerts().forEach(a -> all.add(Incident.of(a)));
      if (page.nextCursor() == null) {
        return all;
      }
      q = q.cursor(page.nextCursor());
    }
  }
}
