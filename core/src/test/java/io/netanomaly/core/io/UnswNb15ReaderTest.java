package io.netanomaly.core.io;

import static io.netanomaly.core.io.ReaderTesting.firstError;
import static io.netanomaly.core.io.ReaderTesting.format;
import static io.netanomaly.core.io.ReaderTesting.readAll;
import static io.netanomaly.core.io.ReaderTesting.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.netanomaly.core.Datasets;
import io.netanomaly.core.schema.FieldType;
import io.netanomaly.core.schema.Row;
import io.netanomaly.core.schema.Schema;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnswNb15ReaderTest {
  static final String SAMPLE_HEADER = "proto,state,dur,sbytes,dbytes,sttl,dttl,sloss,dloss,service,"
      + "Sload,Dload,Spkts,Dpkts,swin,dwin,stcpb,dtcpb,smeansz,dmeansz,trans_depth,res_bdy_len,"
      + "Sjit,Djit,Stime,Ltime,Sintpkt,Dintpkt,tcprtt,synack,ackdat,is_sm_ips_ports,ct_state_ttl,"
      + "ct_flw_http_mthd,is_ftp_login,ct_ftp_cmd,ct_srv_src,ct_srv_dst,ct_dst_ltm,'ct_src_ ltm',"
      + "ct_src_dport_ltm,ct_dst_sport_ltm,ct_dst_src_ltm,label";
  static final String SAMPLE_ROW = "tcp,FIN,0.098989,4550,70026,31,29,7,33,,363030.2188,5590358.5,"
      + "78,82,255,255,452200460,452483498,58,854,0,0,78.741151,78.257939,1421951772,1421951772,"
      + "1.281117,1.207827,0.00132,0.001147,0.000173,0,0,0,0,0,14,4,5,5,1,1,2,Benign";

  @TempDir Path dir;

  @Test
  void readsTheSampledLayout() throws Exception {
    Path f = write(dir, "unsw.csv", SAMPLE_HEADER + "\n" + SAMPLE_ROW + "\n"
        + SAMPLE_ROW.replace(",Benign", ",Malicious").replace("FIN,", "INT,") + "\n");
    try (RowSource src = Readers.open(f, ReadOptions.defaults())) {
      Schema s = src.schema();
      assertThat(s.name()).isEqualTo("unsw-nb15");
      assertThat(s.size()).isEqualTo(43);
      assertThat(s.indexOf("ct_src_ltm")).isPositive();
      assertThat(s.field(s.indexOf("proto")).type()).isEqualTo(FieldType.CATEGORICAL);
      assertThat(s.field(s.indexOf("Stime")).type()).isEqualTo(FieldType.TIMESTAMP);
      assertThat(s.field(s.indexOf("dur")).type()).isEqualTo(FieldType.NUMERIC);
      assertThat(s.labelColumn()).isEqualTo("label");
      assertThat(s.typeColumn()).isNull();
      Row a = src.next();
      assertThat(a.text(s.indexOf("service"))).isNull();
      assertThat(a.number(s.indexOf("Stime"))).isEqualTo(1_421_951_772_000d);
      assertThat(a.number(s.indexOf("Dload"))).isEqualTo(5590358.5);
      assertThat(a.label()).isZero();
      Row b = src.next();
      assertThat(b.label()).isEqualTo(1);
      assertThat(b.anomalyType()).isNull();
      assertThat(b.text(s.indexOf("state"))).isEqualTo("INT");
    }
  }

  @Test
  void readsTheTrainingSetAndRawLayouts() throws Exception {
    Path f = write(dir, "train.csv", "id,srcip,sport,dstip,dsport,proto,service,sbytes,dbytes,sttl,attack_cat,label\n"
        + "1,59.166.0.0,1390,149.171.126.6,53,udp,dns,132,164,31,Normal,0\n"
        + "2,175.45.176.3,0x000b,149.171.126.16,-,tcp,-,200,0,254,Exploits,1\n");
    List<Row> rows = readAll(f, format(DataFormat.UNSW_NB15));
    Schema s;
    try (RowSource src = Readers.open(f, format(DataFormat.UNSW_NB15))) {
      s = src.schema();
    }
    assertThat(s.typeColumn()).isEqualTo("attack_cat");
    assertThat(s.field(s.indexOf("id")).type()).isEqualTo(FieldType.IGNORED);
    assertThat(s.field(s.indexOf("srcip")).type()).isEqualTo(FieldType.ADDRESS);
    assertThat(s.field(s.indexOf("dsport")).type()).isEqualTo(FieldType.PORT);
    assertThat(rows.get(0).anomalyType()).isEqualTo("normal");
    assertThat(rows.get(1).label()).isEqualTo(1);
    assertThat(rows.get(1).anomalyType()).isEqualTo("Exploits");
    assertThat(rows.get(1).number(s.indexOf("sport"))).isEqualTo(11);
    assertThat(rows.get(1).number(s.indexOf("dsport"))).isNaN();
    assertThat(rows.get(1).text(s.indexOf("service"))).isNull();
  }

  @Test
  void locatesErrors() throws Exception {
    Path f = write(dir, "unsw.csv", SAMPLE_HEADER + "\n" + SAMPLE_ROW.replace("0.098989", "fast") + "\n");
    assertThat(firstError(f, format(DataFormat.UNSW_NB15)).getMessage())
        .isEqualTo(f + ":2:3: column 'dur': got 'fast', expected a number");
    Path g = write(dir, "unsw2.csv", SAMPLE_HEADER + "\n" + SAMPLE_ROW.replace(",Benign", ",") + "\n");
    assertThat(firstError(g, format(DataFormat.UNSW_NB15)).getMessage())
        .isEqualTo(g + ":2:44: column 'label': missing value, expected a label: 0/1, "
            + "true/false, normal/benign or an attack name");
  }

  @Test
  @Tag("dataset")
  void readsTheSampleFile() throws Exception {
    Path file = Datasets.requireRoot().resolve("unsw-nb15/unsw-nb15_1_sampled.csv");
    long malicious = 0;
    try (RowSource src = Readers.open(file, format(DataFormat.UNSW_NB15))) {
      assertThat(src.schema().size()).isEqualTo(43);
      while (src.hasNext()) {
        if (src.next().label() == 1) {
          malicious++;
        }
      }
      assertThat(src.rowsRead()).isEqualTo(7000);
      assertThat(src.skippedCount()).isZero();
    }
    assertThat(malicious).isEqualTo(204);
  }
}
