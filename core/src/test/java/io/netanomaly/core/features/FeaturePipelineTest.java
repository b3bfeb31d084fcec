package io.netanomaly.core.features;

import io.netanomaly.core.eval.Quantile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.netanomaly.core.detect.Matrix;
import io.netanomaly.core.model.ModelArchive;
import io.netanomaly.core.schema.Field;
import io.netanomaly.core.schema.FieldType;
import io.netanomaly.core.schema.FlowRecord;
import io.netanomaly.core.schema.FlowSchema;
import io.netanomaly.core.schema.Row;
import io.netanomaly.core.schema.Schema;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FeaturePipelineTest {
  // Monday 2026-01-05 00:00 UTC
  private static final long MONDAY = Instant.parse("2026-01-05T00:00:00Z").toEpochMilli();

  private static List<Row> flows(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      boolean dns = r.nextInt(4) == 0;
      long sent = dns ? 60 + r.nextInt(20) : (long) Math.exp(6 + 2 * r.nextGaussian());
      long recv = dns ? 120 + r.nextInt(40) : (long) Math.exp(8 + 2 * r.nextGaussian());
      rows.add(new FlowRecord(MONDAY + i * 1000L, "10.0.0." + r.nextInt(50), "93.184.216." + r.nextInt(20),
          40000 + r.nextInt(20000), dns ? 53 : 443, dns ? "UDP" : "TCP", (sent + recv) / 4.0,
          r.nextDouble() * 3, dns ? "" : "SAPF", sent, recv, 2, 2, 0, "normal").toRow());
    }
    return rows;
  }

  @Test
  void flowLayoutHasEncodingsDerivedAndWindowFeatures() {
    FeaturePipeline p = FeaturePipeline.fit(FlowSchema.SCHEMA, flows(2_000, 1), FeaturePipeline.FitOptions.defaults().withOneHot(32));
    assertThat(p.featureNames()).contains("packet_size", "duration", "bytes_sent", "dst_port_freq", "dst_port_privileged", "dst_port=443", "dst_port=53",
        "dst_port=(other)", "protocol=TCP", "protocol=(other)", "flags=SAPF", "src_private", "dst_private",
        "dst_freq", "log_sent_received_ratio", "win_connections", "win_distinct_dst_ips",
        "win_distinct_dst_ports", "win_total_bytes", "win_packet_rate", "win_same_dst", "win_same_dst_port",
        "dst_interval_cv");
    // packet_size is already bytes per packet; training spans under a day, so no calendar features
    assertThat(p.featureNames()).doesNotContain("bytes_per_packet", "hour_of_day", "day_of_week");
    // client ports: neither one-hot nor frequency, only the privileged flag
    assertThat(p.featureNames()).contains("src_port_privileged").doesNotContain("src_port_freq");
    // ephemeral client ports: no one-hot columns, only frequency and the privileged flag
    assertThat(p.featureNames()).noneMatch(n -> n.startsWith("src_port="));
    assertThat(p.width()).isEqualTo(p.featureNames().size());
    assertThat(p.featureNames()).contains("packet_size_vs_service", "bytes_sent_vs_service", "duration_vs_service");
  }

  @Test
  void formsStartFromTrainingMediansAndTheMostFrequentCategories() {
    List<Row> rows = flows(2_000, 3);
    FeaturePipeline p = FeaturePipeline.fit(FlowSchema.SCHEMA, rows, FeaturePipeline.FitOptions.defaults());
    int sent = FlowSchema.SCHEMA.indexOf("bytes_sent");
    double[] values = rows.stream().mapToDouble(r -> r.number(sent)).sorted().toArray();
    // bytes_sent is heavy-tailed, so its median passes through log1p and back (the interpolation
    // between the two middle values happens in log space)
    assertThat(p.typicalValue(sent)).isBetween(values[999], values[1000]);
    assertThat(p.typicalValue(FlowSchema.SCHEMA.indexOf("protocol"))).isNaN();
    // three in four flows are TCP to 443, one in four UDP to 53
    assertThat(p.knownValues(FlowSchema.SCHEMA.indexOf("protocol"), 10)).containsExactly("TCP", "UDP");
    assertThat(p.knownValues(FlowSchema.SCHEMA.indexOf("dst_port"), 1)).containsExactly("443");
    assertThat(p.knownValues(FlowSchema.SCHEMA.indexOf("src_port"), 10)).as("client ports").isEmpty();
    assertThat(p.knownValues(sent, 10)).isEmpty();
  }

  @Test
  void byDefaultCategoriesAreFrequencyEncodedWithoutOneHotColumns() {
    FeaturePipeline p = FeaturePipeline.fit(FlowSchema.SCHEMA, flows(500, 1), FeaturePipeline.FitOptions.defaults());
    assertThat(p.featureNames()).contains("dst_port_freq", "protocol_freq", "flags_freq")
        .noneMatch(n -> n.contains("="));
  }

  @Test
  void deviationFromTheServiceNormIsMeasuredInTheServicesOwnSpread() {
    List<Row> rows = flows(2_000, 7);
    FeaturePipeline p = FeaturePipeline.fit(FlowSchema.SCHEMA, rows, FeaturePipeline.FitOptions.defaults());
    // a 250-byte DNS query: ordinary next to web flows, far outside DNS's own 60-80 bytes
    Row query = new FlowRecord(MONDAY + 3_000_000, "10.0.0.1", "93.184.216.1", 40000, 53, "UDP", 250, 0.01, "",
        250, 250, 1, 1, 0, "normal").toRow();
    double[] raw = new double[p.width()];
    p.newStream().transform(query, new float[p.width()], 0, raw);
    int i = p.featureNames().indexOf("bytes_sent_vs_service");
    assertThat(raw[i]).isGreaterThan(5);
    Row web = new FlowRecord(MONDAY + 3_000_000, "10.0.0.1", "93.184.216.1", 40000, 443, "TCP", 250, 0.01, "SAPF",
        250, 250, 1, 1, 0, "normal").toRow();
    p.newStream().transform(web, new float[p.width()], 0, raw);
    assertThat(Math.abs(raw[i])).isLessThan(1.5);
  }

  @Test
  void heavyTailedCountsAreLogTransformedAndScaledRobustly() {
    List<Row> rows = flows(2_000, 2);
    FeaturePipeline p = FeaturePipeline.fit(FlowSchema.SCHEMA, rows, FeaturePipeline.FitOptions.defaults().withOneHot(32));
    int bytes = p.featureNames().indexOf("bytes_received");
    int duration = p.featureNames().indexOf("duration");
    assertThat(p.logTransformed(bytes)).isTrue();
    assertThat(p.logTransformed(duration)).as("uniform 0-3 s is not heavy-tailed").isFalse();
    Matrix m = p.transform(rows);
    double[] col = new double[m.rows()];
    for (int i = 0; i < m.rows(); i++) {
      col[i] = m.get(i, bytes);
    }
    java.util.Arrays.sort(col);
    // robust scaling: median 0, IQR 1
    assertThat(Quantile.of(col, 0.5)).isCloseTo(0, within(0.01));
    assertThat(Quantile.of(col, 0.75) - Quantile.of(col, 0.25)).isCloseTo(1, within(0.02));
  }

  @Test
  void unseenCategoriesGoToTheOtherBucketWithTheLowestFrequency() {
    List<Row> rows = flows(1_000, 3);
    FeaturePipeline p = FeaturePipeline.fit(FlowSchema.SCHEMA, rows, FeaturePipeline.FitOptions.defaults().withOneHot(32));
    Row odd = new FlowRecord(MONDAY + 5_000_000, "10.0.0.1", "203.0.113.9", 40000, 31337, "GRE", 100, 1, "",
        100, 100, 1, 1, 1, "unknown_protocol").toRow();
    List<String> names = p.featureNames();
    float[] out = new float[p.width()];
    p.newStream().transform(odd, out, 0);
    float[] normal = new float[p.width()];
    p.newStream().transform(rows.get(0), normal, 0);
    assertThat(out[names.indexOf("protocol=(other)")]).isGreaterThan(normal[names.indexOf("protocol=(other)")]);
    assertThat(out[names.indexOf("protocol=TCP")]).isLessThanOrEqualTo(normal[names.indexOf("protocol=TCP")]);
    assertThat(out[names.indexOf("dst_port_freq")]).isLessThan(normal[names.indexOf("dst_port_freq")]);
    assertThat(out[names.indexOf("dst_freq")]).isLessThan(normal[names.indexOf("dst_freq")]);
    assertThat(out[names.indexOf("dst_private")]).isEqualTo(normal[names.indexOf("dst_private")]);
  }

  @Test
  void timeFeaturesFollowTheEventClockInUtc() {
    Schema s = new Schema("t", List.of(new Field("ts", FieldType.TIMESTAMP), new Field("x", FieldType.NUMERIC)), null, null);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      rows.add(row(MONDAY + i * 3_600_000L, i));
    }
    FeaturePipeline p = FeaturePipeline.fit(s, rows, FeaturePipeline.FitOptions.defaults().withOneHot(32));
    double[] raw = new double[p.width()];
    // Saturday 2026-01-10 14:30 UTC
    p.newStream().transform(row(Instant.parse("2026-01-10T14:30:00Z").toEpochMilli(), 1), new float[p.width()], 0, raw);
    List<String> n = p.featureNames();
    assertThat(raw[n.indexOf("hour_of_day")]).isEqualTo(14.5);
    assertThat(raw[n.indexOf("day_of_week")]).isEqualTo(5);
    assertThat(raw[n.indexOf("is_weekend")]).isEqualTo(1);
    assertThat(raw[n.indexOf("is_business_hours")]).isEqualTo(0);
    p.newStream().transform(row(Instant.parse("2026-01-06T09:00:00Z").toEpochMilli(), 1), new float[p.width()], 0, raw);
    assertThat(raw[n.indexOf("day_of_week")]).isEqualTo(1);
    assertThat(raw[n.indexOf("is_business_hours")]).isEqualTo(1);
  }

  @Test
  void calendarFeaturesNeedADayOfTraining() {
    Schema s = new Schema("t", List.of(new Field("ts", FieldType.TIMESTAMP), new Field("x", FieldType.NUMERIC)), null, null);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      rows.add(row(MONDAY + i * 60_000L, i));
    }
    FeaturePipeline p = FeaturePipeline.fit(s, rows, FeaturePipeline.FitOptions.defaults());
    assertThat(p.featureNames()).containsExactly("x");
  }

  private static Row row(long t, double x) {
    return new Row(new double[] {t, x}, new String[] {null, null}, Row.UNLABELLED, null, 0);
  }

  @Test
  void missingValuesAreImputedWithTheTrainingMedian() {
    List<Row> rows = flows(500, 4);
    FeaturePipeline p = FeaturePipeline.fit(FlowSchema.SCHEMA, rows, FeaturePipeline.FitOptions.defaults().withOneHot(32));
    int dur = p.featureNames().indexOf("duration");
    double[] num = new double[FlowSchema.SCHEMA.size()];
    String[] txt = new String[FlowSchema.SCHEMA.size()];
    for (int i = 0; i < num.length; i++) {
      num[i] = rows.get(0).number(i);
      txt[i] = rows.get(0).text(i);
    }
    num[FlowSchema.I_DURATION] = Double.NaN;
    float[] out = new float[p.width()];
    p.newStream().transform(new Row(num, txt, 0, "normal", 1), out, 0);
    assertThat(out[dur]).isEqualTo(0f);
  }

  @Test
  void writtenAndReadBackItTransformsIdentically() throws Exception {
    List<Row> rows = flows(1_000, 5);
    FeaturePipeline p = FeaturePipeline.fit(FlowSchema.SCHEMA, rows, FeaturePipeline.FitOptions.defaults().withOneHot(32));
    ModelArchive.Builder b = ModelArchive.builder();
    p.writeTo(b, b.manifest().putObject("pipeline"), "p.");
    ModelArchive a = b.build();
    FeaturePipeline q = FeaturePipeline.readFrom(FlowSchema.SCHEMA, a, a.manifest().get("pipeline"), "p.");
    assertThat(q.featureNames()).isEqualTo(p.featureNames());
    assertThat(q.transform(rows).data()).isEqualTo(p.transform(rows).data());
  }

  @Test
  void aStoredLayoutThatDoesNotMatchTheSchemaIsRefused() {
    List<Row> rows = flows(300, 6);
    FeaturePipeline p = FeaturePipeline.fit(FlowSchema.SCHEMA, rows, FeaturePipeline.FitOptions.defaults().withOneHot(32));
    ModelArchive.Builder b = ModelArchive.builder();
    var node = b.manifest().putObject("pipeline");
    p.writeTo(b, node, "p.");
    ((com.fasterxml.jackson.databind.node.ArrayNode) node.get("features")).set(0,
        com.fasterxml.jackson.databind.node.TextNode.valueOf("something_else"));
    ModelArchive a = b.build();
    assertThatThrownBy(() -> FeaturePipeline.readFrom(FlowSchema.SCHEMA, a, a.manifest().get("pipeline"), "p."))
        .isInstanceOf(io.netanomaly.core.model.ModelFormatException.class)
        .hasMessageContaining("something_else");
  }

  @Test
  void privateAddressRanges() {
    assertThat(FeaturePipeline.privateFlag("10.1.2.3")).isEqualTo(1);
    assertThat(FeaturePipeline.privateFlag("172.16.0.1")).isEqualTo(1);
    assertThat(FeaturePipeline.privateFlag("172.32.0.1")).isEqualTo(0);
    assertThat(FeaturePipeline.privateFlag("192.168.1.1")).isEqualTo(1);
    assertThat(FeaturePipeline.privateFlag("8.8.8.8")).isEqualTo(0);
    assertThat(FeaturePipeline.privateFlag("fd00::1")).isEqualTo(1);
    assertThat(FeaturePipeline.privateFlag("2001:db8::1")).isEqualTo(0);
    assertThat(FeaturePipeline.privateFlag(null)).isNaN();
  }
}
