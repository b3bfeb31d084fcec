package io.netanomaly.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on a real SQLite file, plus what is particular to SQLite. */
class SqliteAlertStoreTest extends AlertStoreContract {
  private static final AtomicInteger FILES = new AtomicInteger();

  @TempDir
  Path dir;

  @Override
  protected String freshLocation() {
    // alternate the accepted spellings of a SQLite location
    int n = FILES.incrementAndGet();
    Path file = dir.resolve("alerts-" + n + ".db");
    switch (n % 3) {
      case 0:
        return file.toString();
      case 1:
        return "sqlite:" + file;
      default:
        return "jdbc:sqlite:" + file;
    }
  }

  @Test
  void fileIsInWalModeWithBusyTimeoutAndNormalSync() throws Exception {
    store.insert(TestAlerts.alerts(0, 5));
    try (Connection c = store.dataSource().getConnection(); Statement st = c.createStatement()) {
      assertThat(pragma(st, "journal_mode")).isEqualTo("wal");
      assertThat(pragma(st, "busy_timeout")).isEqualTo(Integer.toString(AlertStore.SQLITE_BUSY_TIMEOUT_MS));
      assertThat(pragma(st, "synchronous")).isEqualTo("1"); // NORMAL
    }
    Path file = Path.of(store.location().substring("jdbc:sqlite:".length()));
    assertThat(Files.exists(Path.of(file + "-wal"))).isTrue();
  }

  @Test
  void anotherProcessSeesCommittedAlertsInTheFile() throws Exception {
    store.insert(TestAlerts.alerts(0, 7));
    Path file = Path.of(store.location().substring("jdbc:sqlite:".length()));
    // a plain connection, as another program would open the file while the store is running
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*), MIN(src_ip) FROM alerts")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(7);
      assertThat(rs.getString(2)).isEqualTo("10.0.0.0");
    }
  }

  @Test
  void storeSurvivesARestartOfTheSameFile() {
    Path file = dir.resolve("restart").resolve(AlertStore.DEFAULT_FILE);
    List<Long> ids;
    try (AlertStore first = AlertStore.open(file.toString())) {
      ids = first.insert(TestAlerts.alerts(0, 3)).stream().map(a -> a.id()).toList();
    }
    assertThat(file).exists();
    try (AlertStore second = AlertStore.open("sqlite:" + file)) {
      assertThat(second.count()).isEqualTo(3);
      assertThat(second.find(ids.get(2)).orElseThrow().srcIp()).isEqualTo(TestAlerts.srcIp(2));
    }
  }

  private static String pragma(Statement st, String name) throws Exception {
    try (ResultSet rs = st.executeQuery("PRAGMA " + name)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
