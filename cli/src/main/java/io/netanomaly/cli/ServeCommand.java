package io.netanomaly.cli;

import io.netanomaly.core.pipeline.DetectionPipeline;
import io.netanomaly.core.schema.FlowSchema;
import io.netanomaly.core.schema.Row;
import io.netanomaly.core.synth.TrafficSimulator;
import io.netanomaly.llm.LlmAnalyst;
import io.netanomaly.llm.LlmConfig;
import io.netanomaly.server.DetectionServer;

import io.netanomaly.store.AlertStore;
import io.netanomaly.store.CsvIncidentLog;
import io.netanomaly.stream.sink.IncidentLogSink;
import io.netanomaly.stream.sink.LlmSink;
import io.netanomaly.server.LiveModel;
import io.netanomaly.server.ServerOptions;
import io.netanomaly.stream.ShutdownHook;
import io.netanomaly.stream.WatchLoop;
import io.netanomaly.stream.WatchOptions;
import io.netanomaly.stream.source.MalformedLines;
import io.netanomaly.stream.source.Source;
import io.netanomaly.stream.source.SourceOptions;
import io.netanomaly.stream.source.Sources;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.function.Consumer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code netanomaly serve}: the REST API. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Serve the dashboard at / and the REST API: POST /api/v1/predict, GET /api/v1/model,",
        "POST /api/v1/model/reload, GET /api/v1/alerts[/summary|/{id}|/stream (live feed)], /api/v1/openapi.json,",
        "/health, /ready, /metrics. With --watch it also scores a stream of flows and shows its alerts."})
