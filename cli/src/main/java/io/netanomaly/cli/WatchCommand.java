package io.netanomaly.cli;

import io.netanomaly.core.pipeline.DetectionPipeline;
import io.netanomaly.core.schema.FlowSchema;
import io.netanomaly.llm.LlmAnalyst;
import io.netanomaly.llm.LlmConfig;
import io.netanomaly.store.AlertStore;
import io.netanomaly.store.CsvIncidentLog;
import io.netanomaly.stream.AlertSink;
import io.netanomaly.stream.sink.IncidentLogSink;
import io.netanomaly.stream.sink.LlmSink;
import io.netanomaly.stream.sink.StoreSink;
import io.netanomaly.stream.ConsoleAlertSink;
import io.netanomaly.stream.ShutdownHook;
import io.netanomaly.stream.WatchLoop;
import io.netanomaly.stream.WatchOptions;
import io.netanomaly.stream.source.MalformedLines;
import io.netanomaly.stream.source.Source;
import io.netanomaly.stream.source.SourceOptions;
import io.netanomaly.stream.source.Sources;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code netanomaly watch}: scores a live stream of flows in micro-batches and prints an alert card
 * for each anomaly, with a statistics line on standard error. SIGINT/SIGTERM stop reading, score
 * what is queued, flush every sink and exit 0; a {@code kill -9} loses at most the queued rows
 * plus the batch in flight (see {@link WatchOptions}).
 */
@Command(name = "watch", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Score a live stream of flows and print an alert card for each anomaly.",
        "Sources: tcp://HOST:PORT (reconnects with backoff unless --no-reconnect), file:PATH[?follow], "
            + "zeek:PATH[?follow] (Zeek conn.log, TSV or JSON), - (stdin, JSON lines or CSV with a header).",
        "Malformed lines are counted and logged, never fatal. Ctrl-C scores what is queued, flushes and exits 0."})
