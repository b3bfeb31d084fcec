package io.netanomaly.stream.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class ZeekSourceTest {
  private static final String HEADER = "#separator \\x09\n#unset_field\t-\n#empty_field\t(empty)\n"
      + "#fields\tts\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\torig_pkts\tresp_pkts\n"
      + "#types\ttime\taddr\tport\taddr\tport\tenum\tcount\tcount\n";

  @TempDir
  Path dir;

  /** A record whose destination port carries its sequence number (the reader reports port - 1). */
  private static String record(int i) {
    return "1300475167." + (100 + i) + "\t10.0.0.1\t40000\t10.0.0.2\t" + (i + 1) + "\ttcp\t1\t1\n";
  }

  @Test
  void followReadsAppendedRecordsAndTheNewHeaderAfterTruncation() throws Exception {
    Path log = dir.resolve("conn.log");
    Files.writeString(log, HEADER + record(0));
    List<String> notices = new CopyOnWriteArrayList<>();
    MalformedLines malformed = new MalformedLines(s -> { });
    ZeekSource source = new ZeekSource(log, true, new SourceOptions(true, 20, 200, 10, 2_000), malformed,
        notices::add, System::currentTimeMillis);
    try (FileSourceTest.Reader r = new FileSourceTest.Reader(source)) {
      assertThat(r.take(1)).containsExactly(0);
      Files.writeString(log, record(1) + "garbage\n" + record(2), StandardOpenOption.APPEND);
      assertThat(r.take(2)).containsExactly(1, 2);
      // a new log with another column order: the header is read again
      Files.writeString(log, "#separator \\x09\n#fields\tid.resp_p\tid.orig_h\tid.resp_h\tproto\tts\n"
          + "4\t10.0.0.3\t10.0.0.4\tudp\t1300475168.0\n", StandardOpenOption.TRUNCATE_EXISTING);
      assertThat(r.take(1)).containsExactly(3);
      assertThat(notices).anyMatch(n -> n.contains("truncated"));
    }
    assertThat(malformed.count()).isEqualTo(1);
  }
}
