package io.netanomaly.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.netanomaly.core.explain.Alert;
import io.netanomaly.core.explain.Explanation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The durable record of alerts: a SQLite file by default, or a PostgreSQL database by JDBC URL.
 * Opening migrates the schema (Flyway, one migration set per dialect). Every statement is prepared;
 * no caller text is ever spliced into SQL.
 *
 * <p>SQLite runs in WAL mode with {@code synchronous=NORMAL}: a committed insert survives the
 * process being killed (the WAL is in the OS's hands at commit) but the last transactions may be
 * lost on a power cut. Writers wait up to {@value #SQLITE_BUSY_TIMEOUT_MS} ms for each other
 * ({@code busy_timeout}) and take the write lock at BEGIN, so concurrent writers queue rather than fail.
 *
 * <p>Thread-safe: a connection pool (HikariCP) serves concurrent callers. For detection paths that
 * must never wait on the database, put an {@link AlertWriter} in front.
 */
public final class AlertStore implements AutoCloseable {
  /** File name callers use when the user names no store. */
  public static final String DEFAULT_FILE = "netanomaly.db";
  /** How long a SQLite writer waits for another's lock before failing, ms. */
  public static final int SQLITE_BUSY_TIMEOUT_MS = 10_000;

  private static final Logger LOG = LoggerFactory.getLogger(AlertStore.class);

  private static final String COLUMNS = "id, detected_at, event_time, src_ip, dst_ip, src_port, dst_port, protocol,"
      + " packet_size, duration, score, threshold, anomaly_type, detector, threat_level, mitre_technique,"
      + " explanation, fields, llm_analysis";
  private static final String INSERT = "INSERT INTO alerts (detected_at, event_time, src_ip, dst_ip, src_port,"
      + " dst_port, protocol, packet_size, duration, score, threshold, anomaly_type, detector, threat_level,"
      + " mitre_technique, explanation, fields, llm_analysis) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String SELECT = "SELECT " + COLUMNS + " FROM alerts";

  private final DatabaseLocation location;
  private final HikariDataSource pool;

  private AlertStore(DatabaseLocation location, HikariDataSource pool) {
    this.location = location;
    this.pool = pool;
  }

  /**
   * Opens (creating and migrating as needed) the store at a location.
   *
   * @param jdbcUrlOrPath a file path, {@code sqlite:PATH} or {@code jdbc:sqlite:PATH} for SQLite;
   *     {@code jdbc:postgresql://HOST[:PORT]/DB[?user=…&password=…]} for PostgreSQL, whose credentials
   *     may also come from {@code NETANOMALY_DB_USER} and {@code NETANOMALY_DB_PASSWORD}
   * @throws IllegalArgumentException when the location is not one of those forms
   * @throws StoreException when the database cannot be reached or migrated
   */
  public static AlertStore open(String jdbcUrlOrPath) {
    return open(jdbcUrlOrPath, System.getenv());
  }

  /** As {@link #open(String)}, with the environment given explicitly (credentials are looked up in it). */
  public static AlertStore open(String jdbcUrlOrPath, Map<String, String> env) {
    DatabaseLocation location = DatabaseLocation.parse(jdbcUrlOrPath, env);
    HikariDataSource pool = location.dialect() == DatabaseLocation.Dialect.SQLITE ? sqlitePool(location)
        : postgresPool(location);
    try {
      migrate(pool, location);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    LOG.info("alert store open: {}", location.describe());
    return new AlertStore(location, pool);
  }

  private static HikariDataSource sqlitePool(DatabaseLocation location) {
    Path file = location.sqliteFile();
    try {
      Path parent = file.getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (java.io.IOException e) {
      throw new StoreException("cannot create the folder of " + file + ": " + e.getMessage(), e);
    }
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    config.setBusyTimeout(SQLITE_BUSY_TIMEOUT_MS);
    // take the write lock at BEGIN: a deferred transaction that upgrades later fails at once when busy
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    SQLiteDataSource sqlite = new SQLiteDataSource(config);
    sqlite.setUrl(location.jdbcUrl());
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("netanomaly-store");
    hikari.setDataSource(sqlite);
    // WAL lets readers run beside the one writer; more connections than this only queue on the lock
    hikari.setMaximumPoolSize(4);
    return pool(hikari, location);
  }

  private static HikariDataSource postgresPool(DatabaseLocation location) {
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("netanomaly-store");
    hikari.setJdbcUrl(location.jdbcUrl());
    if (location.user() != null) {
      hikari.setUsername(location.user());
    }
    if (location.password() != null) {
      hikari.setPassword(location.password());
    }
    hikari.addDataSourceProperty("ApplicationName", "netanomaly");
    location.properties().forEach(hikari::addDataSourceProperty);
    hikari.setMaximumPoolSize(8);
    return pool(hikari, location);
  }

  private static HikariDataSource pool(HikariConfig hikari, DatabaseLocation location) {
    try {
      return new HikariDataSource(hikari);
    } catch (RuntimeException e) {
      throw new StoreException("cannot open the alert store at " + location.describe() + ": " + rootMessage(e), e);
    }
  }

  private static void migrate(DataSource dataSource, DatabaseLocation location) {
    try {
      Flyway.configure(AlertStore.class.getClassLoader())
          .dataSource(dataSource)
          .locations(location.dialect().migrations())
          .failOnMissingLocations(true)
          .load()
          .migrate();
    } catch (FlywayException e) {
      throw new StoreException("cannot migrate the alert store at " + location.describe() + ": " + e.getMessage(), e);
    }
  }

  /** The pool, for tests that check connection settings. */
  DataSource dataSource() {
    return pool;
  }

  /** Where the store is, safe to log (no credentials). */
  public String location() {
    return location.describe();
  }

  /**
   * Stores alerts in one transaction.
   *
   * @return the same alerts, in order, with their store ids; ids of the input are ignored
   * @throws StoreException when the transaction fails (then none is stored)
   */
  public List<Alert> insert(List<Alert> alerts) {
    if (alerts.isEmpty()) {
      return List.of();
    }
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        long[] ids = location.dialect() == DatabaseLocation.Dialect.SQLITE ? insertEach(c, alerts)
            : insertBatch(c, alerts);
        c.commit();
        List<Alert> stored = new ArrayList<>(alerts.size());
        for (int i = 0; i < ids.length; i++) {
          stored.add(alerts.get(i).withId(ids[i]));
        }
        return stored;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StoreException("storing " + alerts.size() + " alerts failed: " + e.getMessage(), e);
    }
  }

  /** SQLite: per-row RETURNING inside the transaction; the driver reports only the last key of a batch. */
  private static long[] insertEach(Connection c, List<Alert> alerts) throws SQLException {
    long[] ids = new long[alerts.size()];
    try (PreparedStatement ps = c.prepareStatement(INSERT + " RETURNING id")) {
      for (int i = 0; i < ids.length; i++) {
        bindInsert(ps, alerts.get(i));
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            throw new SQLException("INSERT returned no id");
          }
          ids[i] = rs.getLong(1);
        }
      }
    }
    return ids;
  }

  /** PostgreSQL: one JDBC batch; the driver returns the generated ids in row order. */
  private static long[] insertBatch(Connection c, List<Alert> alerts) throws SQLException {
    long[] ids = new long[alerts.size()];
    try (PreparedStatement ps = c.prepareStatement(INSERT, new String[] {"id"})) {
      for (Alert a : alerts) {
        bindInsert(ps, a);
        ps.addBatch();
      }
      ps.executeBatch();
      try (ResultSet keys = ps.getGeneratedKeys()) {
        int i = 0;
        while (keys.next()) {
          if (i == ids.length) {
            throw new SQLException("more generated ids than rows");
          }
          ids[i++] = keys.getLong(1);
        }
        if (i != ids.length) {
          throw new SQLException("expected " + ids.length + " generated ids, got " + i);
        }
      }
    }
    return ids;
  }

  private static void bindInsert(PreparedStatement ps, Alert a) throws SQLException {
    Explanation e = a.explanation();
    ps.setLong(1, a.detectedAtMillis());
    ps.setLong(2, a.eventTimeMillis());
    ps.setString(3, a.srcIp());
    ps.setString(4, a.dstIp());
    setPort(ps, 5, a.srcPort());
    setPort(ps, 6, a.dstPort());
    ps.setString(7, a.protocol());
    setNumber(ps, 8, a.packetSize());
    setNumber(ps, 9, a.duration());
    setNumber(ps, 10, e.score());
    setNumber(ps, 11, e.threshold());
    ps.setString(12, e.anomalyType());
    ps.setString(13, a.detector());
    ps.setString(14, e.threat().level().name());
    ps.setString(15, e.threat().mitreTechniqueId());
    ps.setString(16, AlertJson.explanation(e));
    ps.setString(17, AlertJson.fields(a.fields()));
    ps.setString(18, a.llmAnalysis());
  }

  /** NaN is stored as NULL: SQLite cannot hold a NaN REAL. */
  private static void setNumber(PreparedStatement ps, int index, double v) throws SQLException {
    if (Double.isNaN(v)) {
      ps.setNull(index, Types.DOUBLE);
    } else {
      ps.setDouble(index, v);
    }
  }

  /** Negative ports mean "not a flow" and are stored as NULL. */
  private static void setPort(PreparedStatement ps, int index, int port) throws SQLException {
    if (port < 0) {
      ps.setNull(index, Types.INTEGER);
    } else {
      ps.setInt(index, port);
    }
  }

  /**
   * The alert with this id.
   *
   * @return the alert, or empty when no alert has that id
   */
  public Optional<Alert> find(long id) {
    try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(SELECT + " WHERE id = ?")) {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StoreException("reading alert " + id + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * One page of alerts matching a query, newest first.
   *
   * @return the alerts and the cursor of the next page (null when there are no more)
   */
  public AlertPage query(AlertQuery q) {
    StringBuilder sql = new StringBuilder(SELECT);
    List<Object> args = new ArrayList<>(8);
    where(q, sql, args);
    if (q.beforeId() != null) {
      sql.append(" AND id < ?");
      args.add(q.beforeId());
    }
    // one row more than the page tells whether a next page exists
    sql.append(" ORDER BY id DESC LIMIT ?");
    args.add(q.limit() + 1);
    try (Connection c = pool.getConnection(); PreparedStatement ps = prepare(c, sql.toString(), args)) {
      List<Alert> alerts = new ArrayList<>(Math.min(q.limit(), 128));
      boolean more = false;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (alerts.size() == q.limit()) {
            more = true;
            break;
          }
          alerts.add(read(rs));
        }
      }
      String next = more ? Long.toString(alerts.get(alerts.size() - 1).id()) : null;
      return new AlertPage(alerts, next);
    } catch (SQLException e) {
      throw new StoreException("querying alerts failed: " + e.getMessage(), e);
    }
  }

  /** Appends the WHERE clause of a query's filters (not its cursor) and their arguments. */
  private static void where(AlertQuery q, StringBuilder sql, List<Object> args) {
    sql.append(" WHERE 1 = 1");
    if (q.sinceMillis() != null) {
      sql.append(" AND event_time >= ?");
      args.add(q.sinceMillis());
    }
    if (q.untilMillis() != null) {
      sql.append(" AND event_time < ?");
      args.add(q.untilMillis());
    }
    if (q.type() != null) {
      sql.append(" AND anomaly_type = ?");
      args.add(q.type());
    }
    if (q.minScore() != null) {
      sql.append(" AND score >= ?");
      args.add(q.minScore());
    }
    if (q.srcIp() != null) {
      sql.append(" AND src_ip = ?");
      args.add(q.srcIp());
    }
  }

  /** Timeline bucket widths a summary chooses from, ms: the smallest that fits the range. */
  private static final long[] BUCKETS = {1_000, 5_000, 10_000, 30_000, 60_000, 300_000, 900_000, 1_800_000,
      3_600_000, 3 * 3_600_000, 6 * 3_600_000, 12 * 3_600_000, 86_400_000, 7 * 86_400_000L};

  /**
   * Aggregates over the alerts a query's filters match (its limit and cursor are ignored): counts by
   * type and protocol, the {@code top} busiest source and destination addresses, a timeline of at
   * most {@code maxBuckets} buckets of a round width (1 s … 7 days) over the matched event times,
   * and a histogram of {@code scoreBins} equal bins between the lowest and highest score.
   */
  public AlertSummary summary(AlertQuery q, int maxBuckets, int scoreBins, int top) {
    if (maxBuckets < 1 || scoreBins < 1 || top < 1) {
      throw new IllegalArgumentException("buckets, bins and top must be positive");
    }
    StringBuilder w = new StringBuilder();
    List<Object> args = new ArrayList<>(6);
    where(q, w, args);
    String filter = w.toString();
    try (Connection c = pool.getConnection()) {
      long total;
      long tMin;
      long tMax;
      double sMin;
      double sMax;
      try (PreparedStatement ps = prepare(c, "SELECT COUNT(*), MIN(event_time), MAX(event_time), MIN(score),"
          + " MAX(score) FROM alerts" + filter, args); ResultSet rs = ps.executeQuery()) {
        rs.next();
        total = rs.getLong(1);
        tMin = rs.getLong(2);
        tMax = rs.getLong(3);
        sMin = rs.getDouble(4);
        boolean noScore = rs.wasNull();
        sMax = rs.getDouble(5);
        if (noScore) {
          sMin = 0;
          sMax = 1;
        }
      }
      Map<String, Long> byType = counts(c, "anomaly_type", filter, args, Integer.MAX_VALUE);
      Map<String, Long> byProtocol = counts(c, "protocol", filter, args, Integer.MAX_VALUE);
      Map<String, Long> sources = counts(c, "src_ip", filter, args, top);
      Map<String, Long> destinations = counts(c, "dst_ip", filter, args, top);
      long width = BUCKETS[BUCKETS.length - 1];
      for (long b : BUCKETS) {
        if ((tMax - Math.floorDiv(tMin, b) * b) / b < maxBuckets) {
          width = b;
          break;
        }
      }
      long start = Math.floorDiv(tMin, width) * width;
      long[] timeline = new long[total == 0 ? 0 : (int) Math.min(maxBuckets, (tMax - start) / width + 1)];
      List<Object> timeArgs = new ArrayList<>(args.size() + 2);
      timeArgs.add(start);
      timeArgs.add(width);
      timeArgs.addAll(args);
      // Both dialects divide integers by truncation; event_time >= start keeps it a floor.
      try (PreparedStatement ps = prepare(c, "SELECT (event_time - ?) / ? AS b, COUNT(*) FROM alerts" + filter
          + " GROUP BY b", timeArgs); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long b = rs.getLong(1);
          if (b >= 0 && b < timeline.length) {
            timeline[(int) b] += rs.getLong(2);
          }
        }
      }
      double span = sMax - sMin;
      double binWidth = span > 0 ? span / scoreBins : 1.0 / scoreBins;
      long[] histogram = new long[scoreBins];
      List<Object> scoreArgs = new ArrayList<>(args.size() + 2);
      scoreArgs.add(sMin);
      scoreArgs.add(binWidth);
      scoreArgs.addAll(args);
      // FLOOR exists in both dialects' SQL (SQLite's math functions are built into sqlite-jdbc).
      try (PreparedStatement ps = prepare(c, "SELECT FLOOR((score - ?) / ?) AS b, COUNT(*) FROM alerts" + filter
          + " AND score IS NOT NULL GROUP BY b", scoreArgs); ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long b = Math.max(0, Math.min(scoreBins - 1, (long) rs.getDouble(1)));
          histogram[(int) b] += rs.getLong(2);
        }
      }
      return new AlertSummary(total, byType, byProtocol, sources, destinations, start, width, timeline, sMin,
          binWidth, histogram);
    } catch (SQLException e) {
      throw new StoreException("summarising alerts failed: " + e.getMessage(), e);
    }
  }

  private static PreparedStatement prepare(Connection c, String sql, List<Object> args) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    for (int i = 0; i < args.size(); i++) {
      bind(ps, i + 1, args.get(i));
    }
    return ps;
  }

  /** Matched alerts per value of a column (null as "unknown"), most frequent first, at most {@code limit}. */
  private static Map<String, Long> counts(Connection c, String column, String filter, List<Object> args, int limit)
      throws SQLException {
    String sql = "SELECT COALESCE(" + column + ", 'unknown') AS v, COUNT(*) AS n FROM alerts" + filter
        + " GROUP BY v ORDER BY n DESC, v" + (limit == Integer.MAX_VALUE ? "" : " LIMIT " + limit);
    Map<String, Long> m = new LinkedHashMap<>();
    try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        m.put(rs.getString(1), rs.getLong(2));
      }
    }
    return m;
  }

  private static void bind(PreparedStatement ps, int index, Object value) throws SQLException {
    if (value instanceof Long) {
      ps.setLong(index, (Long) value);
    } else if (value instanceof Integer) {
      ps.setInt(index, (Integer) value);
    } else if (value instanceof Double) {
      ps.setDouble(index, (Double) value);
    } else {
      ps.setString(index, (String) value);
    }
  }

  /**
   * Attaches the LLM's written analysis to an alert, replacing any earlier one.
   *
   * @return whether an alert with that id exists
   */
  public boolean setLlmAnalysis(long id, String analysis) {
    try (Connection c = pool.getConnection();
        PreparedStatement ps = c.prepareStatement("UPDATE alerts SET llm_analysis = ? WHERE id = ?")) {
      ps.setString(1, analysis);
      ps.setLong(2, id);
      return ps.executeUpdate() > 0;
    } catch (SQLException e) {
      throw new StoreException("storing the analysis of alert " + id + " failed: " + e.getMessage(), e);
    }
  }

  /** Number of stored alerts. */
  public long count() {
    try (Connection c = pool.getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM alerts")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new StoreException("counting alerts failed: " + e.getMessage(), e);
    }
  }

  /** Number of stored alerts per anomaly type, most frequent first (ties by name). */
  public Map<String, Long> countByType() {
    try (Connection c = pool.getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT anomaly_type, COUNT(*) AS n FROM alerts GROUP BY anomaly_type"
            + " ORDER BY n DESC, anomaly_type")) {
      Map<String, Long> counts = new LinkedHashMap<>();
      while (rs.next()) {
        counts.put(rs.getString(1), rs.getLong(2));
      }
      return counts;
    } catch (SQLException e) {
      throw new StoreException("counting alerts by type failed: " + e.getMessage(), e);
    }
  }

  private static Alert read(ResultSet rs) throws SQLException {
    long id = rs.getLong(1);
    long detectedAt = rs.getLong(2);
    long eventTime = rs.getLong(3);
    String srcIp = rs.getString(4);
    String dstIp = rs.getString(5);
    int srcPort = port(rs, 6);
    int dstPort = port(rs, 7);
    String protocol = rs.getString(8);
    double packetSize = number(rs, 9);
    double duration = number(rs, 10);
    double score = number(rs, 11);
    double threshold = number(rs, 12);
    String type = rs.getString(13);
    String detector = rs.getString(14);
    Explanation explanation = AlertJson.readExplanation(score, threshold, type, rs.getString(17));
    Map<String, String> fields = AlertJson.readFields(rs.getString(18));
    String llm = rs.getString(19);
    return new Alert(id, detectedAt, eventTime, srcIp, dstIp, srcPort, dstPort, protocol, packetSize, duration,
        detector, explanation, fields, llm);
  }

  private static double number(ResultSet rs, int index) throws SQLException {
    double v = rs.getDouble(index);
    return rs.wasNull() ? Double.NaN : v;
  }

  private static int port(ResultSet rs, int index) throws SQLException {
    int v = rs.getInt(index);
    return rs.wasNull() ? -1 : v;
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage();
  }

  /** Closes the pool; for SQLite the last connection checkpoints the WAL into the file. Idempotent. */
  @Override
  public void close() {
    if (!pool.isClosed()) {
      pool.close();
      LOG.info("alert store closed: {}", location.describe());
    }
  }
}
