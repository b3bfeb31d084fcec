package io.netanomaly.core.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ScenarioTest {

  @Test
  void labelsAreLowerSnakeCase() {
    assertThat(Scenario.PORT_SCAN.label()).isEqualTo("port_scan");
    assertThat(Scenario.DATA_EXFILTRATION.label()).isEqualTo("data_exfiltration");
    for (Scenario s : Scenario.values()) {
      assertThat(s.label()).matches("[a-z]+(_[a-z]+)*");
    }
  }

  @Test
  void parseAcceptsLabelsAndEnumNamesInAnyCase() {
    assertThat(Scenario.parse("port_scan")).isEqualTo(Scenario.PORT_SCAN);
    assertThat(Scenario.parse("PORT_SCAN")).isEqualTo(Scenario.PORT_SCAN);
    assertThat(Scenario.parse(" Dns_Tunneling ")).isEqualTo(Scenario.DNS_TUNNELING);
    assertThat(Scenario.parse("syn-flood")).isEqualTo(Scenario.SYN_FLOOD);
    for (Scenario s : Scenario.values()) {
      assertThat(Scenario.parse(s.label())).isEqualTo(s);
      assertThat(Scenario.parse(s.name())).isEqualTo(s);
    }
  }

  @Test
  void parseRejectsJunkNamingTheValidScenarios() {
    assertThatThrownBy(() -> Scenario.parse("portscanx"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("portscanx")
        .hasMessageContaining("port_scan")
        .hasMessageContaining("unknown_protocol");
    assertThatThrownBy(() -> Scenario.parse(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Scenario.parse("")).isInstanceOf(IllegalArgumentException.class);
  }
}