final class ServeCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--model", paramLabel = "MODEL",
      description = "Model file to serve (default: train one on 20,000 simulated flows at start-up).")
  Path model;

  @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
      description = "Interface to bind (default: ${DEFAULT-VALUE}; use 0.0.0.0 to expose it).")
  String host;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080", description = "Port (default: ${DEFAULT-VALUE}; 0 = any free).")
  int port;

  @Option(names = "--api-key-env", paramLabel = "VAR", defaultValue = "NETANOMALY_API_KEY",
      description = "Environment variable holding the API key that POST endpoints require (default: ${DEFAULT-VALUE}; unset = no key).")
  String apiKeyEnv;

  @Option(names = "--max-records", paramLabel = "N", defaultValue = "10000",
      description = "Most records per predict request (default: ${DEFAULT-VALUE}).")
  int maxRecords;

  @Option(names = "--max-body", paramLabel = "BYTES", defaultValue = "8388608",
      description = "Largest request body in bytes (default: ${DEFAULT-VALUE}).")
  long maxBody;

  @Option(names = "--cors", paramLabel = "ORIGIN", split = ",",
      description = "Origins allowed to call the API from a browser (default: none, CORS off).")
  List<String> cors;

  @Option(names = "--db", paramLabel = "URL", defaultValue = "netanomaly.db",
      description = "Alert store: a SQLite file (default: ${DEFAULT-VALUE}) or jdbc:postgresql://host/db (user and password from the URL or NETANOMALY_DB_USER/NETANOMALY_DB_PASSWORD); 'none' keeps no alerts.")
  String db;

  @Option(names = "--incident-log", paramLabel = "FILE",
      description = "Also append every alert to this CSV incident log (seed columns: timestamp, src_ip, dst_ip, src_port, dst_port, packet_size, duration_ms, protocol, anomaly_score, anomaly_type, llm_analysis).")
  Path incidentLog;

  @Option(names = "--llm", paramLabel = "PROVIDER",
      description = "LLM analyst: none, ollama or openai (default: from NETANOMALY_LLM_PROVIDER, OLLAMA_API_URL or TOGETHER_API_KEY; else none). Base URL, model, key, max tokens and temperature come from the environment (see README).")
  String llm;

  @Option(names = "--log-file", paramLabel = "FILE", defaultValue = "netanomaly-server.log",
      description = "Server log: one line per request (id, status, time, records, anomalies) and per LLM outcome; rolls over at 10 MB, 5 old files kept (default: ${DEFAULT-VALUE}).")
  Path logFile;

  @Option(names = "--watch", paramLabel = "SOURCE",
      description = "Also score this stream of flows with the model loaded at start and raise its alerts here (store, live feed, incident log, LLM): "
          + Sources.FORMS + ".")
  String watch;

  @Option(names = "--gzip-answers",
      description = "Gzip predict answers for clients that accept it (less traffic on slow links, more server CPU; off by default). The dashboard's files are always compressed.")
  boolean gzipAnswers;

  @Option(names = "--report", paramLabel = "DIR",
      description = "Serve this evaluation report (written by evaluate --report DIR) at /report/; the dashboard's model page links to it.")
  Path report;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (report != null && !Files.isRegularFile(report.resolve("index.html"))) {
      throw new UsageException("--report " + report + ": no index.html there (write one with evaluate --report DIR)");
    }
    ServerOptions options;
    try {
      options = ServerOptions.builder().host(host).port(port).maxRecords(maxRecords).maxBodyBytes(maxBody)
          .apiKey(System.getenv(apiKeyEnv)).corsOrigins(cors == null ? List.of() : cors)
          .reportDirectory(report).llm(LlmOption.config(llm).describe()).gzipPredictions(gzipAnswers).build();
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    ServerLog.start(logFile);
    LiveModel live;
    if (model != null) {
      live = new LiveModel(DetectionPipeline.load(model), model, "file " + model);
    } else {
      out.println("no --model given: training a default model on 20,000 simulated flows (seed 1)...");
      out.flush();
      live = new LiveModel(defaultModel(), null, "trained at start-up on 20,000 simulated flows (seed 1)");
    }
    LlmConfig llmConfig = LlmOption.config(llm);
    AlertStore store = db.equalsIgnoreCase("none") ? null : AlertStore.open(db);
    DetectionServer server = new DetectionServer(live, options, store);
    IncidentLogSink incidents = incidentLog == null ? null : new IncidentLogSink(CsvIncidentLog.open(incidentLog));
    LlmAnalyst analyst = null;
    if (llmConfig.provider() != LlmConfig.Provider.NONE) {
      analyst = LlmAnalyst.start(llmConfig);
      server.addSink(new LlmSink(analyst, alert -> {
        if (alert.llmAnalysis() != null) {
          if (store != null && alert.id() > 0) {
            store.setLlmAnalysis(alert.id(), alert.llmAnalysis());
          }
          server.feed().update(alert);
        }
        if (incidents != null) {
          incidents.accept(List.of(alert));
        }
      }).bindMetrics(server.registry()));
    } else if (incidents != null) {
      server.addSink(incidents);
    }
    WatchLoop loop = watch == null ? null : watchLoop(live.current().model(), server, err);
    server.start();
    Thread watching = null;
    if (loop != null) {
      watching = new Thread(() -> {
        try {
          loop.run();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        err.println("serve: " + loop.stats().finalLine());
        err.flush();
      }, "serve-watch");
      watching.start();
    }
    // A signal (or an interrupt of this thread) ends the wait below; the stop runs here, and the
    // hook holds the JVM until it is done, then exits 0.
    CountDownLatch stopRequested = new CountDownLatch(1);
    ShutdownHook hook = ShutdownHook.install("serve", stopRequested::countDown, 60_000);
    out.printf(Locale.ROOT, "serving %s on http://%s:%d/ (API %s; Ctrl-C stops)%n", live.current().origin(),
        host.contains(":") ? "[" + host + "]" : host, server.port(),
        options.apiKey() == null ? "open, no key" : "POST needs the API key from $" + apiKeyEnv);
    out.printf("log: %s%n", logFile);
    if (loop != null) {
      out.printf("watching %s: its alerts appear in the dashboard and the alert store%n", watch);
    }
    if (report != null) {
      out.printf(Locale.ROOT, "evaluation report: http://%s:%d/report/index.html%n",
          host.contains(":") ? "[" + host + "]" : host, server.port());
    }
    out.printf("alerts: %s%s; LLM analyst: %s%n", store == null ? "not stored" : "stored in " + store.location(),
        incidentLog == null ? "" : ", logged to " + incidentLog, llmConfig.describe());
    out.flush();
    boolean interrupted = false;
    try {
      stopRequested.await();
    } catch (InterruptedException e) {
      interrupted = true; // an embedding caller's stop: clean up as for a signal, then say so
    }
    try {
      if (loop != null) {
        // the stream's last alerts are stored before the server and its store close
        loop.stop();
        watching.join(30_000);
      }
      server.close();
      if (analyst != null) {
        analyst.close();
      }
      if (incidents != null) {
        incidents.close();
      }
      if (store != null) {
        store.close();
      }
      out.println("serve stopped");
      out.flush();
    } finally {
      hook.close();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    return 0;
  }

  /** A watch loop over {@code --watch} whose alerts go through the server like predicted ones. */
  private WatchLoop watchLoop(DetectionPipeline model, DetectionServer server, PrintWriter err) {
    ModelOption.checkSchema(model.schema(), FlowSchema.SCHEMA, watch);
    Consumer<String> log = line -> {
      err.println("serve: watch: " + line);
      err.flush();
    };
    MalformedLines malformed = new MalformedLines(log);
    Source src;
    try {
      src = Sources.open(watch, SourceOptions.defaults(), malformed, log);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--watch: " + e.getMessage());
    }
    return new WatchLoop(model, src, List.of(server.alertSink()), new WatchOptions(512, 200, 8192, 0), malformed,
        log, line -> { });
  }

  /** The model used when none is given: the simulator's normal traffic mix, 5% anomalies. */
  static DetectionPipeline defaultModel() {
    TrafficSimulator sim = TrafficSimulator.builder().seed(1).anomalyRatio(0.05).build();
    List<Row> rows = new ArrayList<>(20_000);
    for (int i = 0; i < 20_000; i++) {
      rows.add(sim.next().toRow());
    }
    return DetectionPipeline.builder().seed(0).fit(FlowSchema.SCHEMA, rows);
  }
}
