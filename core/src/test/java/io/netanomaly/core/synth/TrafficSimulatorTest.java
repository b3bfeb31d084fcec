package io.netanomaly.core.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.netanomaly.core.schema.FlowRecord;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrafficSimulatorTest {

  static List<FlowRecord> take(TrafficSimulator sim, int n) {
    List<FlowRecord> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      assertThat(sim.hasNext()).isTrue();
      out.add(sim.next());
    }
    return out;
  }

  private static List<String> asText(List<FlowRecord> flows) {
    return flows.stream().map(FlowRecord::toString).collect(Collectors.toList());
  }

  @Test
  void sameSeedGivesTheSameStream() {
    List<FlowRecord> a = take(TrafficSimulator.builder().seed(7).anomalyRatio(0.1).build(), 20_000);
    List<FlowRecord> b = take(TrafficSimulator.builder().seed(7).anomalyRatio(0.1).build(), 20_000);
    assertThat(asText(a)).isEqualTo(asText(b));
  }

  @Test
  void differentSeedsGiveDifferentNetworksAndTraffic() {
    List<FlowRecord> a = take(TrafficSimulator.builder().seed(1).build(), 2_000);
    List<FlowRecord> b = take(TrafficSimulator.builder().seed(2).build(), 2_000);
    assertThat(asText(a)).isNotEqualTo(asText(b));
    Set<String> sourcesA = a.stream().map(FlowRecord::srcIp).collect(Collectors.toSet());
    Set<String> sourcesB = b.stream().map(FlowRecord::srcIp).collect(Collectors.toSet());
    assertThat(sourcesA).isNotEqualTo(sourcesB);
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.05, 0.2})
  void anomalousShareMatchesTheRatio(double ratio) {
    int n = 50_000;
    long anomalous = take(TrafficSimulator.builder().seed(11).anomalyRatio(ratio).build(), n)
        .stream().filter(f -> f.label() == 1).count();
    assertThat((double) anomalous).isBetween(0.9 * ratio * n, 1.1 * ratio * n);
  }

  @Test
  void ratioZeroGivesOnlyNormalTraffic() {
    assertThat(take(TrafficSimulator.builder().seed(3).anomalyRatio(0).build(), 50_000))
        .allSatisfy(f -> {
          assertThat(f.label()).isZero();
          assertThat(f.anomalyType()).isEqualTo("normal");
        });
  }

  @Test
  void ratioOneGivesOnlyAnomalies() {
    assertThat(take(TrafficSimulator.builder().seed(3).anomalyRatio(1).build(), 5_000))
        .allSatisfy(f -> assertThat(f.label()).isOne());
  }

  @Test
  void everyScenarioAppearsInRoughlyEqualRowShares() {
    List<FlowRecord> flows = take(TrafficSimulator.builder().seed(5).anomalyRatio(0.2).build(), 100_000);
    Map<String, Long> byType = flows.stream()
        .collect(Collectors.groupingBy(FlowRecord::anomalyType, Collectors.counting()));
    long anomalous = flows.stream().filter(f -> f.label() == 1).count();
    for (Scenario s : Scenario.values()) {
      assertThat(byType).containsKey(s.label());
      double share = byType.get(s.label()) / (double) anomalous;
      assertThat(share).as(s.label()).isBetween(0.07, 0.13);
    }
    assertThat(byType).containsOnlyKeys(
        concat(Arrays.stream(Scenario.values()).map(Scenario::label).toArray(String[]::new), "normal"));
  }

  private static String[] concat(String[] a, String b) {
    String[] out = Arrays.copyOf(a, a.length + 1);
    out[a.length] = b;
    return out;
  }

  @Test
  void onlyEnabledScenariosAppear() {
    List<FlowRecord> flows = take(TrafficSimulator.builder().seed(9).anomalyRatio(0.2)
        .scenarios(EnumSet.of(Scenario.PORT_SCAN, Scenario.BEACONING)).build(), 30_000);
    Set<String> types = flows.stream().map(FlowRecord::anomalyType).collect(Collectors.toSet());
    assertThat(types).containsExactlyInAnyOrder("normal", "port_scan", "beaconing");
  }

  @Test
  void labelsAgreeWithAnomalyTypes() {
    Set<String> labels = Arrays.stream(Scenario.values()).map(Scenario::label).collect(Collectors.toSet());
    assertThat(take(TrafficSimulator.builder().seed(4).anomalyRatio(0.2).build(), 30_000))
        .allSatisfy(f -> {
          if (f.label() == 0) {
            assertThat(f.anomalyType()).isEqualTo("normal");
          } else {
            assertThat(f.label()).isOne();
            assertThat(labels).contains(f.anomalyType());
          }
        });
  }

  @Test
  void timestampsStartAtTheStartAndNeverDecrease() {
    long start = Instant.parse("2026-03-10T09:30:00Z").toEpochMilli();
    List<FlowRecord> flows = take(TrafficSimulator.builder().seed(8).anomalyRatio(0.2)
        .startMillis(start).build(), 100_000);
    assertThat(flows.get(0).timestampMillis()).isBetween(start, start + 10_000);
    for (int i = 1; i < flows.size(); i++) {
      assertThat(flows.get(i).timestampMillis()).isGreaterThanOrEqualTo(flows.get(i - 1).timestampMillis());
    }
  }

  @Test
  void flagsFitTheProtocol() {
    List<FlowRecord> flows = take(TrafficSimulator.builder().seed(12).anomalyRatio(0.1).build(), 50_000);
    assertThat(flows).allSatisfy(f -> {
      if (!f.protocol().equals("TCP")) {
        assertThat(f.flags()).isEmpty();
      } else {
        assertThat(f.flags()).matches("S?A?P?R?F?").startsWith("S");
      }
      if (f.label() == 0) {
        assertThat(f.protocol()).isIn("TCP", "UDP", "ICMP");
        if (f.protocol().equals("TCP")) {
          assertThat(f.flags()).contains("S").contains("A");
          assertThat(f.srcPort()).isBetween(32768, 60999);
        }
        if (f.protocol().equals("ICMP")) {
          assertThat(f.srcPort()).isZero();
          assertThat(f.dstPort()).isZero();
        }
      }
    });
  }

  @Test
  void packetSizeAndPacketCountsAreConsistentWithBytes() {
    List<FlowRecord> flows = take(TrafficSimulator.builder().seed(13).anomalyRatio(0.2).build(), 50_000);
    for (FlowRecord f : flows) {
      long bytes = f.bytesSent() + f.bytesReceived();
      long packets = f.packetsSent() + f.packetsReceived();
      boolean consistent = packets > 0
          && Math.abs(f.packetSize() - (double) bytes / packets) < 1e-9
          && (f.bytesSent() > 0) == (f.packetsSent() > 0)
          && (f.bytesReceived() > 0) == (f.packetsReceived() > 0)
          && f.duration() >= 0;
      // normal traffic: no frame above the Ethernet MTU, none below a bare header
      boolean framed = f.label() == 1
          || (f.bytesSent() >= 28 * f.packetsSent() && f.bytesSent() <= 1500 * f.packetsSent()
              && f.bytesReceived() >= 28 * f.packetsReceived()
              && f.bytesReceived() <= 1500 * f.packetsReceived());
      if (!consistent || !framed) {
        fail("inconsistent counts: " + f);
      }
    }
  }

  @Test
  void normalTrafficHasARealisticServiceMix() {
    List<FlowRecord> normal = take(TrafficSimulator.builder().seed(14).anomalyRatio(0).build(), 50_000);
    Map<Integer, Long> byPort = normal.stream()
        .collect(Collectors.groupingBy(FlowRecord::dstPort, Collectors.counting()));
    int busiest = byPort.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    assertThat(busiest).isEqualTo(443);
    assertThat(byPort).containsKeys(80, 53, 22, 25, 587, 123, 993, 445, 389, 3389, 5432, 3306);
    assertThat(normal.stream().filter(f -> f.dstPort() == 53).map(FlowRecord::protocol).distinct())
        .containsExactly("UDP");
    // clients on 10.x, servers both internal and external
    assertThat(normal).allSatisfy(f -> assertThat(f.srcIp()).startsWith("10."));
    long external = normal.stream().filter(f -> !f.dstIp().startsWith("10.")).count();
    assertThat(external).isBetween(normal.size() / 3L, normal.size() * 9L / 10);
    // DNS is tiny, web downloads make received bytes heavy-tailed
    assertThat(median(normal.stream().filter(f -> f.dstPort() == 53).mapToDouble(FlowRecord::packetSize)))
        .isBetween(55.0, 130.0);
    double[] received = normal.stream().filter(f -> f.dstPort() == 443 && f.protocol().equals("TCP"))
        .mapToDouble(FlowRecord::bytesReceived).sorted().toArray();
    assertThat(received[(int) (received.length * 0.999)]).isGreaterThan(100 * received[received.length / 2]);
    // SSH sessions outlast web requests
    assertThat(median(normal.stream().filter(f -> f.dstPort() == 22).mapToDouble(FlowRecord::duration)))
        .isGreaterThan(10 * median(normal.stream().filter(f -> f.dstPort() == 443)
            .mapToDouble(FlowRecord::duration)));
  }

  static double median(java.util.stream.DoubleStream values) {
    double[] v = values.sorted().toArray();
    assertThat(v).isNotEmpty();
    return v[v.length / 2];
  }

  @Test
  void moreTrafficAtTwoInTheAfternoonThanAtThreeInTheMorningAndLessAtWeekends() {
    TrafficSimulator sim = TrafficSimulator.builder().seed(15).flowsPerSecond(0.5).build();
    long end = TrafficSimulator.DEFAULT_START_MILLIS + 7 * 86_400_000L; // Monday to Sunday
    Map<Integer, Integer> byHour = new HashMap<>();
    int weekday = 0;
    int weekend = 0;
    FlowRecord f;
    while ((f = sim.next()).timestampMillis() < end) {
      ZonedDateTime t = Instant.ofEpochMilli(f.timestampMillis()).atZone(ZoneOffset.UTC);
      if (t.getDayOfWeek().getValue() <= 2) { // Monday and Tuesday
        byHour.merge(t.getHour(), 1, Integer::sum);
        weekday++;
      } else if (t.getDayOfWeek().getValue() >= 6) {
        weekend++;
      }
    }
    assertThat(byHour.get(14)).isGreaterThan(3 * byHour.get(3));
    // two working days against two weekend days
    assertThat(weekend).isLessThan(weekday / 2);
  }

  @Test
  void flowsPerSecondIsTheWeeklyMeanRate() {
    TrafficSimulator sim = TrafficSimulator.builder().seed(16).flowsPerSecond(0.5).build();
    long end = TrafficSimulator.DEFAULT_START_MILLIS + 7 * 86_400_000L;
    long count = 0;
    while (sim.next().timestampMillis() < end) {
      count++;
    }
    assertThat((double) count).isCloseTo(0.5 * 7 * 86_400, org.assertj.core.data.Percentage.withPercentage(3));
  }

  @Test
  void builderRejectsBadSettings() {
    assertThatThrownBy(() -> TrafficSimulator.builder().anomalyRatio(1.5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("anomalyRatio");
    assertThatThrownBy(() -> TrafficSimulator.builder().anomalyRatio(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TrafficSimulator.builder().flowsPerSecond(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("flowsPerSecond");
    assertThatThrownBy(() -> TrafficSimulator.builder().clients(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clients");
    assertThatThrownBy(() -> TrafficSimulator.builder().anomalyRatio(0.1).scenarios(List.of()).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no scenario");
    assertThat(take(TrafficSimulator.builder().anomalyRatio(0).scenarios(List.of()).build(), 10)).hasSize(10);
  }

  @Test
  void clientPoolSizeIsHonoured() {
    Set<String> clients = new HashSet<>();
    for (FlowRecord f : take(TrafficSimulator.builder().seed(17).anomalyRatio(0).clients(20).build(), 30_000)) {
      if (f.srcIp().startsWith("10.2")) {
        clients.add(f.srcIp());
      }
    }
    assertThat(clients).hasSize(20);
  }
}