final class WatchCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Mixin
  ModelOption modelOption;

  @Option(names = "--source", required = true, paramLabel = "SOURCE",
      description = "tcp://HOST:PORT, file:PATH[?follow], zeek:PATH[?follow] or - (stdin).")
  String source;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "512",
      description = "Rows scored together (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--max-delay-ms", paramLabel = "MS", defaultValue = "200",
      description = "Longest a row waits for its batch to fill (default: ${DEFAULT-VALUE}).")
  long maxDelayMillis;

  @Option(names = "--queue", paramLabel = "N", defaultValue = "8192",
      description = "Rows read ahead of scoring; reading pauses when full (default: ${DEFAULT-VALUE}).")
  int queue;

  @Option(names = "--quiet", description = "No alert cards (statistics only).")
  boolean quiet;

  @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto",
      description = "Colour the cards: auto (on a terminal), always, never (default: ${DEFAULT-VALUE}).")
  String color;

  @Option(names = "--stats-interval", paramLabel = "SECONDS", defaultValue = "10",
      description = "Seconds between statistics lines on standard error; 0 for none (default: ${DEFAULT-VALUE}).")
  double statsInterval;

  @Option(names = "--db", paramLabel = "URL",
      description = "Also keep alerts in this store: a SQLite file (e.g. netanomaly.db) or jdbc:postgresql://host/db.")
  String db;

  @Option(names = "--log", paramLabel = "FILE",
      description = "Append every alert to this CSV incident log (e.g. anomaly_log.csv; seed columns plus src_ip, dst_ip).")
  Path incidentLog;

  @Option(names = "--llm", paramLabel = "PROVIDER",
      description = "LLM analyst: none, ollama or openai (default: from NETANOMALY_LLM_PROVIDER, OLLAMA_API_URL or TOGETHER_API_KEY; else none). Alerts never wait for it.")
  String llm;

  @Option(names = "--online",
      description = "Also run a Random Cut Forest that learns from the stream after a warm-up, so normal follows drift; its alerts say detector rcf-online.")
  boolean online;

  @Option(names = "--online-warmup", paramLabel = "N", defaultValue = "5000",
      description = "Flows that train the online forest before it scores (default: ${DEFAULT-VALUE}).")
  int onlineWarmup;

  @Option(names = "--no-reconnect",
      description = "For tcp:// sources: end when the connection closes instead of reconnecting.")
  boolean noReconnect;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (batch < 1 || maxDelayMillis < 1 || queue < 1 || !(statsInterval >= 0)) {
      throw new UsageException("--batch, --max-delay-ms and --queue must be ≥ 1, --stats-interval ≥ 0");
    }
    boolean ansi;
    switch (color) {
      case "auto":
        ansi = ConsoleAlertSink.terminalSupportsAnsi();
        break;
      case "always":
        ansi = true;
        break;
      case "never":
        ansi = false;
        break;
      default:
        throw new UsageException("--color must be auto, always or never");
    }
    DetectionPipeline model = modelOption.load();
    ModelOption.checkSchema(model.schema(), FlowSchema.SCHEMA, source);
    MalformedLines malformed = new MalformedLines(line -> err.println("watch: " + line));
    Source src;
    try {
      src = Sources.open(source, SourceOptions.defaults().withReconnect(!noReconnect), malformed,
          line -> err.println("watch: " + line));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--source: " + e.getMessage());
    }
    WatchOptions options = new WatchOptions(batch, maxDelayMillis, queue, Math.round(statsInterval * 1000));
    Outputs outputs = outputs(out, ansi, err);
    WatchLoop loop = new WatchLoop(model, src, outputs.sinks, options, malformed,
        line -> err.println("watch: " + line), line -> err.println("stats: " + line));
    if (online) {
      if (onlineWarmup < 64) {
        throw new UsageException("--online-warmup must be at least 64 flows");
      }
      double c = model.threshold().contamination();
      loop.online(onlineWarmup, Double.isNaN(c) ? 0.05 : c, 0);
    }
    err.printf(Locale.ROOT, "watching %s with %s (%s, threshold %.6f); Ctrl-C stops%n", src.name(), modelOption.file,
        model.detector().kind(), model.threshold().value());
    ShutdownHook hook = ShutdownHook.install("watch", loop::stop, 30_000);
    try {
      loop.run();
    } finally {
      outputs.close(err);
      err.println(loop.stats().finalLine());
      hook.close(); // after the last line: a signal's hook waits for it, then exits 0
    }
    return loop.sourceFailure() == null ? 0 : 1;
  }

  /** The sinks and what they hold open (store, LLM analyst), closed after the loop has flushed them. */
  private static final class Outputs {
    final List<AlertSink> sinks = new ArrayList<>();
    AlertStore store;
    LlmAnalyst analyst;
    IncidentLogSink incidents;

    void close(PrintWriter err) {
      if (analyst != null) {
        analyst.close(); // completes what is queued, so late analyses still reach the log and store
      }
      try {
        if (incidents != null) {
          incidents.close();
        }
      } catch (java.io.IOException e) {
        err.println("watch: incident log: " + e.getMessage());
      }
      if (store != null) {
        store.close();
      }
    }
  }

  /**
   * The alert sinks, in delivery order: the console card, then the store (whose stored batches, with
   * ids, go on to the LLM analyst), the CSV incident log (after the LLM when there is one, so its
   * analysis column is filled) and the LLM analyst.
   */
  private Outputs outputs(PrintWriter out, boolean ansi, PrintWriter err) throws java.io.IOException {
    Outputs o = new Outputs();
    if (!quiet) {
      o.sinks.add(new ConsoleAlertSink(out, ansi));
    }
    LlmConfig config = LlmOption.config(llm);
    o.store = db == null ? null : AlertStore.open(db);
    o.incidents = incidentLog == null ? null : new IncidentLogSink(CsvIncidentLog.open(incidentLog));
    LlmSink llmSink = null;
    if (config.provider() != LlmConfig.Provider.NONE) {
      o.analyst = LlmAnalyst.start(config);
      AlertStore store = o.store;
      IncidentLogSink incidents = o.incidents;
      llmSink = new LlmSink(o.analyst, alert -> {
        if (alert.llmAnalysis() != null) {
          if (store != null && alert.id() > 0) {
            store.setLlmAnalysis(alert.id(), alert.llmAnalysis());
          }
          if (!quiet) {
            synchronized (out) {
              out.printf("LLM analysis of %s %s -> %s:%n  %s%n", alert.anomalyType(), alert.srcIp(), alert.dstIp(),
                  alert.llmAnalysis().replace("\n", "\n  "));
              out.flush();
            }
          }
        }
        if (incidents != null) {
          incidents.accept(List.of(alert));
        }
      });
      err.println("watch: LLM analyst " + config);
    }
    if (o.store != null) {
      LlmSink toLlm = llmSink;
      o.sinks.add(new StoreSink(o.store, stored -> {
        if (toLlm != null) {
          toLlm.accept(stored);
        }
      }));
      err.println("watch: alerts stored in " + o.store.location());
    } else if (llmSink != null) {
      o.sinks.add(llmSink);
    }
    if (o.incidents != null && llmSink == null) {
      o.sinks.add(o.incidents);
    }
    return o;
  }
}
