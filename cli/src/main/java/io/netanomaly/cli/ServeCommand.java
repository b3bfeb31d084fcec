package io.netanomaly.cli;

import io.netanomaly.core.pipeline.DetectionPipeline;
import io.netanomaly.core.schema.FlowSchema;
import io.netanomaly.core.schema.Row;
import io.netanomaly.core.synth.TrafficSimulator;
import io.netanomaly.server.DetectionServer;
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
    LiveModel live;
    if (model != null) {
      live = new LiveModel(DetectionPipeline.load(model), model, "file " + model);
    } else {
      out.println("no --model given: training a default model on 20,000 simulated flows (seed 1)...");
      out.flush();
      live = new LiveModel(defaultModel(), null, "trained at start-up on 20,000 simulated flows (seed 1)");
    }
    DetectionServer server = new DetectionServer(live, options).start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "netanomaly-serve-stop"));
    out.printf(Locale.ROOT, "serving %s on http://%s:%d/ (API %s; Ctrl-C stops)%n", live.current().origin(),
        host.contains(":") ? "[" + host + "]" : host, server.port(),
        options.apiKey() == null ? "open, no key" : "POST needs the API key from $" + apiKeyEnv);
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
