package io.netanomaly.core.features;

import io.netanomaly.core.eval.Quantile;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netanomaly.core.model.ModelFormatException;
import io.netanomaly.core.schema.FieldType;
import io.netanomaly.core.schema.Row;
import io.netanomaly.core.schema.Schema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What is normal for each service: the training median of log1p(size, bytes, duration) per value
 * of the service column (the destination port for flows, {@code service} for NSL-KDD and
 * UNSW-NB15), so a row can be compared with its own service rather than with all traffic. A 300-byte
 * DNS packet is ordinary next to web traffic but ten times the DNS norm; a 2-second SSH session is
 * short for SSH. Services seen fewer than {@link #MIN_ROWS} times use the all-traffic median.
 *
 * <p>Immutable and thread-safe.
 */
final class ServiceContext {
  static final int MIN_ROWS = 20;
  private static final String[] SERVICE_NAMES = {"dst_port", "dsport", "service", "destination_port", "id.resp_p"};
  private static final String[] TARGET_NAMES = {"packet_size", "bytes_sent", "bytes_received", "duration",
      "src_bytes", "dst_bytes", "sbytes", "dbytes", "dur", "smeansz", "dmeansz"};

  final int serviceColumn;
  final int[] targets;
  /** Per service: medians of the targets, then their interquartile ranges (floored). */
  private final Map<String, double[]> medians;
  private final double[] overall;

  private ServiceContext(int serviceColumn, int[] targets, Map<String, double[]> medians, double[] overall) {
    this.serviceColumn = serviceColumn;
    this.targets = targets;
    this.medians = medians;
    this.overall = overall;
  }

  /** Smallest spread used, in log1p units (about ±10%), so near-constant services do not explode. */
  static final double MIN_IQR = 0.1;

  /** The service and target columns of {@code schema}, or null when it has none. */
  private static int[] columns(Schema schema) {
    int service = -1;
    for (String name : SERVICE_NAMES) {
      int i = schema.indexOf(name);
      if (i >= 0 && (schema.field(i).type() == FieldType.PORT || schema.field(i).type() == FieldType.CATEGORICAL)) {
        service = i;
        break;
      }
    }
    List<Integer> t = new ArrayList<>();
    for (String name : TARGET_NAMES) {
      int i = schema.indexOf(name);
      if (i >= 0 && schema.field(i).type() == FieldType.NUMERIC) {
        t.add(i);
      }
    }
    if (service < 0 || t.isEmpty()) {
      return null;
    }
    int[] out = new int[t.size() + 1];
    out[0] = service;
    for (int k = 0; k < t.size(); k++) {
      out[k + 1] = t.get(k);
    }
    return out;
  }

  static ServiceContext fit(Schema schema, List<Row> rows) {
    int[] cols = columns(schema);
    if (cols == null) {
      return null;
    }
    int service = cols[0];
    int[] targets = Arrays.copyOfRange(cols, 1, cols.length);
    Map<String, List<double[]>> byService = new HashMap<>();
    List<double[]> all = new ArrayList<>(rows.size());
    for (Row r : rows) {
      double[] v = new double[targets.length];
      for (int k = 0; k < targets.length; k++) {
        v[k] = log1p(r.number(targets[k]));
      }
      all.add(v);
      byService.computeIfAbsent(key(r.text(service)), x -> new ArrayList<>()).add(v);
    }
    Map<String, double[]> medians = new HashMap<>();
    for (Map.Entry<String, List<double[]>> e : byService.entrySet()) {
      if (e.getValue().size() >= MIN_ROWS) {
        medians.put(e.getKey(), medians(e.getValue(), targets.length));
      }
    }
    return new ServiceContext(service, targets, medians, medians(all, targets.length));
  }

  /** Medians of each target followed by their interquartile ranges (at least {@link #MIN_IQR}). */
  private static double[] medians(List<double[]> values, int width) {
    double[] m = new double[2 * width];
    for (int k = 0; k < width; k++) {
      final int kk = k;
      double[] col = values.stream().mapToDouble(v -> v[kk]).filter(x -> !Double.isNaN(x)).sorted().toArray();
      m[k] = col.length == 0 ? 0 : Quantile.of(col, 0.5);
      double iqr = col.length == 0 ? 0 : Quantile.of(col, 0.75) - Quantile.of(col, 0.25);
      m[width + k] = Math.max(MIN_IQR, iqr);
    }
    return m;
  }

  private static double log1p(double x) {
    return Double.isNaN(x) || x <= -1 ? Double.NaN : Math.log1p(x);
  }

  private static String key(String s) {
    return s == null ? "" : s;
  }

  /**
   * Writes (log1p(x) − service median) / service IQR for each target into {@code out[j..]};
   * returns the next index.
   */
  int deviations(Row r, double[] out, int j) {
    double[] m = medians.get(key(r.text(serviceColumn)));
    if (m == null) {
      m = overall;
    }
    int w = targets.length;
    for (int k = 0; k < w; k++) {
      out[j++] = (log1p(r.number(targets[k])) - m[k]) / m[w + k];
    }
    return j;
  }

  void writeTo(ObjectNode node, Schema schema) {
    node.put("service_column", schema.field(serviceColumn).name());
    ArrayNode t = node.putArray("targets");
    for (int c : targets) {
      t.add(schema.field(c).name());
    }
    ArrayNode o = node.putArray("overall");
    for (double v : overall) {
      o.add(v);
    }
    ObjectNode per = node.putObject("medians");
    new TreeMap<>(medians).forEach((k, v) -> {
      ArrayNode a = per.putArray(k);
      for (double x : v) {
        a.add(x);
      }
    });
  }

  static ServiceContext readFrom(JsonNode node, Schema schema) throws ModelFormatException {
    int[] cols = columns(schema);
    if (cols == null || !schema.field(cols[0]).name().equals(node.path("service_column").asText())) {
      throw new ModelFormatException("pipeline service context does not match the schema");
    }
    int[] targets = Arrays.copyOfRange(cols, 1, cols.length);
    JsonNode t = node.path("targets");
    if (!t.isArray() || t.size() != targets.length) {
      throw new ModelFormatException("pipeline service context targets do not match the schema");
    }
    for (int k = 0; k < targets.length; k++) {
      if (!t.get(k).asText().equals(schema.field(targets[k]).name())) {
        throw new ModelFormatException("pipeline service context target " + k + " is '" + t.get(k).asText() + "'");
      }
    }
    double[] overall = numbers(node.path("overall"), 2 * targets.length, "overall");
    Map<String, double[]> medians = new HashMap<>();
    var it = node.path("medians").fields();
    while (it.hasNext()) {
      var e = it.next();
      medians.put(e.getKey(), numbers(e.getValue(), 2 * targets.length, e.getKey()));
    }
    return new ServiceContext(cols[0], targets, medians, overall);
  }

  private static double[] numbers(JsonNode a, int n, String what) throws ModelFormatException {
    if (!a.isArray() || a.size() != n) {
      throw new ModelFormatException("pipeline service context '" + what + "' needs " + n + " numbers");
    }
    double[] v = new double[n];
    for (int k = 0; k < n; k++) {
      if (!a.get(k).isNumber() || !Double.isFinite(a.get(k).asDouble())) {
        throw new ModelFormatException("pipeline service context '" + what + "' holds a non-number");
      }
      v[k] = a.get(k).asDouble();
    }
    for (int k = n / 2; k < n; k++) {
      if (!(v[k] >= MIN_IQR)) {
        throw new ModelFormatException("pipeline service context '" + what + "' has a spread below " + MIN_IQR);
      }
    }
    return v;
  }
}
