package io.netanomaly.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netanomaly.core.io.RowWriter;
import io.netanomaly.core.schema.FlowRecord;
import io.netanomaly.core.schema.FlowSchema;
import io.netanomaly.core.synth.TrafficSimulator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpMethod;
import org.HdrHistogram.Recorder;

/**
 * A load generator for {@code POST /api/v1/predict}: {@code concurrency} workers send requests
 * (single records or batches, a share of them anomalous flows from the simulator) until a request
 * count or a duration is reached. Latency goes into an HdrHistogram (microseconds). With a target
 * rate, each request's latency is measured from when it was due, not from when it was sent, so a
 * stalled server cannot hide its stall (coordinated omission); without one, the histogram is
 * corrected afterwards with the mean interval between a worker's requests.
 *
 * <p>One instance per run; not reusable.
 */
final class LoadTest {
  /** What to send and for how long. Immutable. */
  record Plan(URI url, int concurrency, long requests, double durationSeconds, int batch, double anomalousShare,
      double rate, String apiKey, long seed, double warmupSeconds) {}

  /** What happened. Immutable. */
  record Result(long requests, long records, double seconds, Histogram latencyMicros, Histogram correctedMicros,
      Map<Integer, Long> statusCounts, Map<String, Long> errors, long anomaliesReported) {
    double requestsPerSecond() {
      return requests / seconds;
    }

    double recordsPerSecond() {
      return records / seconds;
    }

    ObjectNode toJson(Plan p) {
      ObjectNode n = JsonNodeFactory.instance.objectNode();
      n.put("url", p.url().toString());
      n.put("concurrency", p.concurrency());
      n.put("batch", p.batch());
      n.put("anomalous_share", p.anomalousShare());
      n.put("warmup_seconds", p.warmupSeconds());
      if (p.rate() > 0) {
        n.put("target_rate", p.rate());
      }
      n.put("requests", requests);
      n.put("records", records);
      n.put("seconds", seconds);
      n.put("requests_per_second", requestsPerSecond());
      n.put("records_per_second", recordsPerSecond());
      ObjectNode lat = n.putObject("latency_ms");
      Histogram h = correctedMicros;
      lat.put("p50", h.getValueAtPercentile(50) / 1000.0);
      lat.put("p90", h.getValueAtPercentile(90) / 1000.0);
      lat.put("p99", h.getValueAtPercentile(99) / 1000.0);
      lat.put("max", h.getMaxValue() / 1000.0);
      lat.put("mean", h.getMean() / 1000.0);
      lat.put("corrected_for_coordinated_omission", true);
      ObjectNode raw = n.putObject("latency_ms_uncorrected");
      raw.put("p50", latencyMicros.getValueAtPercentile(50) / 1000.0);
      raw.put("p99", latencyMicros.getValueAtPercentile(99) / 1000.0);
      raw.put("max", latencyMicros.getMaxValue() / 1000.0);
      ObjectNode st = n.putObject("status");
      statusCounts.forEach((k, v) -> st.put(Integer.toString(k), v));
      ObjectNode er = n.putObject("errors");
      errors.forEach(er::put);
      n.put("anomalies_reported", anomaliesReported);
      return n;
    }
  }

  private final Plan plan;
  private final List<byte[]> bodies;
  private final Recorder recorder = new Recorder(3_600_000_000L, 3);
  private final LongAdder sent = new LongAdder();
  private final LongAdder records = new LongAdder();
  private final LongAdder anomalies = new LongAdder();
  private final Map<Integer, LongAdder> status = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final AtomicLong issued = new AtomicLong();

  LoadTest(Plan plan) {
    this.plan = plan;
    this.bodies = bodies(plan);
  }

