package io.netanomaly.stream.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import io.netanomaly.core.schema.FlowRecord;
import io.netanomaly.core.schema.FlowSchema;
import io.netanomaly.core.schema.Row;
import io.netanomaly.core.synth.TrafficSimulator;
import io.netanomaly.stream.source.MalformedLines;
import io.netanomaly.stream.source.SourceOptions;
import io.netanomaly.stream.source.TcpSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The simulator server and the TCP source over real loopback sockets. */
@Timeout(60)
class SimulatorServerTest {
  private static final SourceOptions NO_RECONNECT = new SourceOptions(false, 20, 200, 10, 2_000);
  private static final SourceOptions RECONNECT = new SourceOptions(true, 20, 200, 10, 2_000);

  private static Iterator<FlowRecord> simulator(long seed) {
    return TrafficSimulator.builder().seed(seed).build();
  }

  /** Identity of a flow as it travels through JSON: event time, endpoints and byte counts. */
  static String key(Row r) {
    return (long) r.number(FlowSchema.I_TIMESTAMP) + " " + r.text(FlowSchema.I_SRC_IP) + ":"
        + r.text(FlowSchema.I_SRC_PORT) + " " + r.text(FlowSchema.I_DST_IP) + ":" + r.text(FlowSchema.I_DST_PORT)
        + " " + r.number(FlowSchema.I_BYTES_SENT) + "/" + r.number(FlowSchema.I_BYTES_RECEIVED);
  }

  static String key(FlowRecord f) {
    return key(f.toRow());
  }

  private static List<Row> readAll(TcpSource source) throws Exception {
    List<Row> rows = new ArrayList<>();
    for (Row r; (r = source.next()) != null; ) {
      rows.add(r);
    }
    return rows;
  }

  @Test
  void tcpSourceReceivesEveryLineOfACountedStream() throws Exception {
    int n = 3_000;
    List<String> notices = new CopyOnWriteArrayList<>();
    try (SimulatorServer server = SimulatorServer.builder().port(0).count(n).notices(notices::add).build(simulator(3))) {
      server.start();
      MalformedLines malformed = new MalformedLines(s -> { });
      TcpSource source = new TcpSource("127.0.0.1", server.port(), NO_RECONNECT, malformed, s -> { });
      List<Row> rows = readAll(source);
      assertThat(rows).hasSize(n);
      assertThat(malformed.count()).isZero();
      Iterator<FlowRecord> expected = simulator(3);
      for (Row r : rows) {
        FlowRecord f = expected.next();
        assertThat(key(r)).isEqualTo(key(f));
        assertThat(r.label()).isEqualTo(f.label());
        assertThat(r.anomalyType()).isEqualTo(f.anomalyType());
      }
      assertThat(server.awaitFinished(10, TimeUnit.SECONDS)).isTrue();
      assertThat(server.sent()).isEqualTo(n);
    }
  }

