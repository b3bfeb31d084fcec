package io.netanomaly.stream.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.netanomaly.core.schema.FlowSchema;
import io.netanomaly.core.schema.Row;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class FileSourceTest {
  private static final SourceOptions FAST = new SourceOptions(true, 20, 200, 10, 2_000);

  @TempDir
  Path dir;

  static String flow(int i) {
    return "{\"timestamp\":\"2026-01-05T00:00:" + String.format("%02d", i % 60) + "Z\",\"src_ip\":\"10.0.0." + (i % 250 + 1)
        + "\",\"dst_ip\":\"10.0.1.1\",\"src_port\":40000,\"dst_port\":" + (i + 1) + ",\"protocol\":\"TCP\"}\n";
  }

  /** Reads a source on its own thread into a queue, as the watch loop does. */
  static final class Reader implements AutoCloseable {
    final BlockingQueue<Row> rows = new ArrayBlockingQueue<>(10_000);
    final Source source;
    final Thread thread;

    Reader(Source source) {
      this.source = source;
      this.thread = new Thread(() -> {
        try {
          for (Row r; (r = source.next()) != null; ) {
            rows.put(r);
          }
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      thread.start();
    }

    List<Integer> take(int n) throws InterruptedException {
      List<Integer> ports = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Row r = rows.poll(10, TimeUnit.SECONDS);
        assertThat(r).as("row %d of %d", i + 1, n).isNotNull();
        ports.add((int) r.number(FlowSchema.I_DST_PORT) - 1);
      }
      return ports;
    }

    @Override
    public void close() {
      source.close();
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      assertThat(thread.isAlive()).as("reader ended after close").isFalse();
    }
  }

  private static void append(Path file, String text) throws Exception {
    Files.writeString(file, text, StandardOpenOption.APPEND, StandardOpenOption.CREATE);
  }

  @Test
  void followPicksUpAppendedLinesAndSurvivesTruncation() throws Exception {
    Path file = dir.resolve("flows.jsonl");
    append(file, flow(0) + flow(1));
    List<String> notices = new CopyOnWriteArrayList<>();
    MalformedLines malformed = new MalformedLines(s -> { });
    try (Reader r = new Reader(new FileSource(file, true, FAST, malformed, notices::add))) {
      assertThat(r.take(2)).containsExactly(0, 1);
      append(file, flow(2));
      append(file, flow(3).substring(0, 20)); // a line written in two parts
      Thread.sleep(50);
      append(file, flow(3).substring(20) + flow(4));
      assertThat(r.take(3)).containsExactly(2, 3, 4);

      Files.writeString(file, "", StandardOpenOption.TRUNCATE_EXISTING); // copy-and-truncate rotation
      Thread.sleep(100);
      append(file, flow(5));
      assertThat(r.take(1)).containsExactly(5);
      assertThat(notices).anyMatch(n -> n.contains("truncated"));

      Path rotated = dir.resolve("flows.jsonl.1"); // move-and-create rotation
      Files.move(file, rotated);
      append(rotated, flow(6)); // the writer still has the old file open
      append(file, flow(7));
      assertThat(r.take(2)).containsExactly(6, 7);
      assertThat(notices).anyMatch(n -> n.contains("rotated"));
      assertThat(r.rows).isEmpty();
    }
    assertThat(malformed.count()).isZero();
  }

  @Test
  void malformedLinesAreCountedLoggedAndSkipped() throws Exception {
    Path file = dir.resolve("mixed.jsonl");
    String garbage = "x".repeat(500);
    append(file, flow(0) + "not json at all\n" + flow(1) + "{\"timestamp\":\"2026-01-05T00:00:00Z\",\"src_ip\":\"nope\","
        + "\"dst_ip\":\"10.0.1.1\",\"dst_port\":1,\"protocol\":\"TCP\"}\n" + "{" + garbage + "\n" + flow(2));
    List<String> log = new CopyOnWriteArrayList<>();
    MalformedLines malformed = new MalformedLines(log::add);
    List<Integer> ports = new ArrayList<>();
    try (FileSource s = new FileSource(file, false, FAST, malformed, n -> { })) {
      for (Row r; (r = s.next()) != null; ) {
        ports.add((int) r.number(FlowSchema.I_DST_PORT) - 1);
      }
    }
    assertThat(ports).containsExactly(0, 1, 2);
    assertThat(malformed.count()).isEqualTo(3);
    assertThat(log).hasSize(3).allMatch(l -> l.length() <= MalformedLines.MAX_LOGGED_CHARS + 40);
    assertThat(log.get(0)).contains("mixed.jsonl:2");
    assertThat(log.get(1)).contains("src_ip").contains("nope");
  }

  @Test
  void csvOnAStreamIsSniffedAndBadRowsSkipped() throws Exception {
    String csv = "timestamp,src_ip,dst_ip,src_port,dst_port,protocol\n"
        + "2026-01-05T00:00:00Z,10.0.0.1,10.0.1.1,40000,1,TCP\n"
        + "2026-01-05T00:00:01Z,10.0.0.1,10.0.1.1,40000,notaport,TCP\n"
        + "2026-01-05T00:00:02Z,10.0.0.1,10.0.1.1,40000,3,UDP\n";
    MalformedLines malformed = new MalformedLines(s -> { });
    StreamSource s = new StreamSource(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), "stdin", malformed);
    List<Row> rows = new ArrayList<>();
    for (Row r; (r = s.next()) != null; ) {
      rows.add(r);
    }
    assertThat(rows).extracting(r -> r.number(FlowSchema.I_DST_PORT)).containsExactly(1.0, 3.0);
    assertThat(malformed.count()).isEqualTo(1);
  }

  @Test
  void closeEndsAWaitForData() throws Exception {
    Path file = dir.resolve("quiet.jsonl");
    append(file, flow(0));
    MalformedLines malformed = new MalformedLines(s -> { });
    try (Reader r = new Reader(new FileSource(file, true, FAST, malformed, n -> { }))) {
      assertThat(r.take(1)).containsExactly(0);
    } // close() asserts that the reader thread ended
  }

  @Test
  void sourcesParsesTheForms() {
    MalformedLines m = new MalformedLines(s -> { });
    assertThat(Sources.open("tcp://127.0.0.1:9999", FAST, m, s -> { }).name()).isEqualTo("tcp://127.0.0.1:9999");
    assertThat(Sources.open("tcp://[::1]:9999", FAST, m, s -> { }).name()).isEqualTo("tcp://[::1]:9999");
    assertThat(Sources.open("file:/tmp/x.jsonl?follow", FAST, m, s -> { })).isInstanceOf(FileSource.class);
    assertThat(Sources.open("zeek:/tmp/conn.log", FAST, m, s -> { })).isInstanceOf(ZeekSource.class);
    assertThat(Sources.open("-", FAST, m, s -> { })).isInstanceOf(StreamSource.class);
    for (String bad : new String[] {"tcp://host", "tcp://:1", "tcp://h:0", "udp://h:1", "file:", "flows.csv"}) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> Sources.open(bad, FAST, m, s -> { }))
          .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected tcp://");
    }
  }
}
