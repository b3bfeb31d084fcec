package io.netanomaly.core.features;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netanomaly.core.detect.Matrix;
import io.netanomaly.core.eval.Quantile;
import io.netanomaly.core.model.ModelArchive;
import io.netanomaly.core.model.ModelFormatException;
import io.netanomaly.core.schema.Field;
import io.netanomaly.core.schema.FieldType;
import io.netanomaly.core.schema.Row;
import io.netanomaly.core.schema.Schema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns rows of a {@link Schema} into feature vectors for the detectors. Fitted once on training
 * rows, then immutable; every fitted quantity is stored in the model file.
 *
 * <p>Per column type:
 * <ul>
 *   <li>NUMERIC: the value, log1p when the column is non-negative and heavy-tailed in training;</li>
 *   <li>CATEGORICAL and PORT: one-hot over the most frequent training values (at most
 *       {@link FitOptions#maxCategories}, each at least {@link FitOptions#minCategoryShare} of rows)
 *       plus one "other" bucket that also takes values never seen in training, and the log10
 *       training frequency of the value (rare and unseen values get low numbers, which the forests
 *       can isolate even though an unseen bucket is all zeros in training). PORT adds a
 *       privileged-port flag (&lt; 1024); a port column whose frequent values cover under half
 *       the rows (ephemeral client ports) gets no one-hot;</li>
 *   <li>TIMESTAMP: hour of day (fractional, UTC), day of week (0 = Monday), weekend and
 *       business-hours (Mon-Fri 08:00-18:00 UTC) flags, when the training rows span at least a
 *       day ({@link #CALENDAR_SPAN_MILLIS});</li>
 *   <li>ADDRESS: whether source / destination are private (RFC 1918, loopback, link-local, ULA)
 *       and the log10 training frequency of the destination;</li>
 *   <li>flows (when byte and packet columns exist): bytes per packet and log((sent+1)/(received+1));</li>
 *   <li>per-source sliding windows in event time (when a timestamp and a source address exist):
 *       connections, distinct destinations, distinct destination ports, total bytes and
 *       packets per second in the last {@link FitOptions#windowMillis} (see {@link WindowAggregator}).</li>
 * </ul>
 * Then every feature is imputed with its training median (missing values) and robust-scaled:
 * (x − median) / IQR (IQR 0: scale 1), clipped to ±1e6.
 *
 * <p>Thread-safety: immutable and thread-safe; the per-stream window state lives in
 * {@link FeatureStream}, one per stream.
 */
public final class FeaturePipeline {
  /** Output feature kinds: continuous values may be log-transformed, the others never. */
  static final byte CONTINUOUS = 0, BINARY = 1, FREQUENCY = 2;

  private static final double CLIP = 1e6;
  private static final String[] SRC_NAMES = {"src_ip", "srcip", "source_ip", "id.orig_h", "src"};
  private static final String[] DST_NAMES = {"dst_ip", "dstip", "destination_ip", "id.resp_h", "dst"};
  private static final String[] DST_PORT_NAMES = {"dst_port", "dsport", "destination_port", "id.resp_p"};
  private static final String[][] BYTE_NAMES = {{"bytes_sent", "bytes_received"}, {"sbytes", "dbytes"},
      {"orig_bytes", "resp_bytes"}, {"src_bytes", "dst_bytes"}};
  private static final String[][] PACKET_NAMES = {{"packets_sent", "packets_received"}, {"spkts", "dpkts"},
      {"orig_pkts", "resp_pkts"}};

  private final Schema schema;
  private final FitOptions options;
  private final int[] numericColumns;
  private final int timestampColumn;
  /** Whether hour/day features are used: only when training spans at least {@link #CALENDAR_SPAN_MILLIS}. */
  private final boolean calendar;
  private final CategoryEncoder[] encoders;
  private final int srcColumn;
  private final int dstColumn;
  private final int dstPortColumn;
  private final int[] byteColumns;
  private final int[] packetColumns;
  /** Whether to derive bytes per packet (not when the table already has packet_size). */
  private final boolean perPacket;
  private final Map<String, Double> dstFrequency;
  private final double dstUnseen;
  private final ServiceContext context;
  private final String[] names;
  private final byte[] kinds;
  private final boolean[] log;
  private final double[] median;
  private final double[] scale;
  private final double[] low;
  private final double[] high;

  private FeaturePipeline(Schema schema, FitOptions options, CategoryEncoder[] encoders,
      Map<String, Double> dstFrequency, double dstUnseen, ServiceContext context, boolean calendar) {
    this.schema = schema;
    this.options = options;
    this.encoders = encoders;
    this.dstFrequency = dstFrequency;
    this.dstUnseen = dstUnseen;
    this.context = context;
    List<Integer> nums = new ArrayList<>();
    for (int i = 0; i < schema.size(); i++) {
      if (schema.field(i).type() == FieldType.NUMERIC) {
        nums.add(i);
      }
    }
    this.numericColumns = nums.stream().mapToInt(Integer::intValue).toArray();
    this.timestampColumn = schema.firstOfType(FieldType.TIMESTAMP);
    this.calendar = calendar && timestampColumn >= 0;
    this.srcColumn = role(schema, SRC_NAMES, FieldType.ADDRESS, 0);
    this.dstColumn = role(schema, DST_NAMES, FieldType.ADDRESS, 1);
    this.dstPortColumn = role(schema, DST_PORT_NAMES, FieldType.PORT, -1);
    this.byteColumns = pair(schema, BYTE_NAMES);
    this.packetColumns = pair(schema, PACKET_NAMES);
    this.perPacket = byteColumns != null && packetColumns != null && indexIgnoreCase(schema, "packet_size") < 0;
    List<String> n = new ArrayList<>();
    List<Byte> k = new ArrayList<>();
    layout(n, k);
    this.names = n.toArray(new String[0]);
    this.kinds = new byte[k.size()];
    for (int i = 0; i < kinds.length; i++) {
      kinds[i] = k.get(i);
    }
    this.log = new boolean[names.length];
    this.median = new double[names.length];
    this.scale = new double[names.length];
    this.low = new double[names.length];
    this.high = new double[names.length];
  }

  /** Options for {@link #fit}. Immutable. */
  public static final class FitOptions {
    /** Window length for the per-source aggregates, event-time milliseconds. */
    public final long windowMillis;
    /** Most sources the windows track at once. */
    public final int maxSources;
    /** Most one-hot columns per categorical column (plus the "other" bucket). */
    public final int maxCategories;
    /** Least share of training rows a value needs for its own one-hot column. */
    public final double minCategoryShare;

    public FitOptions(long windowMillis, int maxSources, int maxCategories, double minCategoryShare) {
      if (windowMillis <= 0 || maxSources <= 0 || maxCategories < 0 || minCategoryShare < 0 || minCategoryShare > 1) {
        throw new IllegalArgumentException("bad feature options");
      }
      this.windowMillis = windowMillis;
      this.maxSources = maxSources;
      this.maxCategories = maxCategories;
      this.minCategoryShare = minCategoryShare;
    }

    /**
     * 60 s windows, 1,000,000 sources, no one-hot columns (frequency encoding only), categories of
     * at least 0.1% of rows when one-hot is asked for. The isolation forest picks split features
     * uniformly at random, so dozens of mostly-zero one-hot columns dilute the informative ones:
     * on the simulator bar (50k/50k flows) one-hot with 32 categories gave ROC-AUC 0.91 against
     * 0.95 without. Use {@link #withOneHot(int)} for models that use one-hot columns well.
     */
    public static FitOptions defaults() {
      return new FitOptions(60_000, 1_000_000, 0, 0.001);
    }

    /** These options with at most {@code maxCategories} one-hot columns per categorical column. */
    public FitOptions withOneHot(int categories) {
      return new FitOptions(windowMillis, maxSources, categories, minCategoryShare);
    }
  }

  /**
   * Fits the pipeline on training rows, in their order (the windows run over them as a stream).
   *
   * @throws IllegalArgumentException if {@code rows} is empty
   */
  public static FeaturePipeline fit(Schema schema, List<Row> rows, FitOptions options) {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("no training rows");
    }
    int n = rows.size();
    List<CategoryEncoder> enc = new ArrayList<>();
    for (int c = 0; c < schema.size(); c++) {
      Field f = schema.field(c);
      if (f.type() == FieldType.CATEGORICAL || f.type() == FieldType.PORT) {
        Map<String, Integer> counts = new HashMap<>();
        for (Row r : rows) {
          counts.merge(key(r.text(c)), 1, Integer::sum);
        }
        enc.add(CategoryEncoder.fit(c, f, counts, n, options));
      }
    }
    FeaturePipeline shape = new FeaturePipeline(schema, options, enc.toArray(new CategoryEncoder[0]),
        Map.of(), 0, ServiceContext.fit(schema, rows), spansADay(schema, rows));
    Map<String, Double> dstFreq = Map.of();
    double dstUnseen = 0;
    if (shape.dstColumn >= 0) {
      Map<String, Integer> counts = new HashMap<>();
      for (Row r : rows) {
        counts.merge(key(r.text(shape.dstColumn)), 1, Integer::sum);
      }
      dstFreq = CategoryEncoder.logFrequencies(counts, n, 10_000);
      dstUnseen = Math.log10(0.5 / n);
    }
    FeaturePipeline p = new FeaturePipeline(schema, options, shape.encoders, dstFreq, dstUnseen, shape.context,
        shape.calendar);
    int w = p.names.length;
    double[][] columns = new double[w][n];
    double[] raw = new double[w];
    WindowAggregator windows = p.newWindows();
    for (int i = 0; i < n; i++) {
      p.raw(rows.get(i), windows, raw);
      for (int j = 0; j < w; j++) {
        columns[j][i] = raw[j];
      }
    }
    for (int j = 0; j < w; j++) {
      double[] col = columns[j];
      double[] present = Arrays.stream(col).filter(v -> !Double.isNaN(v)).sorted().toArray();
      if (present.length == 0) {
        p.scale[j] = 1;
        continue;
      }
      p.low[j] = Quantile.of(present, 0.01);
      p.high[j] = Quantile.of(present, 0.99);
      double med = Quantile.of(present, 0.5);
      p.log[j] = p.kinds[j] == CONTINUOUS && present[0] >= 0 && present[present.length - 1] > 100
          && Quantile.of(present, 0.99) > 10 * Math.max(med, 1);
      if (p.log[j]) {
        for (int i = 0; i < present.length; i++) {
          present[i] = Math.log1p(present[i]);
        }
      }
      p.median[j] = Quantile.of(present, 0.5);
      double iqr = Quantile.of(present, 0.75) - Quantile.of(present, 0.25);
      if (!(iqr > 0)) {
        iqr = present[present.length - 1] - present[0];
      }
      p.scale[j] = iqr > 0 ? iqr : 1;
    }
    return p;
  }

  /**
   * Training time needed for hour/day features. With less, every hour not seen in training would
   * look anomalous (a model fitted on a night's traffic would flag the whole next morning).
   */
  public static final long CALENDAR_SPAN_MILLIS = 24 * 3_600_000L;

  private static boolean spansADay(Schema schema, List<Row> rows) {
    int c = schema.firstOfType(FieldType.TIMESTAMP);
    if (c < 0) {
      return false;
    }
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (Row r : rows) {
      double t = r.number(c);
      if (!Double.isNaN(t)) {
        min = Math.min(min, t);
        max = Math.max(max, t);
      }
    }
    return max - min >= CALENDAR_SPAN_MILLIS;
  }

  private static String key(String s) {
    return s == null ? "" : s;
  }

  private static int role(Schema schema, String[] names, FieldType type, int nth) {
    for (String name : names) {
      for (int i = 0; i < schema.size(); i++) {
        if (schema.field(i).name().equalsIgnoreCase(name) && schema.field(i).type() == type) {
          return i;
        }
      }
    }
    if (nth < 0) {
      return -1;
    }
    int seen = 0;
    for (int i = 0; i < schema.size(); i++) {
      if (schema.field(i).type() == type && seen++ == nth) {
        return i;
      }
    }
    return -1;
  }

  private static int[] pair(Schema schema, String[][] candidates) {
    for (String[] c : candidates) {
      int a = indexIgnoreCase(schema, c[0]);
      int b = indexIgnoreCase(schema, c[1]);
      if (a >= 0 && b >= 0 && schema.field(a).type() == FieldType.NUMERIC
          && schema.field(b).type() == FieldType.NUMERIC) {
        return new int[] {a, b};
      }
    }
    return null;
  }

  private static int indexIgnoreCase(Schema schema, String name) {
    for (int i = 0; i < schema.size(); i++) {
      if (schema.field(i).name().equalsIgnoreCase(name)) {
        return i;
      }
    }
    return -1;
  }

  private boolean hasWindows() {
    return timestampColumn >= 0 && srcColumn >= 0;
  }

  private void layout(List<String> n, List<Byte> k) {
    for (int c : numericColumns) {
      n.add(schema.field(c).name());
      k.add(CONTINUOUS);
    }
    if (calendar) {
      n.addAll(List.of("hour_of_day", "day_of_week", "is_weekend", "is_business_hours"));
      k.addAll(List.of(CONTINUOUS, CONTINUOUS, BINARY, BINARY));
    }
    for (CategoryEncoder e : encoders) {
      String base = schema.field(e.column).name();
      if (!e.ephemeral) {
        n.add(base + "_freq");
        k.add(FREQUENCY);
      }
      if (e.port) {
        n.add(base + "_privileged");
        k.add(BINARY);
      }
      if (e.oneHot) {
        for (String v : e.vocab) {
          n.add(base + "=" + (v.isEmpty() ? "(empty)" : v));
          k.add(BINARY);
        }
        n.add(base + "=(other)");
        k.add(BINARY);
      }
    }
    if (srcColumn >= 0) {
      n.add("src_private");
      k.add(BINARY);
    }
    if (dstColumn >= 0) {
      n.add("dst_private");
      k.add(BINARY);
      n.add("dst_freq");
      k.add(FREQUENCY);
    }
    if (perPacket) {
      n.add("bytes_per_packet");
      k.add(CONTINUOUS);
    }
    if (byteColumns != null) {
      n.add("log_sent_received_ratio");
      k.add(FREQUENCY);
    }
    if (context != null) {
      for (int c : context.targets) {
        n.add(schema.field(c).name() + "_vs_service");
        k.add(FREQUENCY);
      }
    }
    if (hasWindows()) {
      n.addAll(List.of("win_connections", "win_distinct_dst_ips", "win_distinct_dst_ports",
          "win_total_bytes", "win_packet_rate", "win_same_dst", "win_same_dst_port", "dst_interval_cv"));
      k.addAll(List.of(CONTINUOUS, CONTINUOUS, CONTINUOUS, CONTINUOUS, CONTINUOUS, CONTINUOUS, CONTINUOUS,
          FREQUENCY));
    }
  }

  /** A fresh window state sized by the fit options. */
  WindowAggregator newWindows() {
    return hasWindows() ? new WindowAggregator(options.windowMillis, options.maxSources) : null;
  }

  /** A new per-stream transformer (window state and scratch space). */
  public FeatureStream newStream() {
    return new FeatureStream(this);
  }

  /** Raw (untransformed, unscaled) features of one row; NaN where missing. Updates the windows. */
  void raw(Row r, WindowAggregator windows, double[] out) {
    int j = 0;
    for (int c : numericColumns) {
      out[j++] = r.number(c);
    }
    if (calendar) {
      double t = r.number(timestampColumn);
      if (Double.isNaN(t)) {
        out[j++] = Double.NaN;
        out[j++] = Double.NaN;
        out[j++] = Double.NaN;
        out[j++] = Double.NaN;
      } else {
        long ms = (long) t;
        long secOfDay = Math.floorMod(Math.floorDiv(ms, 1000L), 86_400L);
        // 1970-01-01 was a Thursday (3 with Monday = 0).
        int dow = (int) Math.floorMod(Math.floorDiv(ms, 86_400_000L) + 3, 7L);
        double hour = secOfDay / 3600.0;
        out[j++] = hour;
        out[j++] = dow;
        out[j++] = dow >= 5 ? 1 : 0;
        out[j++] = dow < 5 && hour >= 8 && hour < 18 ? 1 : 0;
      }
    }
    for (CategoryEncoder e : encoders) {
      String v = key(r.text(e.column));
      if (!e.ephemeral) {
        Double f = e.logFrequency.get(v);
        out[j++] = f == null ? e.unseen : f;
      }
      if (e.port) {
        double p = r.number(e.column);
        out[j++] = Double.isNaN(p) ? Double.NaN : (p < 1024 ? 1 : 0);
      }
      if (e.oneHot) {
        Integer at = e.index.get(v);
        int hot = at == null ? e.vocab.size() : at;
        for (int i = 0; i <= e.vocab.size(); i++) {
          out[j + i] = i == hot ? 1 : 0;
        }
        j += e.vocab.size() + 1;
      }
    }
    if (srcColumn >= 0) {
      out[j++] = privateFlag(r.text(srcColumn));
    }
    if (dstColumn >= 0) {
      out[j++] = privateFlag(r.text(dstColumn));
      Double f = dstFrequency.get(key(r.text(dstColumn)));
      out[j++] = f == null ? dstUnseen : f;
    }
    double bytes = Double.NaN;
    double packets = Double.NaN;
    if (byteColumns != null) {
      bytes = sum(r.number(byteColumns[0]), r.number(byteColumns[1]));
    }
    if (packetColumns != null) {
      packets = sum(r.number(packetColumns[0]), r.number(packetColumns[1]));
    }
    if (perPacket) {
      out[j++] = Double.isNaN(bytes) || Double.isNaN(packets) ? Double.NaN : bytes / Math.max(packets, 1);
    }
    if (byteColumns != null) {
      double s = r.number(byteColumns[0]);
      double rcv = r.number(byteColumns[1]);
      out[j++] = Double.isNaN(s) || Double.isNaN(rcv) ? Double.NaN : Math.log10((s + 1) / (rcv + 1));
    }
    if (context != null) {
      j = context.deviations(r, out, j);
    }
    if (hasWindows()) {
      double t = r.number(timestampColumn);
      if (Double.isNaN(t)) {
        for (int i = 0; i < WindowAggregator.WIDTH; i++) {
          out[j + i] = Double.NaN;
        }
      } else {
        double port = dstPortColumn >= 0 ? r.number(dstPortColumn) : Double.NaN;
        windows.update((long) t, r.text(srcColumn), dstColumn >= 0 ? r.text(dstColumn) : null,
            Double.isNaN(port) ? -1 : (int) port, bytes, packets, out, j);
      }
      j += WindowAggregator.WIDTH;
    }
  }

  private static double sum(double a, double b) {
    if (Double.isNaN(a)) {
      return b;
    }
    return Double.isNaN(b) ? a : a + b;
  }

  /** Imputes, log-transforms and scales raw features in place into {@code out[off..]}. */
  void finish(double[] raw, float[] out, int off) {
    for (int j = 0; j < raw.length; j++) {
      double v = raw[j];
      if (log[j] && !Double.isNaN(v)) {
        v = v > -1 ? Math.log1p(v) : Double.NaN;
      }
      if (Double.isNaN(v) || Double.isInfinite(v)) {
        v = median[j];
      }
      v = (v - median[j]) / scale[j];
      out[off + j] = (float) Math.max(-CLIP, Math.min(CLIP, v));
    }
  }

  /** Transforms rows in order with a fresh window state. */
  public Matrix transform(List<Row> rows) {
    FeatureStream s = newStream();
    float[] data = new float[rows.size() * width()];
    for (int i = 0; i < rows.size(); i++) {
      s.transform(rows.get(i), data, i * width());
    }
    return new Matrix(data, rows.size(), width());
  }

  /** 1 when the address is private, loopback, link-local or unique-local; NaN when missing. */
  static double privateFlag(String ip) {
    if (ip == null || ip.isEmpty()) {
      return Double.NaN;
    }
    if (ip.indexOf(':') >= 0) {
      String s = ip.toLowerCase(java.util.Locale.ROOT);
      return s.equals("::1") || s.startsWith("fc") || s.startsWith("fd") || s.startsWith("fe80") ? 1 : 0;
    }
    int a = octet(ip, 0);
    int dot = ip.indexOf('.');
    int b = dot < 0 ? -1 : octet(ip, dot + 1);
    if (a == 10 || a == 127) {
      return 1;
    }
    if (a == 172 && b >= 16 && b <= 31) {
      return 1;
    }
    if (a == 192 && b == 168) {
      return 1;
    }
    return a == 169 && b == 254 ? 1 : 0;
  }

  private static int octet(String s, int from) {
    int v = 0;
    int i = from;
    for (; i < s.length() && i < from + 3; i++) {
      char ch = s.charAt(i);
      if (ch < '0' || ch > '9') {
        break;
      }
      v = v * 10 + (ch - '0');
    }
    return i == from ? -1 : v;
  }

  /** Number of output features. */
  public int width() {
    return names.length;
  }

  /** Output feature names, in matrix column order. */
  public List<String> featureNames() {
    return Collections.unmodifiableList(Arrays.asList(names));
  }

  public Schema schema() {
    return schema;
  }

  public FitOptions options() {
    return options;
  }

  /** Training 1st percentile of feature {@code j} in its raw unit (before log and scaling). */
  public double normalLow(int j) {
    return low[j];
  }

  /** Training 99th percentile of feature {@code j} in its raw unit. */
  public double normalHigh(int j) {
    return high[j];
  }

  /** Whether feature {@code j} is log1p-transformed. */
  public boolean logTransformed(int j) {
    return log[j];
  }

  /**
   * The training median of a NUMERIC column in its own unit, for forms that start from a typical
   * record; NaN for other columns or a column that was always missing.
   *
   * @param column the schema column index
   */
  public double typicalValue(int column) {
    if (schema.field(column).type() != FieldType.NUMERIC) {
      return Double.NaN;
    }
    String name = schema.field(column).name();
    for (int j = 0; j < names.length; j++) {
      if (names[j].equals(name) && kinds[j] == CONTINUOUS) {
        return log[j] ? Math.expm1(median[j]) : median[j];
      }
    }
    return Double.NaN;
  }

  /**
   * The values of a CATEGORICAL or PORT column seen in training, most frequent first, at most
   * {@code limit}; empty for other columns and for client-port columns (no value is frequent).
   *
   * @param column the schema column index
   */
  public List<String> knownValues(int column, int limit) {
    for (CategoryEncoder e : encoders) {
      if (e.column == column) {
        return e.logFrequency.entrySet().stream()
            .sorted((a, b) -> a.getValue().equals(b.getValue()) ? a.getKey().compareTo(b.getKey())
                : Double.compare(b.getValue(), a.getValue()))
            .limit(limit).map(Map.Entry::getKey).collect(java.util.stream.Collectors.toUnmodifiableList());
      }
    }
    return List.of();
  }

  // ---- persistence ----------------------------------------------------------------------------

  /** Writes the fitted state: parameters into {@code node}, arrays under {@code prefix}. */
  public void writeTo(ModelArchive.Builder archive, ObjectNode node, String prefix) {
    node.put("window_millis", options.windowMillis);
    node.put("max_sources", options.maxSources);
    node.put("max_categories", options.maxCategories);
    node.put("min_category_share", options.minCategoryShare);
    node.put("calendar_features", calendar);
    ArrayNode features = node.putArray("features");
    for (String s : names) {
      features.add(s);
    }
    ArrayNode enc = node.putArray("encoders");
    for (CategoryEncoder e : encoders) {
      ObjectNode o = enc.addObject();
      o.put("column", schema.field(e.column).name());
      o.put("one_hot", e.oneHot);
      o.put("ephemeral", e.ephemeral);
      o.put("unseen_log_frequency", e.unseen);
      ArrayNode vocab = o.putArray("vocabulary");
      e.vocab.forEach(vocab::add);
      ArrayNode values = o.putArray("frequency_values");
      ArrayNode freqs = o.putArray("log_frequencies");
      e.logFrequency.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(en -> {
        values.add(en.getKey());
        freqs.add(en.getValue());
      });
    }
    ObjectNode dst = node.putObject("destination_frequency");
    dst.put("unseen_log_frequency", dstUnseen);
    ArrayNode dv = dst.putArray("values");
    ArrayNode df = dst.putArray("log_frequencies");
    dstFrequency.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(en -> {
      dv.add(en.getKey());
      df.add(en.getValue());
    });
    if (context != null) {
      context.writeTo(node.putObject("service_context"), schema);
    }
    int[] logs = new int[log.length];
    for (int j = 0; j < log.length; j++) {
      logs[j] = log[j] ? 1 : 0;
    }
    archive.put(prefix + "log", logs);
    archive.put(prefix + "median", median.clone());
    archive.put(prefix + "scale", scale.clone());
    archive.put(prefix + "low", low.clone());
    archive.put(prefix + "high", high.clone());
  }

  /**
   * Reads a pipeline written by {@link #writeTo}; checks the feature layout it rebuilds from the
   * schema against the stored names, so a file that does not fit this code is refused.
   */
  public static FeaturePipeline readFrom(Schema schema, ModelArchive archive, JsonNode node, String prefix)
      throws ModelFormatException {
    try {
      FitOptions options = new FitOptions(req(node, "window_millis").asLong(), req(node, "max_sources").asInt(),
          req(node, "max_categories").asInt(), req(node, "min_category_share").asDouble());
      List<CategoryEncoder> enc = new ArrayList<>();
      JsonNode encs = req(node, "encoders");
      for (JsonNode o : encs) {
        int col = schema.indexOf(req(o, "column").asText());
        if (col < 0) {
          throw new ModelFormatException("pipeline encoder names unknown column " + o.get("column"));
        }
        List<String> vocab = new ArrayList<>();
        req(o, "vocabulary").forEach(v -> vocab.add(v.asText()));
        Map<String, Double> freq = readFrequencies(req(o, "frequency_values"), req(o, "log_frequencies"));
        enc.add(new CategoryEncoder(col, schema.field(col).type() == FieldType.PORT,
            req(o, "one_hot").asBoolean(), req(o, "ephemeral").asBoolean(), vocab, freq,
            req(o, "unseen_log_frequency").asDouble()));
      }
      JsonNode dst = req(node, "destination_frequency");
      Map<String, Double> dstFreq = readFrequencies(req(dst, "values"), req(dst, "log_frequencies"));
      ServiceContext ctx = node.hasNonNull("service_context")
          ? ServiceContext.readFrom(node.get("service_context"), schema) : null;
      FeaturePipeline p = new FeaturePipeline(schema, options, enc.toArray(new CategoryEncoder[0]),
          dstFreq, req(dst, "unseen_log_frequency").asDouble(), ctx, req(node, "calendar_features").asBoolean());
      JsonNode features = req(node, "features");
      if (features.size() != p.names.length) {
        throw new ModelFormatException("pipeline has " + features.size() + " features, expected " + p.names.length);
      }
      for (int j = 0; j < p.names.length; j++) {
        if (!features.get(j).asText().equals(p.names[j])) {
          throw new ModelFormatException("pipeline feature " + j + " is '" + features.get(j).asText()
              + "', expected '" + p.names[j] + "'");
        }
      }
      int[] logs = archive.ints(prefix + "log");
      double[][] arrays = {archive.doubles(prefix + "median"), archive.doubles(prefix + "scale"),
          archive.doubles(prefix + "low"), archive.doubles(prefix + "high")};
      if (logs.length != p.names.length) {
        throw new ModelFormatException("pipeline array 'log' has " + logs.length + " entries, expected " + p.names.length);
      }
      for (double[] a : arrays) {
        if (a.length != p.names.length) {
          throw new ModelFormatException("pipeline arrays have " + a.length + " entries, expected " + p.names.length);
        }
      }
      for (int j = 0; j < p.names.length; j++) {
        p.log[j] = logs[j] != 0;
        p.median[j] = arrays[0][j];
        p.scale[j] = arrays[1][j];
        p.low[j] = arrays[2][j];
        p.high[j] = arrays[3][j];
        if (!(p.scale[j] > 0) || Double.isInfinite(p.scale[j]) || !Double.isFinite(p.median[j])) {
          throw new ModelFormatException("pipeline scale/median of feature '" + p.names[j] + "' is invalid");
        }
      }
      return p;
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException("pipeline: " + e.getMessage(), e);
    }
  }

  private static Map<String, Double> readFrequencies(JsonNode values, JsonNode freqs) throws ModelFormatException {
    if (!values.isArray() || !freqs.isArray() || values.size() != freqs.size()) {
      throw new ModelFormatException("pipeline frequency table is malformed");
    }
    Map<String, Double> m = new HashMap<>();
    for (int i = 0; i < values.size(); i++) {
      m.put(values.get(i).asText(), freqs.get(i).asDouble());
    }
    return m;
  }

  private static JsonNode req(JsonNode n, String field) throws ModelFormatException {
    JsonNode v = n == null ? null : n.get(field);
    if (v == null || v.isNull()) {
      throw new ModelFormatException("pipeline lacks '" + field + "'");
    }
    return v;
  }

  /** Encoding of one CATEGORICAL or PORT column. Immutable. */
  static final class CategoryEncoder {
    final int column;
    final boolean port;
    final boolean oneHot;
    /** A port column of client ports: no value is frequent, so frequencies say nothing. */
    final boolean ephemeral;
    final List<String> vocab;
    final Map<String, Integer> index;
    final Map<String, Double> logFrequency;
    final double unseen;

    CategoryEncoder(int column, boolean port, boolean oneHot, boolean ephemeral, List<String> vocab,
        Map<String, Double> logFrequency, double unseen) {
      this.column = column;
      this.port = port;
      this.oneHot = oneHot;
      this.ephemeral = ephemeral;
      this.vocab = List.copyOf(vocab);
      Map<String, Integer> idx = new HashMap<>();
      for (int i = 0; i < vocab.size(); i++) {
        idx.put(vocab.get(i), i);
      }
      this.index = idx;
      this.logFrequency = Map.copyOf(logFrequency);
      this.unseen = unseen;
    }

    static CategoryEncoder fit(int column, Field f, Map<String, Integer> counts, int n, FitOptions o) {
      List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
      sorted.sort((a, b) -> b.getValue() != a.getValue().intValue()
          ? Integer.compare(b.getValue(), a.getValue()) : a.getKey().compareTo(b.getKey()));
      List<String> vocab = new ArrayList<>();
      for (Map.Entry<String, Integer> e : sorted) {
        if (vocab.size() >= o.maxCategories || e.getValue() < Math.max(2, o.minCategoryShare * n)) {
          break;
        }
        vocab.add(e.getKey());
      }
      boolean port = f.type() == FieldType.PORT;
      long top = sorted.stream().limit(32).mapToLong(Map.Entry::getValue).sum();
      boolean ephemeral = port && top < n / 2;
      boolean oneHot = !vocab.isEmpty() && !ephemeral;
      return new CategoryEncoder(column, port, oneHot, ephemeral, oneHot ? vocab : List.of(),
          ephemeral ? Map.of() : logFrequencies(counts, n, 10_000), Math.log10(0.5 / n));
    }

    /** log10 of each value's training share, for at most {@code limit} most frequent values. */
    static Map<String, Double> logFrequencies(Map<String, Integer> counts, int n, int limit) {
      Map<String, Double> m = new HashMap<>();
      counts.entrySet().stream()
          .sorted((a, b) -> b.getValue() != a.getValue().intValue()
              ? Integer.compare(b.getValue(), a.getValue()) : a.getKey().compareTo(b.getKey()))
          .limit(limit)
          .forEach(e -> m.put(e.getKey(), Math.log10((double) e.getValue() / n)));
      return m;
    }
  }
}
