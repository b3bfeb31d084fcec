package io.netanomaly.core.synth;

import static io.netanomaly.core.synth.TrafficSimulatorTest.median;
import static io.netanomaly.core.synth.TrafficSimulatorTest.take;
import static org.assertj.core.api.Assertions.assertThat;

import io.netanomaly.core.schema.FlowRecord;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Each scenario looks in flow data the way the real attack does. */
class ScenarioSignatureTest {

  /** All flows of a run with only {@code scenario} enabled. */
  private static List<FlowRecord> run(Scenario scenario, int rows) {
    return take(TrafficSimulator.builder().seed(21).anomalyRatio(0.1)
        .scenarios(EnumSet.of(scenario)).build(), rows);
  }

  private static List<FlowRecord> only(List<FlowRecord> flows, Scenario scenario) {
    List<FlowRecord> out = flows.stream().filter(f -> scenario.label().equals(f.anomalyType()))
        .collect(Collectors.toList());
    assertThat(out).as(scenario.label()).isNotEmpty();
    return out;
  }

  @Test
  void portScanProbesManyPortsOfOneTargetFromOneSourceInABurst() {
    List<FlowRecord> scans = only(run(Scenario.PORT_SCAN, 20_000), Scenario.PORT_SCAN);
    Map<String, List<FlowRecord>> byPair = scans.stream()
        .collect(Collectors.groupingBy(f -> f.srcIp() + ">" + f.dstIp()));
    int widest = 0;
    for (List<FlowRecord> episode : byPair.values()) {
      Set<Integer> ports = episode.stream().map(FlowRecord::dstPort).collect(Collectors.toSet());
      assertThat(ports).hasSize(episode.size()); // never the same port twice
      if (episode.size() >= 20) {
        long span = episode.get(episode.size() - 1).timestampMillis() - episode.get(0).timestampMillis();
        assertThat(span).isLessThan(120_000);
      }
      widest = Math.max(widest, ports.size());
    }
    assertThat(widest).isGreaterThanOrEqualTo(20);
    assertThat(scans).allSatisfy(f -> {
      assertThat(f.protocol()).isEqualTo("TCP");
      assertThat(f.flags()).isIn("S", "SR", "SAR");
      assertThat(f.bytesSent()).isLessThanOrEqualTo(100);
      assertThat(f.bytesReceived()).isLessThanOrEqualTo(44);
    });
  }

  @Test
  void synFloodIsHalfOpenConnectionsToOneServerPort() {
    List<FlowRecord> flood = only(run(Scenario.SYN_FLOOD, 20_000), Scenario.SYN_FLOOD);
    assertThat(flood).allSatisfy(f -> {
      assertThat(f.flags()).isEqualTo("S");
      assertThat(f.bytesReceived()).isZero();
      assertThat(f.packetsSent()).isOne();
      assertThat(f.dstPort()).isIn(80, 443, 25);
    });
    // within a burst a source sends dozens of SYNs a second
    Map<String, Long> perSourceSecond = flood.stream().collect(Collectors.groupingBy(
        f -> f.srcIp() + "@" + f.timestampMillis() / 1000, Collectors.counting()));
    assertThat(perSourceSecond.values().stream().mapToLong(Long::longValue).max().orElse(0)).isGreaterThan(30);
  }

  @Test
  void exfiltrationSendsFarMoreThanNormalFlowsAndReceivesLittle() {
    List<FlowRecord> flows = run(Scenario.DATA_EXFILTRATION, 30_000);
    double normalMedianSent = median(flows.stream().filter(f -> f.label() == 0)
        .mapToDouble(FlowRecord::bytesSent));
    assertThat(only(flows, Scenario.DATA_EXFILTRATION)).allSatisfy(f -> {
      assertThat(f.srcIp()).startsWith("10.");
      assertThat(f.dstIp()).doesNotStartWith("10.");
      assertThat(f.bytesSent()).isGreaterThanOrEqualTo(20_000_000L);
      assertThat((double) f.bytesSent()).isGreaterThan(1_000 * normalMedianSent);
      assertThat(f.bytesSent()).isGreaterThan(10 * f.bytesReceived());
      assertThat(f.duration()).isGreaterThan(1);
    });
  }

