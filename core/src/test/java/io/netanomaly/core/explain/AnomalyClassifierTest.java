package io.netanomaly.core.explain;

import static org.assertj.core.api.Assertions.assertThat;

import io.netanomaly.core.io.DataFormat;
import io.netanomaly.core.io.NslKdd;
import io.netanomaly.core.io.ReadOptions;
import io.netanomaly.core.io.Readers;
import io.netanomaly.core.io.RowSource;
import io.netanomaly.core.pipeline.DetectionPipeline;
import io.netanomaly.core.schema.FlowRecord;
import io.netanomaly.core.schema.FlowSchema;
import io.netanomaly.core.schema.Row;
import io.netanomaly.core.synth.TrafficSimulator;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hand-built textbook examples of each anomaly type, scored by a model trained on simulated flows,
 * must get their type's name; tables that are not flows always get "behavioural".
 */
class AnomalyClassifierTest {
  /** A Tuesday at 10:00 UTC, two weeks after the training traffic began: business hours. */
  private static final long T0 = TrafficSimulator.DEFAULT_START_MILLIS + (8L * 24 + 10) * 3_600_000L;
  private static final String CLIENT = "10.21.7.33";
  private static final String SERVER = "10.0.3.20";
  private static final String EXTERNAL = "198.51.100.23";

  private static DetectionPipeline model;
  private static AnomalyClassifier classifier;

