package io.netanomaly.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netanomaly.core.explain.Alert;
import io.netanomaly.core.explain.Explanation;
import io.netanomaly.core.explain.FeatureContribution;
import io.netanomaly.core.explain.ThreatAssessment;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleAlertSinkTest {
  static Alert portScan(String llm) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("timestamp", "2026-01-05T10:00:00Z");
    fields.put("src_ip", "10.20.1.2");
    fields.put("dst_ip", "10.0.1.5");
    fields.put("src_port", "45123");
    fields.put("dst_port", "22");
    fields.put("protocol", "TCP");
    fields.put("packet_size", "44");
    fields.put("duration", "0");
    fields.put("flags", "S");
    fields.put("bytes_sent", "44");
    fields.put("bytes_received", "0");
    fields.put("packets_sent", "1");
    fields.put("packets_received", "0");
    Explanation e = new Explanation(0.7123, 0.516, "port_scan", List.of(
        new FeatureContribution("win_distinct_dst_ports", 87, 1, 11, 0.42),
        new FeatureContribution("bytes_sent", 44, 40, 200_000, 0.1)),
        new ThreatAssessment(ThreatAssessment.Level.HIGH, "Port scan (reconnaissance)", "Mapping services.",
            "Block the source.", "T1046", "Network Service Discovery"));
    return new Alert(0, 1_767_607_200_500L, 1_767_607_200_000L, "10.20.1.2", "10.0.1.5", 45123, 22, "TCP", 44, 0,
        "iforest", e, fields, llm);
  }

  static String card(Alert a, boolean ansi) {
    StringWriter out = new StringWriter();
    ConsoleAlertSink sink = new ConsoleAlertSink(new PrintWriter(out), ansi);
    sink.accept(List.of(a));
    sink.flush();
    return out.toString();
  }

  @Test
  void plainCardCarriesEveryPart() {
    String card = card(portScan(null), false);
    assertThat(card).doesNotContain("\u001b[");
    assertThat(card.lines().findFirst().orElseThrow()).contains("ALERT PORT SCAN").contains("threat HIGH");
    assertThat(card).contains("2026-01-05T10:00:00Z")
        .contains("10.20.1.2:45123 -> 10.0.1.5:22").contains("TCP").contains("flags S")
        .contains("bytes 44 sent / 0 received").contains("packets 1 / 0").contains("duration 0.000 s")
        .contains("0.7123 >= threshold 0.5160")
        .contains("win_distinct_dst_ports").contains("87").contains("normal 1 .. 11").contains("(42%)")
        .contains("Port scan (reconnaissance)").contains("MITRE ATT&CK T1046 Network Service Discovery")
        .contains("Block the source.").contains("Mapping services.")
        .contains("LLM analysis: pending").contains("model iforest");
  }

  @Test
  void ansiCardIsColouredAndShowsTheAnalysisWhenPresent() {
    String card = card(portScan("Likely nmap from a compromised workstation."), true);
    assertThat(card).contains("\u001b[31m").contains("\u001b[0m");
    assertThat(card).contains("Likely nmap from a compromised workstation.").doesNotContain("pending");
    assertThat(card.replaceAll("\u001b\\[[0-9;]*m", "")).isEqualTo(
        card(portScan("Likely nmap from a compromised workstation."), false));
  }

  @Test
  void ipv6EndpointsAreBracketed() {
    Alert a = portScan(null);
    Alert v6 = new Alert(0, a.detectedAtMillis(), a.eventTimeMillis(), "fe80::1", "ff02::fb", 5353, 5353, "UDP",
        Double.NaN, Double.NaN, "iforest", a.explanation(), a.fields(), null);
    assertThat(card(v6, false)).contains("[fe80::1]:5353 -> [ff02::fb]:5353").contains("duration ?");
  }
}