  @Test
  void twoClientsReceiveTheSameStream() throws Exception {
    int n = 5_000;
    try (SimulatorServer server = SimulatorServer.builder().port(0).count(n).waitForClients(2).build(simulator(4))) {
      server.start();
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        List<Future<List<Row>>> results = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
          results.add(pool.submit(() -> readAll(new TcpSource("127.0.0.1", server.port(), NO_RECONNECT,
              new MalformedLines(s -> { }), s -> { }))));
        }
        List<Row> a = results.get(0).get(30, TimeUnit.SECONDS);
        List<Row> b = results.get(1).get(30, TimeUnit.SECONDS);
        assertThat(a).hasSize(n);
        assertThat(b).hasSize(n);
        for (int i = 0; i < n; i++) {
          assertThat(key(a.get(i))).isEqualTo(key(b.get(i)));
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void sourceReconnectsAfterTheServerRestartsAndNoLineArrivesTwice() throws Exception {
    Iterator<FlowRecord> flows = simulator(5); // the stream continues across both servers
    List<String> notices = new CopyOnWriteArrayList<>();
    MalformedLines malformed = new MalformedLines(s -> { });
    SimulatorServer first = SimulatorServer.builder().port(0).rate(20_000).clientQueueLines(64).build(flows);
    first.start();
    int port = first.port();
    TcpSource source = new TcpSource("127.0.0.1", port, RECONNECT, malformed, notices::add);
    List<Row> rows = new ArrayList<>();
    try {
      for (int i = 0; i < 2_000; i++) {
        rows.add(source.next());
      }
      first.close();
      Thread.sleep(200); // the source sees the drop and retries against a closed port
      try (SimulatorServer second = SimulatorServer.builder().port(port).rate(20_000).clientQueueLines(64)
          .build(flows)) {
        second.start();
        for (int i = 0; i < 2_000; i++) {
          rows.add(source.next());
        }
      }
    } finally {
      source.close();
      first.close();
    }
    assertThat(notices).anyMatch(s -> s.contains("lost") || s.contains("closed"));
    assertThat(notices).anyMatch(s -> s.contains("reconnected"));
    // Every row is a flow of the simulator's sequence, in order, none twice (flows in flight at the
    // drop may be missing).
    Map<String, Integer> position = new HashMap<>();
    Iterator<FlowRecord> reference = simulator(5);
    for (int i = 0; i < 20_000; i++) {
      position.putIfAbsent(key(reference.next()), i);
    }
    int previous = -1;
    int gaps = 0;
    for (Row r : rows) {
      Integer at = position.get(key(r));
      assertThat(at).as("row %s is a flow of the stream", key(r)).isNotNull();
      assertThat(at).as("in order and not repeated").isGreaterThan(previous);
      if (at != previous + 1) {
        gaps++;
      }
      previous = at;
    }
    assertThat(gaps).as("only the drop leaves a gap").isLessThanOrEqualTo(1);
    assertThat(malformed.count()).as("at most the line cut by the drop").isLessThanOrEqualTo(1);
  }

  @Test
  void refusedConnectionFailsWithoutReconnect() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    TcpSource source = new TcpSource("127.0.0.1", port, NO_RECONNECT, new MalformedLines(s -> { }), s -> { });
    org.assertj.core.api.Assertions.assertThatThrownBy(source::next).isInstanceOf(java.io.IOException.class)
        .hasMessageContaining("cannot connect");
  }

  @Test
  void aClientThatStopsReadingIsDroppedAndTheOtherGetsEverything() throws Exception {
    int n = 60_000;
    List<String> notices = new CopyOnWriteArrayList<>();
    try (SimulatorServer server = SimulatorServer.builder().port(0).count(n).waitForClients(2).clientQueueLines(256)
        .notices(notices::add).build(simulator(6))) {
      server.start();
      try (Socket stalled = new Socket()) {
        stalled.setReceiveBufferSize(4096);
        stalled.connect(new InetSocketAddress("127.0.0.1", server.port()));
        try (Socket reader = new Socket("127.0.0.1", server.port());
            BufferedReader in = new BufferedReader(new InputStreamReader(reader.getInputStream(), StandardCharsets.UTF_8))) {
          long lines = in.lines().count();
          assertThat(lines).isEqualTo(n);
        }
      }
      assertThat(notices).anyMatch(s -> s.contains("dropped"));
    }
  }

  @Test
  void linesAreWhatRowWriterWrites() throws Exception {
    FlowRecord f = simulator(1).next();
    java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
    try (io.netanomaly.core.io.RowWriter w = io.netanomaly.core.io.RowWriter.open(expected, true, FlowSchema.SCHEMA,
        true, List.of())) {
      w.write(f.toRow());
    }
    FlowLineEncoder encoder = new FlowLineEncoder();
    String line = new String(encoder.encode(f), StandardCharsets.UTF_8);
    assertThat(line).isEqualTo(expected.toString(StandardCharsets.UTF_8).strip() + "\n");
    assertThat(new String(encoder.encode(f), StandardCharsets.UTF_8)).isEqualTo(line);
  }
}
