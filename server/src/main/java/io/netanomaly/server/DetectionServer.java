package io.netanomaly.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.staticfiles.Location;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netanomaly.core.explain.Alert;
import io.netanomaly.core.pipeline.DetectionPipeline;
import io.netanomaly.core.schema.Field;
import io.netanomaly.core.schema.Schema;
import io.netanomaly.core.schema.SchemaJson;
import io.netanomaly.store.AlertPage;
import io.netanomaly.store.AlertQuery;
import io.netanomaly.store.AlertStore;
import io.netanomaly.store.AlertSummary;
import io.netanomaly.store.AlertWriter;
import io.netanomaly.stream.AlertSink;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API over the shared {@link DetectionPipeline}: {@code POST /api/v1/predict},
 * {@code GET /api/v1/model}, {@code POST /api/v1/model/reload}, {@code GET /api/v1/alerts} (filters
 * {@code since}, {@code until}, {@code type}, {@code min_score}, {@code src_ip}, cursor paging),
 * {@code GET /api/v1/alerts/{id}}, {@code GET /api/v1/alerts/stream}
 * (Server-Sent Events), {@code GET /api/v1/openapi.json}, {@code /health}, {@code /ready} and
 * {@code /metrics} (Prometheus). Every error is JSON; a malformed request never gets a 5xx. When an
 * API key is set, POST endpoints require it ({@code X-API-Key} or {@code Authorization: Bearer}),
 * compared in constant time; keys are never logged. One log line per request with its id.
 *
 * <p>Thread-safe. Start with {@link #start()}, stop with {@link #close()}.
 */
public final class DetectionServer implements AutoCloseable {
  private static final Logger REQUESTS = LoggerFactory.getLogger("netanomaly.requests");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String API = "/api/v1";
  /** A strict policy: the dashboard runs only its own scripts and talks only to this server. */
  private static final Map<String, String> DASHBOARD_HEADERS = Map.of(
      "Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none';"
          + " frame-ancestors 'none'",
      "X-Content-Type-Options", "nosniff",
      "Cache-Control", "no-cache");
  /** Most values offered for a categorical field in the prediction form. */
  private static final int FORM_CHOICES = 50;

  private final ServerOptions options;
  private final LiveModel live;
  private final Predictor predictor;
  private final AlertFeed feed = new AlertFeed();
  private final List<AlertListener> listeners = new CopyOnWriteArrayList<>();
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, Counter> alertsByType = new ConcurrentHashMap<>();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  private final Counter records;
  private final AtomicLong requestIds = new AtomicLong();
  private final byte[] apiKey;
  private final AlertStore store;
  private final AlertWriter writer;
  private volatile boolean ready = true;
  private Javalin app;

  public DetectionServer(LiveModel live, ServerOptions options) {
    this(live, options, null);
  }

  /**
   * @param store where alerts are kept, or null for none (then {@code GET /alerts} answers 404);
   *     the server writes through its own batching {@link AlertWriter} and closes it, not the store
   */
  public DetectionServer(LiveModel live, ServerOptions options, AlertStore store) {
    this.store = store;
    this.writer = store == null ? null : AlertWriter.builder(store).onStored(this::publish).start();
    this.live = live;
    this.options = options;
    this.predictor = new Predictor(live, options.maxRecords());
    this.apiKey = options.apiKey() == null ? null : options.apiKey().getBytes(StandardCharsets.UTF_8);
    this.records = Counter.builder("netanomaly.records.scored").description("records scored by /predict")
        .register(registry);
    Gauge.builder("netanomaly.feed.clients", feed, AlertFeed::clients).description("live feed clients")
        .register(registry);
    listeners.add(feed);
  }

  /**
   * Adds a receiver of alerts (LLM analyst, incident log). With a store, listeners get the alerts
   * with their ids, on the writer's thread after each batch is stored; without, on the request
   * thread.
   */
  public DetectionServer addListener(AlertListener l) {
    listeners.add(l);
    return this;
  }

  /** Adds a stream sink (LLM analyst, incident log) as a receiver of alerts; see {@link #addListener}. */
  public DetectionServer addSink(AlertSink sink) {
    return addListener(alerts -> {
      try {
        sink.accept(alerts);
      } catch (java.io.IOException e) {
        REQUESTS.warn("alert sink {} failed: {}", sink.getClass().getSimpleName(), e.toString());
      }
    });
  }

  /** The Micrometer registry, for other modules' meters (LLM queue depth, store writes). */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The live feed, to publish alerts from other sources (a watched stream) or updates. */
  public AlertFeed feed() {
    return feed;
  }

  public LiveModel model() {
    return live;
  }

  /** Starts listening; returns this. */
  public DetectionServer start() {
    app = Javalin.create(config -> {
      config.jetty.host = options.host();
      config.jetty.port = options.port();
      config.http.maxRequestSize = options.maxBodyBytes();
      config.startup.showJavalinBanner = false;
      // The dashboard and its scripts come from the jar (WebJars for Chart.js): nothing is fetched
      // from the internet at run time.
      config.staticFiles.add(files -> {
        files.hostedPath = "/";
        files.directory = "/io/netanomaly/server/web";
        files.location = Location.CLASSPATH;
        files.headers = DASHBOARD_HEADERS;
      });
      config.staticFiles.enableWebjars();
      if (options.reportDirectory() != null) {
        config.staticFiles.add(files -> {
          files.hostedPath = "/report";
          files.directory = options.reportDirectory().toAbsolutePath().toString();
          files.location = Location.EXTERNAL;
          files.headers = DASHBOARD_HEADERS;
        });
      }
      config.routes.before(this::before);
      config.routes.after(this::after);
      config.routes.post(API + "/predict", this::predict);
      config.routes.get(API + "/model", this::model);
      config.routes.post(API + "/model/reload", this::reload);
      config.routes.sse(API + "/alerts/stream", feed::add);
      config.routes.get(API + "/alerts", this::alerts);
      config.routes.get(API + "/alerts/summary", this::summary);
      config.routes.get(API + "/alerts/{id}", this::alert);
      config.routes.get(API + "/openapi.json", this::openapi);
      // browsers ask for /favicon.ico on pages that name no icon (the served report)
      config.routes.get("/favicon.ico", ctx -> ctx.redirect("/favicon.svg", io.javalin.http.HttpStatus.MOVED_PERMANENTLY));
      config.routes.get("/health", ctx -> json(ctx, 200, JSON.createObjectNode().put("status", "up")));
      config.routes.get("/ready", ctx -> json(ctx, ready ? 200 : 503,
          JSON.createObjectNode().put("ready", ready)));
      config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
          .result(registry.scrape()));
      config.routes.exception(ApiException.class, (e, ctx) -> json(ctx, e.status(), e.toJson()));
      // Javalin's own refusals (body over maxRequestSize, unreadable body) become JSON too.
      config.routes.exception(io.javalin.http.HttpResponseException.class, (e, ctx) -> json(ctx, e.getStatus(),
          new ApiException(e.getStatus(), e.getMessage(), null, null,
              e.getStatus() == 413 ? "at most " + options.maxBodyBytes() + " bytes" : null, -1).toJson()));
      config.routes.exception(Exception.class, (e, ctx) -> {
        REQUESTS.error("request {} failed", (Object) ctx.attribute("rid"), e);
        json(ctx, 500, new ApiException(500, "internal error", null, null, null, -1).toJson());
      });
      for (String path : List.of(API + "/predict", API + "/model/reload")) {
        config.routes.get(path, this::methodNotAllowed);
      }
      for (String path : List.of(API + "/model", API + "/openapi.json", "/health", "/ready", "/metrics")) {
        config.routes.post(path, this::methodNotAllowed);
      }
      // Only answers Javalin produced itself (unmatched paths) are rewritten; ours are already JSON.
      config.routes.error(404, ctx -> {
        if (ctx.attribute("answered") == null) {
          json(ctx, 404, new ApiException(404, "no such endpoint: " + ctx.method() + " " + ctx.path(), null, null,
              "one of the endpoints in " + API + "/openapi.json", -1).toJson());
        }
      });
    }).start();
    return this;
  }

  /** The port listened on (useful with port 0). */
  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    ready = false;
    if (app != null) {
      app.stop();
    }
    if (writer != null) {
      writer.close();
    }
  }

  /** Sends alerts (with store ids when there is a store) to every listener. */
  private void publish(List<Alert> alerts) {
    for (AlertListener l : listeners) {
      try {
        l.onAlerts(alerts);
      } catch (RuntimeException e) {
        REQUESTS.warn("alert listener {} failed: {}", l.getClass().getSimpleName(), e.toString());
      }
    }
  }

  /** Waits until every alert accepted so far is stored and published (for tests and shutdown). */
  public void flushAlerts() {
    if (writer != null) {
      writer.flush();
    }
  }

  private AlertStore requireStore() {
    if (store == null) {
      throw new ApiException(404, "this server keeps no alerts (start it with --db)", null, null, null, -1);
    }
    return store;
  }

  private void alerts(Context ctx) {
    AlertStore s = requireStore();
    AlertQuery q = filters(ctx);
    try {
      String v;
      if ((v = ctx.queryParam("limit")) != null) {
        q = q.limit((int) number("limit", v));
      }
      if ((v = ctx.queryParam("cursor")) != null) {
        q = q.cursor(v);
      }
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, e.getMessage(), null, null, null, -1);
    }
    AlertPage page = s.query(q);
    ObjectNode n = JSON.createObjectNode();
    ArrayNode items = n.putArray("alerts");
    page.alerts().forEach(a -> items.add(AlertFeed.toJson(a)));
    if (page.nextCursor() != null) {
      n.put("next_cursor", page.nextCursor());
    } else {
      n.putNull("next_cursor");
    }
    json(ctx, 200, n);
  }

  /** The filters {@code since}, {@code until}, {@code type}, {@code min_score}, {@code src_ip}. */
  private static AlertQuery filters(Context ctx) {
    AlertQuery q = AlertQuery.all();
    try {
      String v;
      if ((v = ctx.queryParam("since")) != null) {
        q = q.since(time("since", v));
      }
      if ((v = ctx.queryParam("until")) != null) {
        q = q.until(time("until", v));
      }
      if ((v = ctx.queryParam("type")) != null) {
        q = q.type(v);
      }
      if ((v = ctx.queryParam("min_score")) != null) {
        q = q.minScore(number("min_score", v));
      }
      if ((v = ctx.queryParam("src_ip")) != null) {
        q = q.srcIp(v);
      }
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, e.getMessage(), null, null, null, -1);
    }
    return q;
  }

  /** Aggregates for the dashboard's charts over the alerts the filters match. */
  private void summary(Context ctx) {
    AlertStore s = requireStore();
    AlertQuery q = filters(ctx);
    int buckets = bounded(ctx, "buckets", 60, 1, 500);
    int bins = bounded(ctx, "bins", 20, 1, 200);
    int top = bounded(ctx, "top", 10, 1, 100);
    AlertSummary sum = s.summary(q, buckets, bins, top);
    ObjectNode n = JSON.createObjectNode();
    n.put("total", sum.total());
    n.set("by_type", counts(sum.byType(), "type"));
    n.set("by_protocol", counts(sum.byProtocol(), "protocol"));
    n.set("top_src_ip", counts(sum.topSources(), "address"));
    n.set("top_dst_ip", counts(sum.topDestinations(), "address"));
    ObjectNode t = n.putObject("timeline");
    t.put("start", Instant.ofEpochMilli(sum.bucketStartMillis()).toString());
    t.put("start_ms", sum.bucketStartMillis());
    t.put("bucket_ms", sum.bucketMillis());
    ArrayNode tc = t.putArray("counts");
    for (long c : sum.timeline()) {
      tc.add(c);
    }
    ObjectNode h = n.putObject("scores");
    h.put("low", sum.scoreLow());
    h.put("bin_width", sum.scoreBinWidth());
    ArrayNode hc = h.putArray("counts");
    for (long c : sum.scoreHistogram()) {
      hc.add(c);
    }
    json(ctx, 200, n);
  }

  private static ArrayNode counts(Map<String, Long> m, String key) {
    ArrayNode a = JSON.createArrayNode();
    m.forEach((k, v) -> a.addObject().put(key, k).put("count", v));
    return a;
  }

  private static int bounded(Context ctx, String param, int dflt, int min, int max) {
    String v = ctx.queryParam(param);
    if (v == null) {
      return dflt;
    }
    double d = number(param, v);
    if (d != Math.rint(d) || d < min || d > max) {
      throw new ApiException(400, "bad query parameter " + param, param, v,
          "a whole number from " + min + " to " + max, -1);
    }
    return (int) d;
  }

  private static long time(String param, String v) {
    try {
      return v.chars().allMatch(Character::isDigit) ? Long.parseLong(v) : Instant.parse(v).toEpochMilli();
    } catch (RuntimeException e) {
      throw new ApiException(400, "bad query parameter " + param, param, v,
          "an ISO-8601 time (2026-01-05T08:00:00Z) or epoch milliseconds", -1);
    }
  }

  private static double number(String param, String v) {
    try {
      double d = Double.parseDouble(v);
      if (!Double.isFinite(d)) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new ApiException(400, "bad query parameter " + param, param, v, "a number", -1);
    }
  }

  private void alert(Context ctx) {
    AlertStore s = requireStore();
    String id = ctx.pathParam("id");
    long n;
    try {
      n = Long.parseLong(id);
    } catch (NumberFormatException e) {
      throw new ApiException(400, "bad alert id", "id", id, "a positive integer", -1);
    }
    Alert a = s.find(n).orElseThrow(() -> new ApiException(404, "no alert " + n, "id", id, "an existing alert id", -1));
    json(ctx, 200, AlertFeed.toJson(a));
  }

  private void before(Context ctx) {
    ctx.attribute("rid", Long.toString(requestIds.incrementAndGet(), 36));
    ctx.attribute("t0", System.nanoTime());
    ctx.header("X-Request-Id", ctx.<String>attribute("rid"));
    String origin = ctx.header("Origin");
    if (origin != null && options.corsOrigins().contains(origin)) {
      ctx.header("Access-Control-Allow-Origin", origin);
      ctx.header("Vary", "Origin");
      ctx.header("Access-Control-Allow-Headers", "Content-Type, X-API-Key, Authorization");
      ctx.header("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
      if (ctx.method() == HandlerType.OPTIONS) {
        ctx.attribute("answered", Boolean.TRUE);
        ctx.status(204).skipRemainingHandlers();
        return;
      }
    }
    if (ctx.method() == HandlerType.POST && apiKey != null && !authorised(ctx)) {
      throw new ApiException(401, "missing or wrong API key", "X-API-Key", null,
          "the server's API key in X-API-Key or Authorization: Bearer", -1);
    }
    long declared = ctx.req().getContentLengthLong();
    if (declared > options.maxBodyBytes()) {
      throw new ApiException(413, "request body too large", null, Long.toString(declared),
          "at most " + options.maxBodyBytes() + " bytes", -1);
    }
  }

  private boolean authorised(Context ctx) {
    String given = ctx.header("X-API-Key");
    if (given == null) {
      String auth = ctx.header("Authorization");
      if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
        given = auth.substring(7).trim();
      }
    }
    return given != null && MessageDigest.isEqual(apiKey, given.getBytes(StandardCharsets.UTF_8));
  }

  private void after(Context ctx) {
    Long t0 = ctx.attribute("t0");
    long nanos = t0 == null ? 0 : System.nanoTime() - t0;
    int status = ctx.status().getCode();
    io.javalin.router.Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
    // Unmatched paths share one label, so random URLs cannot grow the metric set.
    String route = matched == null ? "unmatched" : matched.path;
    timers.computeIfAbsent(ctx.method() + " " + route + " " + status, k -> Timer.builder("netanomaly.http.requests")
        .description("HTTP requests").tag("method", ctx.method().name()).tag("route", route)
        .tag("status", Integer.toString(status)).publishPercentileHistogram().register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
    if (REQUESTS.isInfoEnabled()) {
      Object n = ctx.attribute("records");
      Object a = ctx.attribute("anomalies");
      REQUESTS.info("id={} {} {} {} {}ms{}", ctx.<String>attribute("rid"), ctx.method(), ctx.path(), status,
          millis(nanos),
          n == null ? "" : " records=" + n + " anomalies=" + a);
    }
  }

  /** Nanoseconds as milliseconds with two decimals ("1.21"), without a formatter's cost per request. */
  static String millis(long nanos) {
    long hundredths = Math.round(nanos / 1e4);
    long frac = hundredths % 100;
    return (hundredths / 100) + (frac < 10 ? ".0" : ".") + frac;
  }

  private void methodNotAllowed(Context ctx) {
    throw new ApiException(405, "method not allowed: " + ctx.method() + " " + ctx.path(), null, null,
        ctx.method() == HandlerType.GET ? "POST" : "GET", -1);
  }

  private void predict(Context ctx) {
    if (!options.gzipPredictions()) {
      // answers are mostly read by programs next door; compressing a batch's answer cost more CPU
      // than scoring it
      ctx.disableCompression();
    }
    Predictor.Result r = predictor.predict(ctx.bodyAsBytes());
    records.increment(r.records);
    ctx.attribute("records", r.records);
    ctx.attribute("anomalies", r.alerts.size());
    ctx.status(200).contentType("application/json").result(r.response);
    ctx.attribute("answered", Boolean.TRUE);
    accept(r.alerts);
  }

  /** Counts, stores (when there is a store) and publishes alerts, from a request or a watched stream. */
  private void accept(List<Alert> alerts) {
    if (alerts.isEmpty()) {
      return;
    }
    for (Alert a : alerts) {
      alertsByType.computeIfAbsent(a.anomalyType(), t -> Counter.builder("netanomaly.alerts")
          .description("alerts raised").tag("type", t).register(registry)).increment();
    }
    if (writer != null) {
      writer.offerAll(alerts);
    } else {
      publish(alerts);
    }
  }

  /**
   * A sink for a {@link io.netanomaly.stream.WatchLoop} scoring a stream beside the API: its alerts
   * are counted, stored and pushed to the live feed exactly like those of {@code POST /predict}.
   * Closing waits until they are stored and leaves the server running.
   */
  public AlertSink alertSink() {
    return new AlertSink() {
      @Override
      public void accept(List<Alert> alerts) {
        DetectionServer.this.accept(List.copyOf(alerts));
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
        flushAlerts();
      }
    };
  }

  private void model(Context ctx) {
    LiveModel.Loaded m = live.current();
    DetectionPipeline p = m.model();
    ObjectNode n = JSON.createObjectNode();
    n.put("netanomaly_version", DetectionPipeline.VERSION);
    n.put("origin", m.origin());
    n.put("loaded_at", Instant.ofEpochMilli(m.loadedAtMillis()).toString());
    n.set("schema", SchemaJson.toJson(p.schema()));
    ObjectNode det = n.putObject("detector");
    det.put("kind", p.detector().kind());
    det.put("features", p.detector().features());
    ArrayNode names = n.putArray("features");
    p.features().featureNames().forEach(names::add);
    p.threshold().toJson(n.putObject("threshold"));
    n.set("training", p.training().toJson());
    n.set("form", form(p));
    if (options.reportDirectory() != null) {
      n.put("report_url", "/report/index.html");
    }
    n.put("llm", options.llm());
    n.put("alert_store", store == null ? "none" : store.location());
    json(ctx, 200, n);
  }

  /**
   * The inputs of a prediction form for the model's schema: every field but the label columns, with
   * its type, a typical value (training median) and the values seen in training for categories.
   */
  private static ArrayNode form(DetectionPipeline p) {
    Schema schema = p.schema();
    ArrayNode fields = JSON.createArrayNode();
    for (int c = 0; c < schema.size(); c++) {
      Field f = schema.field(c);
      if (f.name().equals(schema.labelColumn()) || f.name().equals(schema.typeColumn())) {
        continue;
      }
      ObjectNode o = fields.addObject();
      o.put("name", f.name());
      o.put("type", f.type().name().toLowerCase(java.util.Locale.ROOT));
      double typical = p.features().typicalValue(c);
      if (Double.isFinite(typical)) {
        o.put("typical", typical);
      }
      List<String> known = p.features().knownValues(c, FORM_CHOICES);
      if (!known.isEmpty()) {
        ArrayNode choices = o.putArray("choices");
        known.forEach(choices::add);
      }
    }
    return fields;
  }

  private void reload(Context ctx) throws IOException {
    Path file = null;
    byte[] bytes = ctx.bodyAsBytes();
    if (bytes.length > 0) {
      JsonNode body;
      try {
        body = JSON.readTree(bytes);
      } catch (JsonProcessingException e) {
        throw ApiException.badRequest("malformed JSON", "{\"path\": \"model.nam\"} or an empty body");
      }
      if (body != null && body.hasNonNull("path")) {
        if (!body.get("path").isTextual()) {
          throw new ApiException(400, "path must be a string", "path", body.get("path").toString(),
              "a model file path", -1);
        }
        file = Path.of(body.get("path").asText());
      }
    }
    LiveModel.Loaded m;
    try {
      m = live.reload(file);
    } catch (IllegalStateException e) {
      throw new ApiException(409, e.getMessage(), "path", null, "a model file path", -1);
    } catch (IOException e) {
      throw new ApiException(422, "cannot load model: " + e.getMessage(), "path",
          file == null ? null : file.toString(), "a readable netanomaly model file", -1);
    }
    json(ctx, 200, JSON.createObjectNode().put("reloaded", true).put("origin", m.origin())
        .put("features", m.model().features().width()));
  }

  private void openapi(Context ctx) throws IOException {
    try (InputStream in = DetectionServer.class.getResourceAsStream("openapi.json")) {
      if (in == null) {
        throw new IllegalStateException("openapi.json missing from the jar");
      }
      ctx.contentType("application/json").result(in.readAllBytes());
    }
  }

  private static void json(Context ctx, int status, JsonNode body) {
    try {
      ctx.attribute("answered", Boolean.TRUE);
      ctx.status(status).contentType("application/json").result(JSON.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