  @Test
  void bruteForceRepeatsTheSameSmallLoginExchangeAgainstOneService() {
    List<FlowRecord> attempts = only(run(Scenario.BRUTE_FORCE, 30_000), Scenario.BRUTE_FORCE);
    Map<String, List<FlowRecord>> byEpisode = attempts.stream()
        .collect(Collectors.groupingBy(f -> f.srcIp() + ">" + f.dstIp() + ":" + f.dstPort()));
    assertThat(byEpisode.values().stream().mapToInt(List::size).max().orElse(0)).isGreaterThanOrEqualTo(20);
    for (List<FlowRecord> episode : byEpisode.values()) {
      double[] sent = episode.stream().mapToDouble(FlowRecord::bytesSent).sorted().toArray();
      assertThat(sent[sent.length - 1]).isLessThan(1.35 * sent[0]);
    }
    assertThat(attempts).allSatisfy(f -> {
      assertThat(f.dstPort()).isIn(22, 3389, 21);
      assertThat(f.flags()).isIn("SAPF", "SAPRF");
      assertThat(f.bytesSent() + f.bytesReceived()).isLessThan(20_000);
    });
  }

  @Test
  void dnsTunnelingUsesOversizedQueriesInABurst() {
    List<FlowRecord> flows = run(Scenario.DNS_TUNNELING, 30_000);
    double normalDns = median(flows.stream().filter(f -> f.label() == 0 && f.dstPort() == 53)
        .mapToDouble(FlowRecord::packetSize));
    List<FlowRecord> tunnel = only(flows, Scenario.DNS_TUNNELING);
    assertThat(tunnel).allSatisfy(f -> {
      assertThat(f.protocol()).isEqualTo("UDP");
      assertThat(f.dstPort()).isEqualTo(53);
      assertThat(f.dstIp()).doesNotStartWith("10.");
      assertThat(f.packetSize()).isBetween(190.0, 500.0);
    });
    assertThat(median(tunnel.stream().mapToDouble(FlowRecord::packetSize))).isGreaterThan(2 * normalDns);
  }

  @Test
  void beaconsCallOneAddressAtARegularInterval() {
    List<FlowRecord> beacons = only(run(Scenario.BEACONING, 60_000), Scenario.BEACONING);
    Map<String, List<FlowRecord>> byPair = beacons.stream()
        .collect(Collectors.groupingBy(f -> f.srcIp() + ">" + f.dstIp()));
    int checked = 0;
    for (List<FlowRecord> series : byPair.values()) {
      if (series.size() < 5) {
        continue;
      }
      List<Long> gaps = new ArrayList<>();
      for (int i = 1; i < series.size(); i++) {
        gaps.add(series.get(i).timestampMillis() - series.get(i - 1).timestampMillis());
      }
      long min = gaps.stream().mapToLong(Long::longValue).min().orElseThrow();
      long max = gaps.stream().mapToLong(Long::longValue).max().orElseThrow();
      assertThat(min).isGreaterThanOrEqualTo(27_000);
      assertThat(max).isLessThanOrEqualTo(66_000);
      assertThat((double) max).isLessThanOrEqualTo(1.25 * min);
      assertThat(series.stream().map(FlowRecord::dstPort).distinct().count()).isOne();
      checked++;
    }
    assertThat(checked).isPositive();
    assertThat(beacons).allSatisfy(f -> assertThat(f.srcIp()).startsWith("10."));
  }

  @Test
  void suspiciousPortFlowsUseBackdoorPorts() {
    Set<Integer> ports = new HashSet<>();
    for (int p : SuspiciousPortEpisode.PORTS) {
      ports.add(p);
    }
    assertThat(ports).contains(4444, 31337, 6667, 1337, 12345, 5555);
    assertThat(only(run(Scenario.SUSPICIOUS_PORT, 20_000), Scenario.SUSPICIOUS_PORT))
        .allSatisfy(f -> assertThat(ports).contains(f.dstPort()));
  }

  @Test
  void largePacketFlowsExceedTheMtu() {
    assertThat(only(run(Scenario.LARGE_PACKET, 20_000), Scenario.LARGE_PACKET)).allSatisfy(f -> {
      assertThat(f.protocol()).isIn("ICMP", "UDP");
      assertThat(f.packetSize()).isGreaterThan(8_000);
    });
  }

  @Test
  void longDurationFlowsLastHoursWithModestBytes() {
    assertThat(only(run(Scenario.LONG_DURATION, 20_000), Scenario.LONG_DURATION)).allSatisfy(f -> {
      assertThat(f.duration()).isBetween(2 * 3_600.0, 24 * 3_600.0);
      assertThat(f.bytesSent() + f.bytesReceived()).isLessThan(30_000_000L);
    });
  }

  @Test
  void unknownProtocolFlowsUseNeitherTcpUdpNorIcmp() {
    assertThat(only(run(Scenario.UNKNOWN_PROTOCOL, 20_000), Scenario.UNKNOWN_PROTOCOL))
        .allSatisfy(f -> {
          assertThat(f.protocol()).isNotIn("TCP", "UDP", "ICMP");
          assertThat(f.flags()).isEmpty();
        });
  }
}