  @BeforeAll
  static void train() {
    TrafficSimulator sim = TrafficSimulator.builder().seed(3).build();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      rows.add(sim.next().toRow());
    }
    model = DetectionPipeline.builder().seed(1).threads(2).fit(FlowSchema.SCHEMA, rows);
    classifier = new AnomalyClassifier(model.features());
  }

  private static FlowRecord flow(long t, String src, String dst, int dstPort, String protocol, double duration,
      String flags, long bytesSent, long bytesReceived, long packetsSent, long packetsReceived) {
    double size = (bytesSent + bytesReceived) / (double) Math.max(1, packetsSent + packetsReceived);
    return new FlowRecord(t, src, dst, 49_152 + (int) (t % 10_000), dstPort, protocol, size, duration, flags,
        bytesSent, bytesReceived, packetsSent, packetsReceived, 1, null);
  }

  /** The type of the last flow, all flows scored in order through one session (so windows fill). */
  private static String typeOfLast(List<FlowRecord> flows) {
    List<Row> rows = flows.stream().map(FlowRecord::toRow).toList();
    int width = model.features().width();
    double[] scores = new double[rows.size()];
    double[] raw = new double[rows.size() * width];
    model.newSession().score(rows, scores, raw);
    int last = rows.size() - 1;
    return classifier.classify(rows.get(last), raw, last * width);
  }

  private static String typeOf(FlowRecord f) {
    return typeOfLast(List.of(f));
  }

  /**
   * On the simulator's own attacks (held-out seed 4) the flagged rows mostly get their scenario's
   * name, and flagged normal rows rarely get a signature name they do not deserve. Floors, with
   * room: the first flows of an episode cannot show repetition yet.
   */
  @Test
  void simulatedAttacksThatAreFlaggedGetTheirOwnName() {
    TrafficSimulator sim = TrafficSimulator.builder().seed(4).build();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 40_000; i++) {
      rows.add(sim.next().toRow());
    }
    int width = model.features().width();
    double[] scores = new double[rows.size()];
    double[] raw = new double[rows.size() * width];
    model.newSession().score(rows, scores, raw);
    Map<String, Integer> flagged = new TreeMap<>();
    Map<String, Integer> named = new TreeMap<>();
    int normalsNamedBruteForce = 0;
    for (int i = 0; i < rows.size(); i++) {
      if (!model.threshold().isAnomaly(scores[i])) {
        continue;
      }
      String truth = rows.get(i).anomalyType();
      String got = classifier.classify(rows.get(i), raw, i * width);
      flagged.merge(truth, 1, Integer::sum);
      if (got.equals(truth)) {
        named.merge(truth, 1, Integer::sum);
      }
      if (truth.equals("normal") && got.equals("brute_force")) {
        normalsNamedBruteForce++;
      }
    }
    for (String type : List.of("syn_flood", "brute_force", "port_scan", "data_exfiltration", "large_packet",
        "unknown_protocol", "dns_tunneling", "long_duration")) {
      assertThat(flagged.getOrDefault(type, 0)).as(type + " flagged").isGreaterThan(20);
      assertThat(named.getOrDefault(type, 0) / (double) flagged.get(type)).as(type + " named").isGreaterThan(0.5);
    }
    assertThat(normalsNamedBruteForce / (double) flagged.get("normal")).isLessThan(0.1);
  }

  @Test
  void appliesToTheFlowSchema() {
    assertThat(classifier.appliesToFlows()).isTrue();
  }

  @Test
  void greIsAnUnknownProtocol() {
    assertThat(typeOf(flow(T0, CLIENT, EXTERNAL, 0, "GRE", 30, "", 40_000, 38_000, 60, 58)))
        .isEqualTo("unknown_protocol");
  }

  @Test
  void nineKilobytePerPacketIcmpIsALargePacket() {
    assertThat(typeOf(flow(T0, CLIENT, SERVER, 0, "ICMP", 0.01, "", 9_000, 9_000, 1, 1)))
        .isEqualTo("large_packet");
  }

  @Test
  void aFiveHourSessionWithModestBytesIsALongDuration() {
    assertThat(typeOf(flow(T0, CLIENT, EXTERNAL, 443, "TCP", 5 * 3_600, "SAPF", 60_000, 90_000, 200, 220)))
        .isEqualTo("long_duration");
  }

  @Test
  void a500MegabyteUploadToAnExternalHostIsExfiltration() {
    assertThat(typeOf(flow(T0, CLIENT, EXTERNAL, 443, "TCP", 900, "SAPF", 500_000_000, 2_000_000, 360_000, 40_000)))
        .isEqualTo("data_exfiltration");
  }

  @Test
  void port31337IsASuspiciousPort() {
    assertThat(typeOf(flow(T0, CLIENT, EXTERNAL, 31337, "TCP", 2, "SAPF", 1_200, 900, 8, 7)))
        .isEqualTo("suspicious_port");
  }

  @Test
  void synOnlyFlowsToFortyPortsOfOneHostInFiveSecondsAreAPortScan() {
    List<FlowRecord> flows = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      flows.add(flow(T0 + i * 125L, CLIENT, SERVER, 1_000 + i * 37, "TCP", 0.0, "S", 60, 0, 1, 0));
    }
    assertThat(typeOfLast(flows)).isEqualTo("port_scan");
  }

  @Test
  void sixtySynOnlyFlowsToPort80InOneSecondAreASynFlood() {
    List<FlowRecord> flows = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      flows.add(flow(T0 + i * 16L, CLIENT, SERVER, 80, "TCP", 0.0, "S", 60, 0, 1, 0));
    }
    assertThat(typeOfLast(flows)).isEqualTo("syn_flood");
  }

  @Test
  void fortyShortSshConnectionsInFortySecondsAreBruteForce() {
    List<FlowRecord> flows = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      flows.add(flow(T0 + i * 1_000L, CLIENT, SERVER, 22, "TCP", 0.8, "SAPF", 1_800, 2_400, 12, 11));
    }
    assertThat(typeOfLast(flows)).isEqualTo("brute_force");
  }

  @Test
  void twoHundredFiftyBytePacketsToDnsAreDnsTunnelling() {
    assertThat(typeOf(flow(T0, CLIENT, EXTERNAL, 53, "UDP", 0.05, "", 250, 250, 1, 1)))
        .isEqualTo("dns_tunneling");
  }

  @Test
  void anOrdinaryWebFlowIsNoneOfTheSignatures() {
    String type = typeOf(flow(T0, CLIENT, SERVER, 443, "TCP", 1.2, "SAPF", 2_000, 30_000, 15, 25));
    assertThat(type).isIn("behavioural", "beaconing");
  }

  @Test
  void tablesThatAreNotFlowsAreAlwaysBehavioural() throws Exception {
    StringBuilder csv = new StringBuilder();
    String[] protocols = {"tcp", "udp", "icmp"};
    for (int i = 0; i < 30; i++) {
      csv.append(i % 5).append(',').append(protocols[i % 3]).append(",http,SF,").append(200 + i * 10).append(',')
          .append(1000 + i * 100);
      for (int c = 7; c <= 41; c++) {
        csv.append(',').append(c == 23 ? Integer.toString(i) : "0");
      }
      csv.append(i % 4 == 0 ? ",neptune," : ",normal,").append("20\n");
    }
    List<Row> rows = new ArrayList<>();
    try (RowSource src = Readers.open(new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8)),
        "kdd", DataFormat.NSL_KDD, ReadOptions.builder().format(DataFormat.NSL_KDD).build())) {
      while (src.hasNext()) {
        rows.add(src.next());
      }
    }
    assertThat(rows).hasSize(30);
    DetectionPipeline kdd = DetectionPipeline.builder().trees(10).sampleSize(16).threads(1)
        .fit(NslKdd.SCHEMA, rows);
    AnomalyClassifier c = new AnomalyClassifier(kdd.features());
    int width = kdd.features().width();
    double[] scores = new double[rows.size()];
    double[] raw = new double[rows.size() * width];
    kdd.newSession().score(rows, scores, raw);

    assertThat(c.appliesToFlows()).isFalse();
    for (int i = 0; i < rows.size(); i++) {
      assertThat(c.classify(rows.get(i), raw, i * width)).isEqualTo("behavioural");
    }
  }
}