  /** A pool of request bodies: simulator flows, the given share of them anomalous. */
  private static List<byte[]> bodies(Plan p) {
    TrafficSimulator normal = TrafficSimulator.builder().seed(p.seed()).anomalyRatio(0).build();
    TrafficSimulator attacks = TrafficSimulator.builder().seed(p.seed() + 1).anomalyRatio(1).build();
    SplittableRandom rnd = new SplittableRandom(p.seed());
    int pool = Math.max(64, Math.min(4096, 200_000 / p.batch()));
    List<byte[]> out = new ArrayList<>(pool);
    for (int i = 0; i < pool; i++) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      try (RowWriter w = RowWriter.open(buf, true, FlowSchema.SCHEMA, false, List.of())) {
        for (int k = 0; k < p.batch(); k++) {
          FlowRecord f = rnd.nextDouble() < p.anomalousShare() ? attacks.next() : normal.next();
          w.write(f.toRow());
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      String[] lines = buf.toString(StandardCharsets.UTF_8).split("\n");
      String body = p.batch() == 1 ? lines[0] : "[" + String.join(",", lines) + "]";
      out.add(body.getBytes(StandardCharsets.UTF_8));
    }
    return out;
  }

  /**
   * Runs the plan; {@code progress} receives the requests done so far about 4 times a second.
   */
  Result run(java.util.function.LongConsumer progress) throws InterruptedException {
    // Jetty's client: on a 2-core machine the JDK client spent more CPU than the server it measured.
    HttpClient client = new HttpClient();
    client.setMaxConnectionsPerDestination(plan.concurrency());
    client.setConnectTimeout(5_000);
    client.setFollowRedirects(false);
    try {
      client.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the HTTP client: " + e.getMessage(), e);
    }
    try {
      return run(client, progress);
    } finally {
      try {
        client.stop();
      } catch (Exception e) {
        // stopping a client that has done its work; nothing left to report
      }
    }
  }

  private Result run(HttpClient client, java.util.function.LongConsumer progress) throws InterruptedException {
    long begin = System.nanoTime();
    // requests sent before this are the warm-up: sent, answered, never counted
    long start = begin + (long) (plan.warmupSeconds() * 1e9);
    long deadline = plan.durationSeconds() > 0 ? start + (long) (plan.durationSeconds() * 1e9) : Long.MAX_VALUE;
    long intervalNanos = plan.rate() > 0 ? (long) (plan.concurrency() * 1e9 / plan.rate()) : 0;
    CountDownLatch done = new CountDownLatch(plan.concurrency());
    // Workers are chains of asynchronous requests, not blocked threads: each response's callback
    // sends the worker's next request, so no thread hand-off per request costs the client CPU that
    // the server under test needs (on 2 cores, 32 blocking threads halved what was measured).
    ScheduledExecutorService timer = intervalNanos > 0 ? Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "loadtest-pacer");
      t.setDaemon(true);
      return t;
    }) : null;
    for (int w = 0; w < plan.concurrency(); w++) {
      new Worker(client, w, begin, start, deadline, intervalNanos, timer, done).next();
    }
    while (!done.await(250, TimeUnit.MILLISECONDS)) {
      progress.accept(sent.sum());
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (timer != null) {
      timer.shutdownNow();
    }
    Histogram raw = recorder.getIntervalHistogram();
    long n = sent.sum();
    Histogram corrected;
    if (intervalNanos > 0) {
      corrected = raw;
    } else {
      long meanIntervalMicros = n == 0 ? 0 : (long) (seconds * 1e6 * plan.concurrency() / n);
      corrected = raw.copyCorrectedForCoordinatedOmission(Math.max(1, meanIntervalMicros));
    }
    Map<Integer, Long> st = new TreeMap<>();
    status.forEach((k, v) -> st.put(k, v.sum()));
    Map<String, Long> er = new TreeMap<>();
    errors.forEach((k, v) -> er.put(k, v.sum()));
    return new Result(n, records.sum(), seconds, raw, corrected, st, er, anomalies.sum());
  }

  /** Largest response kept (a batch of 10,000 anomalous records explained is a few MB). */
  private static final int MAX_RESPONSE_BYTES = 64 << 20;

  /**
   * One worker: sends a request, and from its completion the next one, until the count or the
   * deadline is reached. With a target rate each request is due {@code intervalNanos} after the
   * previous one was due, and its latency counts from then.
   */
  private final class Worker {
    private final HttpClient client;
    private final SplittableRandom rnd;
    private final long measureFrom;
    private final long deadline;
    private final long intervalNanos;
    private final ScheduledExecutorService timer;
    private final CountDownLatch done;
    private long due;

    Worker(HttpClient client, int worker, long start, long measureFrom, long deadline, long intervalNanos,
        ScheduledExecutorService timer, CountDownLatch done) {
      this.client = client;
      this.rnd = new SplittableRandom(plan.seed() * 31 + worker);
      this.measureFrom = measureFrom;
      this.deadline = deadline;
      this.intervalNanos = intervalNanos;
      this.timer = timer;
      this.done = done;
      this.due = start + (intervalNanos > 0 ? rnd.nextLong(intervalNanos) : 0);
    }

    void next() {
      long now = System.nanoTime();
      boolean counted = (intervalNanos > 0 ? Math.max(due, now) : now) >= measureFrom;
      if (counted && plan.requests() > 0 && issued.incrementAndGet() > plan.requests()) {
        done.countDown();
        return;
      }
      if (now >= deadline) {
        done.countDown();
        return;
      }
      if (intervalNanos > 0 && due > now) {
        timer.schedule(() -> send(counted), due - now, TimeUnit.NANOSECONDS);
      } else {
        send(counted);
      }
    }

    private void send(boolean counted) {
      byte[] body = bodies.get(rnd.nextInt(bodies.size()));
      Request req = client.newRequest(plan.url()).method(HttpMethod.POST).timeout(30, TimeUnit.SECONDS)
          .body(new BytesRequestContent("application/json", body));
      if (plan.apiKey() != null) {
        req.headers(h -> h.put("X-API-Key", plan.apiKey()));
      }
      long sentAt = System.nanoTime();
      long measuredFrom = intervalNanos > 0 ? Math.min(due, sentAt) : sentAt;
      req.send(new BufferingResponseListener(MAX_RESPONSE_BYTES) {
        @Override
        public void onComplete(org.eclipse.jetty.client.Result result) {
          if (!counted) {
            due += intervalNanos;
            go(result);
            return;
          }
          if (result.isFailed()) {
            Throwable cause = result.getFailure();
            errors.computeIfAbsent(cause.getClass().getSimpleName(), k -> new LongAdder()).increment();
          } else {
            int code = result.getResponse().getStatus();
            status.computeIfAbsent(code, k -> new LongAdder()).increment();
            if (code == 200) {
              records.add(plan.batch());
              anomalies.add(count(getContent(), ANOMALY));
            } else {
              errors.computeIfAbsent("HTTP " + code, k -> new LongAdder()).increment();
            }
          }
          recorder.recordValue(Math.max(1, (System.nanoTime() - measuredFrom) / 1000));
          sent.increment();
          due += intervalNanos;
          go(result);
        }
      });
    }

    private void go(org.eclipse.jetty.client.Result result) {
      if (result.isFailed()) {
        // a failure can complete inside send(); going on from the pool keeps the stack flat
        client.getExecutor().execute(this::next);
      } else {
        next();
      }
    }
  }

  private static final byte[] ANOMALY = "\"is_anomaly\":true".getBytes(StandardCharsets.US_ASCII);

  /** Occurrences of {@code what} in {@code body}, scanning bytes so the client stays cheap. */
  private static int count(byte[] body, byte[] what) {
    int n = 0;
    outer:
    for (int i = 0; i + what.length <= body.length; i++) {
      for (int k = 0; k < what.length; k++) {
        if (body[i + k] != what[k]) {
          continue outer;
        }
      }
      n++;
      i += what.length - 1;
    }
    return n;
  }
}
