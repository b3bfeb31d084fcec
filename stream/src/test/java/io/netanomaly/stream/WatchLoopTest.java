package io.netanomaly.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netanomaly.core.explain.Alert;
import io.netanomaly.core.pipeline.DetectionPipeline;
import io.netanomaly.core.schema.FlowRecord;
import io.netanomaly.core.schema.FlowSchema;
import io.netanomaly.core.schema.Row;
import io.netanomaly.core.synth.TrafficSimulator;
import io.netanomaly.stream.simulate.SimulatorServer;
import io.netanomaly.stream.source.FileSource;
import io.netanomaly.stream.source.MalformedLines;
import io.netanomaly.stream.source.Source;
import io.netanomaly.stream.source.SourceOptions;
import io.netanomaly.stream.source.TcpSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class WatchLoopTest {
  private static final SourceOptions NO_RECONNECT = new SourceOptions(false, 20, 200, 10, 2_000);
  private static DetectionPipeline model;

  @TempDir
  Path dir;

  /** Trained once on simulated flows of another seed than the stream's. */
  @BeforeAll
  static void train() {
    TrafficSimulator sim = TrafficSimulator.builder().seed(1).build();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 30_000; i++) {
      rows.add(sim.next().toRow());
    }
    model = DetectionPipeline.builder().trees(100).seed(0).threads(2).fit(FlowSchema.SCHEMA, rows);
  }

  /** Keeps every alert; remembers flushes and close. */
  static final class CollectingSink implements AlertSink {
    final List<Alert> alerts = new CopyOnWriteArrayList<>();
    final AtomicLong flushes = new AtomicLong();
    volatile boolean closed;

    @Override
    public void accept(List<Alert> batch) {
      alerts.addAll(batch);
    }

    @Override
    public void flush() {
      flushes.incrementAndGet();
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  static String key(long time, String src, int srcPort, String dst, int dstPort) {
    return time + " " + src + ":" + srcPort + " " + dst + ":" + dstPort;
  }

  @Test
  void simulatorToWatchOverLoopbackFindsTheInjectedScenarios() throws Exception {
    int n = 20_000;
    Map<String, String> truth = new HashMap<>();
    Map<String, Integer> injected = new TreeMap<>();
    TrafficSimulator reference = TrafficSimulator.builder().seed(7).build();
    for (int i = 0; i < n; i++) {
      FlowRecord f = reference.next();
      if (f.label() == 1) {
        truth.put(key(f.timestampMillis(), f.srcIp(), f.srcPort(), f.dstIp(), f.dstPort()), f.anomalyType());
        injected.merge(f.anomalyType(), 1, Integer::sum);
      }
    }
    CollectingSink sink = new CollectingSink();
    List<String> log = new CopyOnWriteArrayList<>();
    MalformedLines malformed = new MalformedLines(log::add);
    WatchStats stats;
    try (SimulatorServer server = SimulatorServer.builder().port(0).count(n)
        .build(TrafficSimulator.builder().seed(7).build())) {
      server.start();
      TcpSource source = new TcpSource("127.0.0.1", server.port(), NO_RECONNECT, malformed, log::add);
      WatchLoop loop = new WatchLoop(model, source, List.of(sink), new WatchOptions(512, 200, 4096, 0), malformed,
          log::add, s -> { });
      stats = loop.run();
      assertThat(loop.sourceFailure()).isNull();
    }
    assertThat(stats.flows()).isEqualTo(n);
    assertThat(malformed.count()).isZero();
    assertThat(sink.closed).isTrue();
    assertThat(stats.alerts()).isEqualTo(sink.alerts.size());

    Map<String, Integer> detected = new TreeMap<>();
    Map<String, Integer> typedRight = new TreeMap<>();
    for (Alert a : sink.alerts) {
      assertThat(a.explanation().topFeatures()).isNotEmpty();
      assertThat(a.explanation().threat().mitreTechniqueId()).isNotBlank();
      String type = truth.get(key(a.eventTimeMillis(), a.srcIp(), a.srcPort(), a.dstIp(), a.dstPort()));
      if (type != null) {
        detected.merge(type, 1, Integer::sum);
        if (type.equals(a.anomalyType())) {
          typedRight.merge(type, 1, Integer::sum);
        }
      }
    }
    System.out.println("injected " + injected + "\ndetected " + detected + "\ntyped right " + typedRight
        + "\nalerts " + stats.alertsByType());
    // A floor, not the bar: the kinds the model flags reliably show up, mostly with the right type.
    for (String kind : List.of("port_scan", "syn_flood", "data_exfiltration", "large_packet", "unknown_protocol",
        "dns_tunneling")) {
      int total = injected.getOrDefault(kind, 0);
      assertThat(total).as("%s injected", kind).isPositive();
      assertThat(detected.getOrDefault(kind, 0)).as("%s alerted", kind).isGreaterThanOrEqualTo((int) (0.6 * total));
      assertThat(typedRight.getOrDefault(kind, 0)).as("%s typed right", kind).isGreaterThanOrEqualTo((int) (0.5 * total));
    }
  }

  @Test
  void stopScoresWhatIsQueuedFlushesAndClosesTheSinks() throws Exception {
    Path file = dir.resolve("live.jsonl");
    StringBuilder b = new StringBuilder();
    TrafficSimulator sim = TrafficSimulator.builder().seed(2).build();
    io.netanomaly.stream.simulate.FlowLineEncoder encoder = new io.netanomaly.stream.simulate.FlowLineEncoder();
    for (int i = 0; i < 1_500; i++) {
      b.append(new String(encoder.encode(sim.next()), java.nio.charset.StandardCharsets.UTF_8));
    }
    Files.writeString(file, b);
    MalformedLines malformed = new MalformedLines(s -> { });
    CollectingSink sink = new CollectingSink();
    List<String> statsLines = new CopyOnWriteArrayList<>();
    FileSource source = new FileSource(file, true, new SourceOptions(true, 20, 200, 10, 2_000), malformed, s -> { });
    WatchLoop loop = new WatchLoop(model, source, List.of(sink), new WatchOptions(256, 50, 1024, 20), malformed,
        s -> { }, statsLines::add);
    Thread runner = new Thread(() -> {
      try {
        loop.run();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    runner.start();
    waitFor(() -> loop.stats().flows() == 1_500);
    Files.writeString(file, "{broken\n", StandardOpenOption.APPEND);
    waitFor(() -> malformed.count() == 1);
    waitFor(() -> !statsLines.isEmpty());
    loop.stop();
    runner.join(10_000);
    assertThat(runner.isAlive()).isFalse();
    assertThat(sink.closed).isTrue();
    assertThat(sink.flushes.get()).isPositive();
    assertThat(loop.stats().flows()).isEqualTo(1_500);
    assertThat(statsLines.get(0)).contains("flows/s").contains("alerts").contains("malformed").contains("queue")
        .contains("lag");
    assertThat(loop.stats().finalLine()).startsWith("final: ").contains("1,500 flows").contains("1 malformed");
  }

  @Test
  void aFastSourceBlocksOnTheBoundedQueueWhileScoringIsSlow() throws Exception {
    int capacity = 500;
    int batch = 100;
    AtomicLong produced = new AtomicLong();
    TrafficSimulator sim = TrafficSimulator.builder().seed(3).build();
    Source endless = new Source() {
      volatile boolean closed;

      @Override
      public Row next() {
        if (closed) {
          return null;
        }
        produced.incrementAndGet();
        return sim.next().toRow();
      }

      @Override
      public String name() {
        return "endless";
      }

      @Override
      public void close() {
        closed = true;
      }
    };
    List<Long> ahead = new CopyOnWriteArrayList<>();
    WatchLoop[] holder = new WatchLoop[1];
    AlertSink slow = new AlertSink() {
      @Override
      public void accept(List<Alert> alerts) { }

      @Override
      public void flush() throws java.io.IOException {
        ahead.add(produced.get() - holder[0].stats().flows());
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          throw new java.io.InterruptedIOException();
        }
      }

      @Override
      public void close() { }
    };
    MalformedLines malformed = new MalformedLines(s -> { });
    WatchLoop loop = new WatchLoop(model, endless, List.of(slow), new WatchOptions(batch, 50, capacity, 0), malformed,
        s -> { }, s -> { });
    holder[0] = loop;
    Thread runner = new Thread(() -> {
      try {
        loop.run();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    runner.start();
    waitFor(() -> ahead.size() >= 100);
    loop.stop();
    runner.join(10_000);
    assertThat(runner.isAlive()).isFalse();
    // read but not scored: the queue, the reader's row in hand, and nothing more
    assertThat(ahead).allMatch(d -> d <= capacity + 1);
    assertThat(produced.get() - loop.stats().flows()).isLessThanOrEqualTo(capacity + batch + 1);
  }

  @Test
  void aFailingSinkIsDroppedAndTheOthersCarryOn() throws Exception {
    int n = 3_000;
    CollectingSink good = new CollectingSink();
    AlertSink bad = new AlertSink() {
      @Override
      public void accept(List<Alert> alerts) throws java.io.IOException {
        throw new java.io.IOException("disk full");
      }

      @Override
      public void flush() { }

      @Override
      public void close() { }
    };
    List<String> log = new CopyOnWriteArrayList<>();
    MalformedLines malformed = new MalformedLines(s -> { });
    try (SimulatorServer server = SimulatorServer.builder().port(0).count(n).build(
        TrafficSimulator.builder().seed(8).anomalyRatio(0.2).build())) {
      server.start();
      TcpSource source = new TcpSource("127.0.0.1", server.port(), NO_RECONNECT, malformed, s -> { });
      WatchLoop loop = new WatchLoop(model, source, List.of(bad, good), new WatchOptions(128, 50, 1024, 0), malformed,
          log::add, s -> { });
      loop.run();
      assertThat(server.awaitFinished(10, TimeUnit.SECONDS)).isTrue();
      assertThat(loop.stats().flows()).isEqualTo(n);
      assertThat(good.alerts).hasSize((int) loop.stats().alerts()).isNotEmpty();
    }
    assertThat(log).filteredOn(l -> l.contains("disk full")).hasSize(1);
  }

  static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 30 s").isLessThan(deadline);
      Thread.sleep(10);
    }
  }
}
