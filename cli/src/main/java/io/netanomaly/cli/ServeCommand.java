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
import java.io.PrintWriter;
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
    description = {"Serve the REST API: POST /api/v1/predict, GET /api/v1/model, POST /api/v1/model/reload,",
        "GET /api/v1/alerts/stream (live feed), /api/v1/openapi.json, /health, /ready, /metrics."})
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

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    ServerOptions options;
    try {
      options = ServerOptions.builder().host(host).port(port).maxRecords(maxRecords).maxBodyBytes(maxBody)
          .apiKey(System.getenv(apiKeyEnv)).corsOrigins(cors == null ? List.of() : cors).build();
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
    server.start();
    LlmAnalyst runningAnalyst = analyst;
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      if (runningAnalyst != null) {
        runningAnalyst.close();
      }
      try {
        if (incidents != null) {
          incidents.close();
        }
      } catch (java.io.IOException e) {
        System.err.println("incident log: " + e.getMessage());
      }
      if (store != null) {
        store.close();
      }
      stopped.countDown();
    }, "netanomaly-serve-stop"));
    out.printf(Locale.ROOT, "serving %s on http://%s:%d/ (API %s; Ctrl-C stops)%n", live.current().origin(),
        host.contains(":") ? "[" + host + "]" : host, server.port(),
        options.apiKey() == null ? "open, no key" : "POST needs the API key from $" + apiKeyEnv);
    out.printf("log: %s%n", logFile);
    out.printf("alerts: %s%s; LLM analyst: %s%n", store == null ? "not stored" : "stored in " + store.location(),
        incidentLog == null ? "" : ", logged to " + incidentLog, llmConfig);
    out.flush();
    stopped.await();
    return 0;
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
