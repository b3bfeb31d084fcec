package io.netanomaly.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netanomaly.store.DatabaseLocation.Dialect;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatabaseLocationTest {
  private static final Map<String, String> NO_ENV = Map.of();

  @Test
  void pathsAndSqliteUrlsNameAFile() {
    Path expected = Path.of("data/netanomaly.db").toAbsolutePath();
    for (String s : new String[] {"data/netanomaly.db", "sqlite:data/netanomaly.db", "jdbc:sqlite:data/netanomaly.db",
        "  data/netanomaly.db "}) {
      DatabaseLocation l = DatabaseLocation.parse(s, NO_ENV);
      assertThat(l.dialect()).as(s).isEqualTo(Dialect.SQLITE);
      assertThat(l.sqliteFile()).as(s).isEqualTo(expected);
      assertThat(l.jdbcUrl()).as(s).isEqualTo("jdbc:sqlite:" + expected);
    }
  }

  @Test
  void postgresCredentialsAreLiftedOutOfTheUrl() {
    DatabaseLocation l = DatabaseLocation.parse(
        "jdbc:postgresql://db.example:5433/alerts?user=ids&password=p%40ss%26word+1&sslmode=require", NO_ENV);
    assertThat(l.dialect()).isEqualTo(Dialect.POSTGRESQL);
    assertThat(l.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:5433/alerts");
    assertThat(l.user()).isEqualTo("ids");
    assertThat(l.password()).isEqualTo("p@ss&word+1");
    assertThat(l.properties()).containsExactly(Map.entry("sslmode", "require"));
    assertThat(l.describe()).isEqualTo("jdbc:postgresql://db.example:5433/alerts as ids").doesNotContain("p@ss");
    assertThat(l.toString()).doesNotContain("p@ss");
  }

  @Test
  void userInfoFormIsUnderstood() {
    DatabaseLocation l = DatabaseLocation.parse("postgresql://ids:s%3Acret@127.0.0.1/alerts", NO_ENV);
    assertThat(l.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1/alerts");
    assertThat(l.user()).isEqualTo("ids");
    assertThat(l.password()).isEqualTo("s:cret");
  }

  @Test
  void environmentSuppliesMissingCredentialsOnly() {
    Map<String, String> env = Map.of("NETANOMALY_DB_USER", "envuser", "NETANOMALY_DB_PASSWORD", "envpw");
    DatabaseLocation fromEnv = DatabaseLocation.parse("jdbc:postgresql://h/db", env);
    assertThat(fromEnv.user()).isEqualTo("envuser");
    assertThat(fromEnv.password()).isEqualTo("envpw");
    DatabaseLocation fromUrl = DatabaseLocation.parse("jdbc:postgresql://h/db?user=u", env);
    assertThat(fromUrl.user()).isEqualTo("u");
    assertThat(fromUrl.password()).isEqualTo("envpw");
    DatabaseLocation none = DatabaseLocation.parse("jdbc:postgresql://h/db", NO_ENV);
    assertThat(none.user()).isNull();
    assertThat(none.password()).isNull();
  }

  @Test
  void otherDatabasesAndEmptyLocationsAreRefused() {
    assertThatThrownBy(() -> DatabaseLocation.parse("jdbc:mysql://h/db?password=x", NO_ENV))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jdbc:mysql:")
        .hasMessageNotContaining("password=x");
    assertThatThrownBy(() -> DatabaseLocation.parse(" ", NO_ENV)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DatabaseLocation.parse("sqlite:", NO_ENV)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DatabaseLocation.parse("jdbc:sqlite::memory:", NO_ENV))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DatabaseLocation.parse("jdbc:postgresql:alerts", NO_ENV))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DatabaseLocation.parse("jdbc:postgresql:///alerts", NO_ENV))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
