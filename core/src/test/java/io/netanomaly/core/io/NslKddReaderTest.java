package io.netanomaly.core.io;

import static io.netanomaly.core.io.ReaderTesting.firstError;
import static io.netanomaly.core.io.ReaderTesting.format;
import static io.netanomaly.core.io.ReaderTesting.readAll;
import static io.netanomaly.core.io.ReaderTesting.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.netanomaly.core.Datasets;
import io.netanomaly.core.schema.FieldType;
import io.netanomaly.core.schema.Row;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NslKddReaderTest {
  static final String NORMAL = "0,tcp,ftp_data,SF,491,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,2,2,0.00,"
      + "0.00,0.00,0.00,1.00,0.00,0.00,150,25,0.17,0.03,0.17,0.00,0.00,0.00,0.05,0.00,normal,20";
  static final String NEPTUNE = "0,tcp,private,S0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,123,6,1.00,"
      + "1.00,0.00,0.00,0.05,0.07,0.00,255,26,0.10,0.05,0.00,0.00,1.00,1.00,0.00,0.00,neptune,19";

  @TempDir Path dir;

  @Test
  void readsRecordsWithCategories() throws Exception {
    String kdd99 = NEPTUNE.replace(",neptune,19", ",smurf.");
    String testOnly = NEPTUNE.replace(",neptune,19", ",httptunnel,3");
    Path f = write(dir, "kdd.txt", NORMAL + "\n" + NEPTUNE + "\n" + kdd99 + "\n" + testOnly + "\n");
    try (RowSource src = Readers.open(f, format(DataFormat.NSL_KDD))) {
      assertThat(src.schema()).isEqualTo(NslKdd.SCHEMA);
      assertThat(src.schema().size()).isEqualTo(41);
      assertThat(src.schema().labelColumn()).isEqualTo("label");
      assertThat(src.schema().typeColumn()).isEqualTo("attack_category");
      assertThat(src.schema().field(1).type()).isEqualTo(FieldType.CATEGORICAL);
      assertThat(src.schema().field(4).type()).isEqualTo(FieldType.NUMERIC);
      Row a = src.next();
      assertThat(a.text(1)).isEqualTo("tcp");
      assertThat(a.text(2)).isEqualTo("ftp_data");
      assertThat(a.number(4)).isEqualTo(491);
      assertThat(a.number(33)).isEqualTo(0.17);
      assertThat(a.label()).isZero();
      assertThat(a.anomalyType()).isEqualTo("normal");
      Row b = src.next();
      assertThat(b.label()).isEqualTo(1);
      assertThat(b.anomalyType()).isEqualTo("dos");
      assertThat(src.next().anomalyType()).isEqualTo("dos");
      assertThat(src.next().anomalyType()).isEqualTo("u2r");
    }
  }

  @Test
  void autoDetectsHeadlessNslKdd() throws Exception {
    Path f = write(dir, "kdd.txt", NORMAL + "\n" + NEPTUNE + "\n");
    assertThat(readAll(f, ReadOptions.defaults())).extracting(Row::label).containsExactly(0, 1);
  }

  @Test
  void locatesErrors() throws Exception {
    Object[][] cases = {
      {NEPTUNE.replace(",neptune,", ",martians,"),
          ":2:42: column 'label': got 'martians', expected a known NSL-KDD attack name"},
      {NEPTUNE.replace(",19", ",22"),
          ":2:43: column 'difficulty': got '22', expected an NSL-KDD difficulty level, an integer 0..21"},
      {NEPTUNE.replace("0,tcp,private,S0,0,", "0,tcp,private,S0,lots,"),
          ":2:5: column 'src_bytes': got 'lots', expected a number"},
      {NEPTUNE.replace(",19", ",19,7"), ":2: found 44 fields, expected 43 (or 42)"},
    };
    for (Object[] c : cases) {
      Path f = write(dir, "kdd.txt", NORMAL + "\n" + c[0] + "\n");
      assertThat(firstError(f, format(DataFormat.NSL_KDD)).getMessage())
          .startsWith(f + (String) c[1]);
    }
  }

  @Test
  void categoryMappingCoversTrainAndTestAttacks() {
    assertThat(NslKdd.knownLabels()).hasSize(40);
    assertThat(NslKdd.category("normal")).isEqualTo("normal");
    assertThat(NslKdd.category("NEPTUNE.")).isEqualTo("dos");
    assertThat(NslKdd.category("mscan")).isEqualTo("probe");
    assertThat(NslKdd.category("snmpgetattack")).isEqualTo("r2l");
    assertThat(NslKdd.category("sqlattack")).isEqualTo("u2r");
    assertThat(NslKdd.category("unknown")).isNull();
  }

  @Test
  @Tag("dataset")
  void attackTypesFileAgreesWithTheMapping() throws Exception {
    Path file = Datasets.requireRoot().resolve("nsl-kdd/Attack Types.csv");
    String text = Files.readString(file, StandardCharsets.UTF_8);
    int checked = 0;
    for (String line : text.split("\r\n|\r|\n")) {
      if (line.isBlank() || line.startsWith("unknown,")) {
        continue;
      }
      String[] p = line.split(",");
      assertThat(NslKdd.category(p[0])).as(p[0]).isEqualTo(p[1].trim());
      checked++;
    }
    assertThat(checked).isEqualTo(23); // 22 attacks and normal
  }

  @Test
  @Tag("dataset")
  void readsTheTwentyPercentTrainingFile() throws Exception {
    Path file = Datasets.requireRoot().resolve("nsl-kdd/KDDTrain+_20Percent.txt");
    Map<String, Integer> byCategory = new TreeMap<>();
    long rows;
    try (RowSource src = Readers.open(file, format(DataFormat.NSL_KDD))) {
      while (src.hasNext()) {
        Row r = src.next();
        byCategory.merge(r.anomalyType(), 1, Integer::sum);
      }
      rows = src.rowsRead();
      assertThat(src.skippedCount()).isZero();
      assertThat(src.bytesRead()).isEqualTo(src.totalBytes());
    }
    assertThat(rows).isEqualTo(25_192);
    assertThat(byCategory).containsExactlyInAnyOrderEntriesOf(Map.of(
        "normal", 13_449,
        "dos", 8282 + 529 + 196 + 188 + 38 + 1,
        "probe", 710 + 691 + 587 + 301,
        "r2l", 181 + 10 + 7 + 5 + 2 + 2 + 1 + 1,
        "u2r", 6 + 4 + 1));
    List<String> firstLine = List.of(Files.readAllLines(file).get(0).split(","));
    assertThat(firstLine).hasSize(43);
  }
}
