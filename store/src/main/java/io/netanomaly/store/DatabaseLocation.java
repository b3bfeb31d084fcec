package io.netanomaly.store;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Where an alert store lives, parsed from what a user typed: a SQLite file, or a PostgreSQL server.
 * Credentials are lifted out of a PostgreSQL URL (user info or {@code user}/{@code password}
 * parameters) so that the URL handed to the pool and shown in logs carries none; every other URL
 * parameter becomes a driver property. Immutable.
 */
final class DatabaseLocation {
  /** Database products the store speaks. */
  enum Dialect {
    SQLITE("sqlite"), POSTGRESQL("postgresql");

    private final String migrationFolder;

    Dialect(String migrationFolder) {
      this.migrationFolder = migrationFolder;
    }

    /** Flyway location of this dialect's migrations. */
    String migrations() {
      return "classpath:db/migration/" + migrationFolder;
    }
  }

  static final String USER_ENV = "NETANOMALY_DB_USER";
  static final String PASSWORD_ENV = "NETANOMALY_DB_PASSWORD";

  private final Dialect dialect;
  private final Path sqliteFile;
  private final String jdbcUrl;
  private final String user;
  private final String password;
  private final Map<String, String> properties;

  private DatabaseLocation(Dialect dialect, Path sqliteFile, String jdbcUrl, String user, String password,
      Map<String, String> properties) {
    this.dialect = dialect;
    this.sqliteFile = sqliteFile;
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
    this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
  }

  /**
   * Parses a store location.
   *
   * @param location a file path, {@code sqlite:PATH}, {@code jdbc:sqlite:PATH},
   *     {@code jdbc:postgresql://HOST[:PORT]/DB[?…]} or {@code postgresql://[USER[:PASSWORD]@]HOST[:PORT]/DB[?…]}
   * @param env environment variables; {@value #USER_ENV} and {@value #PASSWORD_ENV} supply PostgreSQL
   *     credentials the URL lacks
   * @throws IllegalArgumentException for a blank location or a JDBC URL of another database
   */
  static DatabaseLocation parse(String location, Map<String, String> env) {
    Objects.requireNonNull(location, "location");
    String s = location.strip();
    if (s.isEmpty()) {
      throw new IllegalArgumentException("database location is empty: expected a file path or a jdbc:postgresql:// URL");
    }
    String lower = s.toLowerCase(Locale.ROOT);
    if (lower.startsWith("jdbc:postgresql:")) {
      return postgres(s.substring("jdbc:postgresql:".length()), env);
    }
    if (lower.startsWith("postgresql://") || lower.startsWith("postgres://")) {
      return postgres(s.substring(s.indexOf(':') + 1), env);
    }
    String file;
    if (lower.startsWith("jdbc:sqlite:")) {
      file = s.substring("jdbc:sqlite:".length());
    } else if (lower.startsWith("sqlite:")) {
      file = s.substring("sqlite:".length());
    } else if (lower.startsWith("jdbc:")) {
      throw new IllegalArgumentException("unsupported database URL " + lower.substring(0, lower.indexOf(':', 5) + 1)
          + "…: expected a file path, sqlite:PATH, jdbc:sqlite:PATH or jdbc:postgresql://HOST/DB");
    } else {
      file = s;
    }
    if (file.isEmpty() || file.startsWith(":memory:")) {
      throw new IllegalArgumentException("SQLite store needs a file path, got '" + file + "'");
    }
    Path path = Path.of(file).toAbsolutePath().normalize();
    return new DatabaseLocation(Dialect.SQLITE, path, "jdbc:sqlite:" + path, null, null, Map.of());
  }

  /** {@code rest} starts after the scheme's colon: "//[user[:password]@]host[:port]/db[?params]". */
  private static DatabaseLocation postgres(String rest, Map<String, String> env) {
    if (!rest.startsWith("//")) {
      throw new IllegalArgumentException("PostgreSQL URL must look like jdbc:postgresql://HOST[:PORT]/DB");
    }
    String user = null;
    String password = null;
    String body = rest.substring(2);
    int query = body.indexOf('?');
    String hostAndDb = query < 0 ? body : body.substring(0, query);
    String params = query < 0 ? "" : body.substring(query + 1);
    int at = hostAndDb.lastIndexOf('@');
    if (at >= 0) {
      String userInfo = hostAndDb.substring(0, at);
      hostAndDb = hostAndDb.substring(at + 1);
      int colon = userInfo.indexOf(':');
      user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
    }
    if (hostAndDb.isEmpty() || hostAndDb.startsWith("/")) {
      throw new IllegalArgumentException("PostgreSQL URL has no host: expected jdbc:postgresql://HOST[:PORT]/DB");
    }
    Map<String, String> properties = new LinkedHashMap<>();
    for (String pair : params.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      if (name.equals("user")) {
        user = value;
      } else if (name.equals("password")) {
        password = value;
      } else {
        properties.put(name, value);
      }
    }
    if (user == null) {
      user = env.get(USER_ENV);
    }
    if (password == null) {
      password = env.get(PASSWORD_ENV);
    }
    return new DatabaseLocation(Dialect.POSTGRESQL, null, "jdbc:postgresql://" + hostAndDb, user, password,
        properties);
  }

  private static String decode(String s) {
    // '+' is literal in user info and most JDBC parameters; only %XX escapes are decoded
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  Dialect dialect() { return dialect; }

  /** The SQLite file (absolute), or null for PostgreSQL. */
  Path sqliteFile() { return sqliteFile; }

  /** JDBC URL without credentials or parameters. */
  String jdbcUrl() { return jdbcUrl; }

  /** Database user, or null to let the driver choose. */
  String user() { return user; }

  /** Database password, or null. Never log it. */
  String password() { return password; }

  /** Driver properties taken from the URL's parameters, credentials excluded. */
  Map<String, String> properties() { return properties; }

  /** Safe to log: the URL without parameters, and the user name if any, never the password. */
  String describe() {
    return user == null ? jdbcUrl : jdbcUrl + " as " + user;
  }

  @Override
  public String toString() {
    return describe();
  }
}
