package io.netanomaly.stream.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netanomaly.core.io.InputException;
import io.netanomaly.core.schema.FlowSchema;
import io.netanomaly.core.schema.Row;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ZeekConnParserTest {
  private static final long NOW = Instant.parse("2026-02-01T12:00:00.250Z").toEpochMilli();
  private static final String FIELDS = "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice"
      + "\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts"
      + "\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents";

  private final ZeekConnParser parser = new ZeekConnParser("conn.log", () -> NOW);

  private void header() {
    assertThat(parser.parse("#separator \\x09", 1)).isNull();
    assertThat(parser.parse("#unset_field\t-", 2)).isNull();
    assertThat(parser.parse("#empty_field\t(empty)", 3)).isNull();
    assertThat(parser.parse(FIELDS, 4)).isNull();
    assertThat(parser.parse("#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount"
        + "\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]", 5)).isNull();
  }

  @Test
  void mapsATsvRecordOntoTheFlowSchema() {
    header();
    Row r = parser.parse("1300475167.096535\tCHhAvVGS1DHFjwGM9\t141.142.220.202\t5353\t224.0.0.251\t80\ttcp\thttp"
        + "\t0.5\t100\t2000\tSF\tF\tT\t0\tShADadFf\t10\t620\t12\t2640\t(empty)", 6);
    assertThat(r.number(FlowSchema.I_TIMESTAMP)).isEqualTo(1300475167097.0);
    assertThat(r.text(FlowSchema.I_SRC_IP)).isEqualTo("141.142.220.202");
    assertThat(r.text(FlowSchema.I_DST_IP)).isEqualTo("224.0.0.251");
    assertThat(r.number(FlowSchema.I_SRC_PORT)).isEqualTo(5353);
    assertThat(r.number(FlowSchema.I_DST_PORT)).isEqualTo(80);
    assertThat(r.text(FlowSchema.I_PROTOCOL)).isEqualTo("TCP");
    assertThat(r.number(FlowSchema.I_DURATION)).isEqualTo(0.5);
    assertThat(r.number(FlowSchema.I_BYTES_SENT)).isEqualTo(100);
    assertThat(r.number(FlowSchema.I_BYTES_RECEIVED)).isEqualTo(2000);
    assertThat(r.number(FlowSchema.I_PACKETS_SENT)).isEqualTo(10);
    assertThat(r.number(FlowSchema.I_PACKETS_RECEIVED)).isEqualTo(12);
    assertThat(r.number(FlowSchema.I_PACKET_SIZE)).isEqualTo((620 + 2640) / 22.0);
    assertThat(r.text(FlowSchema.I_FLAGS)).isEqualTo("SAPF");
    assertThat(r.line()).isEqualTo(6);
    assertThat(r.isLabelled()).isFalse();
  }

  @Test
  void unsetAndMaskedValues() {
    header();
    Row r = parser.parse("XXXXXXXXXX.XXXXXX\tC1\tfe80::217:f2ff:fed7:cf65\t5353\tff02::fb\t5353\tudp\tdns"
        + "\t-\t-\t-\tS0\tF\tF\t0\tD\t1\t199\t0\t0\t-", 7);
    assertThat(r.number(FlowSchema.I_TIMESTAMP)).as("masked ts takes the read time").isEqualTo(NOW);
    assertThat(r.number(FlowSchema.I_DURATION)).isNaN();
    assertThat(r.number(FlowSchema.I_BYTES_SENT)).isNaN();
    assertThat(r.number(FlowSchema.I_BYTES_RECEIVED)).isNaN();
    assertThat(r.number(FlowSchema.I_PACKETS_SENT)).isEqualTo(1);
    assertThat(r.number(FlowSchema.I_PACKET_SIZE)).isEqualTo(199.0);
    assertThat(r.text(FlowSchema.I_FLAGS)).as("no flags for UDP").isEmpty();
    assertThat(r.text(FlowSchema.I_PROTOCOL)).isEqualTo("UDP");
  }

  @Test
  void readsZeekJsonLines() {
    Row r = parser.parse("{\"ts\":1300475167.096535,\"uid\":\"C1\",\"id.orig_h\":\"10.0.0.1\",\"id.orig_p\":40000,"
        + "\"id.resp_h\":\"10.0.0.2\",\"id.resp_p\":22,\"proto\":\"tcp\",\"duration\":1.25,\"orig_bytes\":300,"
        + "\"resp_bytes\":400,\"history\":\"ShR\",\"orig_pkts\":3,\"resp_pkts\":2,\"tunnel_parents\":[]}", 1);
    assertThat(r.number(FlowSchema.I_TIMESTAMP)).isEqualTo(1300475167097.0);
    assertThat(r.number(FlowSchema.I_DST_PORT)).isEqualTo(22);
    assertThat(r.number(FlowSchema.I_PACKET_SIZE)).as("payload bytes per packet without ip_bytes")
        .isEqualTo(700 / 5.0);
    assertThat(r.text(FlowSchema.I_FLAGS)).isEqualTo("SAR");
  }

  @Test
  void flagsFollowHistoryLettersInCanonicalOrder() {
    assertThat(ZeekConnParser.flagsFromHistory("ShAdfFa", "TCP")).isEqualTo("SAPF");
    assertThat(ZeekConnParser.flagsFromHistory("S", "TCP")).isEqualTo("S");
    assertThat(ZeekConnParser.flagsFromHistory("Sr", "TCP")).isEqualTo("SR");
    assertThat(ZeekConnParser.flagsFromHistory("fa", "TCP")).isEqualTo("AF");
    assertThat(ZeekConnParser.flagsFromHistory(null, "TCP")).isEmpty();
    assertThat(ZeekConnParser.flagsFromHistory("Dd", "UDP")).isEmpty();
  }

  @Test
  void badRecordsThrowAndTheParserCarriesOn() {
    header();
    assertThatThrownBy(() -> parser.parse("1.0\tC1\tnot-an-ip\t1\t10.0.0.2\t80\ttcp\t-\t-\t-\t-\tS0\tF\tF\t0\tS\t1\t40\t0\t0\t-", 8))
        .isInstanceOf(InputException.class).hasMessageContaining("src_ip").hasMessageContaining("conn.log:8");
    assertThatThrownBy(() -> parser.parse("1.0\ttoo\tfew", 9)).isInstanceOf(InputException.class)
        .hasMessageContaining("21 fields");
    assertThatThrownBy(() -> parser.parse("{broken", 10)).isInstanceOf(InputException.class);
    Row ok = parser.parse("2.0\tC2\t10.0.0.1\t1\t10.0.0.2\t80\ttcp\t-\t-\t-\t-\tS0\tF\tF\t0\tS\t1\t40\t0\t0\t-", 11);
    assertThat(ok.number(FlowSchema.I_TIMESTAMP)).isEqualTo(2000.0);
  }

  @Test
  void recordBeforeFieldsHeaderIsRefused() {
    assertThatThrownBy(() -> parser.parse("1.0\tC1\t10.0.0.1", 1)).isInstanceOf(InputException.class)
        .hasMessageContaining("#fields");
  }
}
