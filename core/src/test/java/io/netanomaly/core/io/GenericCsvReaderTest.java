package io.netanomaly.core.io;

import static io.netanomaly.core.io.ReaderTesting.firstError;
import static io.netanomaly.core.io.ReaderTesting.readAll;
import static io.netanomaly.core.io.ReaderTesting.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netanomaly.core.schema.FieldType;
import io.netanomaly.core.schema.Row;
import io.netanomaly.core.schema.Schema;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenericCsvReaderTest {
  @TempDir Path dir;

  private static ReadOptions csv(String label) {
    return ReadOptions.builder().format(DataFormat.CSV).labelColumn(label).build();
  }

  /** 300 rows: every column kind, unique ids, a label column mixing conventions. */
  private Path webLog() throws Exception {
    StringBuilder b = new StringBuilder("time,host,status,method,bytes,request_id,dst_port,verdict\n");
    String[] verdicts = {"normal", "Benign", "SQLi", "0", "1", "true", "false"};
    for (int i = 0; i < 300; i++) {
      b.append(String.format("2026-01-05T08:%02d:%02dZ,10.0.%d.%d,%d,%s,%s,req-%05d,%d,%s\n",
          i / 60, i % 60, i / 256, i % 256, i % 3 == 0 ? 404 : 200, i % 2 == 0 ? "GET" : "POST",
          i % 10 == 0 ? "" : Double.toString(i * 1.5), i, 80 + i % 3, verdicts[i % 7]));
    }
    return write(dir, "web.csv", b.toString());
  }

  @Test
  void infersEveryKindOfColumn() throws Exception {
    Path f = webLog();
    try (RowSource src = Readers.open(f, csv("verdict"))) {
      Schema s = src.schema();
      assertThat(s.fields()).extracting(fl -> fl.name() + ":" + fl.type()).containsExactly(
          "time:TIMESTAMP", "host:ADDRESS", "status:NUMERIC", "method:CATEGORICAL",
          "bytes:NUMERIC", "request_id:IGNORED", "dst_port:PORT");
      assertThat(s.labelColumn()).isEqualTo("verdict");
      assertThat(s.name()).isEqualTo("csv");
      Row r0 = src.next();
      assertThat(r0.text(0)).isEqualTo("2026-01-05T08:00:00Z");
      assertThat(r0.number(0)).isEqualTo(1_767_600_000_000d);
      assertThat(r0.number(4)).isNaN();
      assertThat(r0.text(6)).isEqualTo("80");
      assertThat(r0.label()).isZero();
      assertThat(r0.anomalyType()).isEqualTo("normal");
      Row r1 = src.next();
      assertThat(r1.label()).isZero();
      Row r2 = src.next();
      assertThat(r2.label()).isEqualTo(1);
      assertThat(r2.anomalyType()).isEqualTo("sqli");
      assertThat(r2.number(4)).isEqualTo(3.0);
      assertThat(src.next().label()).isZero();
      assertThat(src.next().label()).isEqualTo(1);
      assertThat(src.next().label()).isEqualTo(1);
      assertThat(src.next().label()).isZero();
      long n = 7;
      while (src.hasNext()) {
        src.next();
        n++;
      }
      assertThat(n).isEqualTo(300);
    }
  }

  @Test
  void fewDistinctTextStaysCategoricalAndPortNeedsAPortName() throws Exception {
    StringBuilder b = new StringBuilder("id,code,port_like,sport\n");
    for (int i = 0; i < 150; i++) {
      b.append("x").append(i % 50).append(",").append(i).append(",").append(i).append(",")
          .append(i).append("\n");
    }
    Schema s;
    try (RowSource src = Readers.open(write(dir, "t.csv", b.toString()), csv(null))) {
      s = src.schema();
    }
    assertThat(s.fields()).extracting(fl -> fl.type()).containsExactly(FieldType.CATEGORICAL,
        FieldType.NUMERIC, FieldType.NUMERIC, FieldType.PORT);
    assertThat(s.labelColumn()).isNull();
  }

  @Test
  void laterValueThatBreaksTheInferredTypeIsAnError() throws Exception {
    StringBuilder b = new StringBuilder("a,b\n");
    for (int i = 0; i < 1200; i++) {
      b.append(i).append(",x\n");
    }
    b.append("oops,x\n");
    Path f = write(dir, "t.csv", b.toString());
    InputException e = firstError(f, csv(null));
    assertThat(e.getMessage()).isEqualTo(f + ":1202:1: column 'a': got 'oops', expected a number");
  }

  @Test
  void schemaFileOverridesInference() throws Exception {
    Path schema = write(dir, "web.schema.json", "{\"name\":\"web\",\"label\":\"verdict\","
        + "\"fields\":[{\"name\":\"status\",\"type\":\"categorical\"},"
        + "{\"name\":\"time\",\"type\":\"timestamp\"},{\"name\":\"host\",\"type\":\"address\"},"
        + "{\"name\":\"method\",\"type\":\"categorical\"},{\"name\":\"bytes\",\"type\":\"numeric\"},"
        + "{\"name\":\"request_id\",\"type\":\"ignored\"},{\"name\":\"dst_port\",\"type\":\"port\"}]}");
    ReadOptions opts = ReadOptions.builder().format(DataFormat.CSV).schemaFile(schema).build();
    List<Row> rows;
    Schema s;
    try (RowSource src = Readers.open(webLog(), opts)) {
      s = src.schema();
      rows = new java.util.ArrayList<>();
      src.forEachRemaining(rows::add);
    }
    assertThat(s.name()).isEqualTo("web");
    assertThat(s.labelColumn()).isEqualTo("verdict");
    assertThat(s.field(0).name()).isEqualTo("status");
    assertThat(s.field(0).type()).isEqualTo(FieldType.CATEGORICAL);
    assertThat(rows).hasSize(300);
    assertThat(rows.get(0).text(0)).isEqualTo("404");
    assertThat(rows.get(0).number(0)).isNaN();
    assertThat(rows.get(0).text(1)).isEqualTo("2026-01-05T08:00:00Z");
  }

  @Test
  void schemaFileMustDeclareEveryColumn() throws Exception {
    Path schema = write(dir, "s.json", "{\"fields\":[{\"name\":\"a\",\"type\":\"numeric\"}]}");
    Path f = write(dir, "t.csv", "a,b,c\n1,2,3\n");
    ReadOptions opts = ReadOptions.builder().format(DataFormat.CSV).schemaFile(schema).build();
    assertThatThrownBy(() -> Readers.open(f, opts)).isInstanceOf(InputException.class)
        .hasMessage(f + ":1:2: column 'b': got 'b, c', expected only the columns declared in "
            + schema + ": a");
    Path bad = write(dir, "bad.json", "{\"fields\":[{\"name\":\"a\",\"type\":\"number\"}]}");
    ReadOptions badOpts = ReadOptions.builder().format(DataFormat.CSV).schemaFile(bad).build();
    assertThatThrownBy(() -> Readers.open(f, badOpts)).isInstanceOf(InputException.class)
        .hasMessage(bad + ": column 'a': got 'number', expected a field type: numeric, "
            + "categorical, port, timestamp, address or ignored");
  }

  @Test
  void missingLabelColumnAndBadLabelsAreErrors() throws Exception {
    Path f = write(dir, "t.csv", "a,verdict\n1,normal\n2,\n");
    assertThatThrownBy(() -> Readers.open(f, csv("label"))).isInstanceOf(InputException.class)
        .hasMessage(f + ":1: column 'label': missing value, expected a column named 'label' in "
            + "the header: a, verdict");
    InputException e = firstError(f, csv("verdict"));
    assertThat(e.getMessage()).isEqualTo(f + ":3:2: column 'verdict': missing value, expected "
        + "a label: 0/1, true/false, normal/benign or an attack name");
  }

  @Test
  void typeColumnGivesTheAnomalyType() throws Exception {
    Path f = write(dir, "t.csv", "a,is_attack,kind\n1,1,Brute Force\n2,0,\n3,1,\n");
    ReadOptions opts = ReadOptions.builder().format(DataFormat.CSV).labelColumn("is_attack")
        .typeColumn("kind").build();
    List<Row> rows = readAll(f, opts);
    assertThat(rows).extracting(Row::label).containsExactly(1, 0, 1);
    assertThat(rows).extracting(Row::anomalyType).containsExactly("Brute Force", "normal", null);
  }

  @Test
  void wrongFieldCountSaysFoundAndExpected() throws Exception {
    Path f = write(dir, "t.csv", "a,b,c\n1,2,3\n1,2\n");
    assertThat(firstError(f, csv(null)).getMessage())
        .isEqualTo(f + ":3: found 2 fields, expected 3");
  }

  @Test
  void writerOutputReadsBackAsTheSameTable() throws Exception {
    Path f = webLog();
    List<Row> original = readAll(f, csv("verdict"));
    Schema schema;
    try (RowSource src = Readers.open(f, csv("verdict"))) {
      schema = src.schema();
    }
    Path out = dir.resolve("copy.csv");
    try (RowWriter w = RowWriter.open(out, schema, true, List.of())) {
      for (Row r : original) {
        w.write(r);
      }
    }
    List<Row> copy = readAll(out, csv("verdict"));
    assertThat(copy).hasSize(original.size());
    for (int i = 0; i < copy.size(); i++) {
      RowAssertions.assertSameValues(copy.get(i), original.get(i), schema);
    }
  }

  @Test
  void autoWithALabelColumnReadsAGenericTable() throws Exception {
    Path f = write(dir, "t.csv", "x,y\n1.5,attack\n2,normal\n");
    ReadOptions opts = ReadOptions.builder().labelColumn("y").build();
    List<Row> rows = readAll(f, opts);
    assertThat(rows).extracting(Row::label).containsExactly(1, 0);
    assertThat(rows.get(0).number(0)).isEqualTo(1.5);
  }
}
