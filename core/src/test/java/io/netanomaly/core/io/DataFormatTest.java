package io.netanomaly.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DataFormatTest {
  @Test
  void parsesCommandLineNames() {
    assertThat(DataFormat.parse("auto")).isEqualTo(DataFormat.AUTO);
    assertThat(DataFormat.parse("FLOW")).isEqualTo(DataFormat.FLOW);
    assertThat(DataFormat.parse("csv")).isEqualTo(DataFormat.CSV);
    assertThat(DataFormat.parse("NSL-KDD")).isEqualTo(DataFormat.NSL_KDD);
    assertThat(DataFormat.parse("unsw_nb15")).isEqualTo(DataFormat.UNSW_NB15);
    assertThatThrownBy(() -> DataFormat.parse("parquet"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown format 'parquet': expected one of auto, flow, csv, nsl-kdd, unsw-nb15");
  }

  @Test
  void optionsHaveDefaultsAndCopy() {
    ReadOptions d = ReadOptions.defaults();
    assertThat(d.format()).isEqualTo(DataFormat.AUTO);
    assertThat(d.maxErrorsKept()).isEqualTo(10);
    assertThat(d.skipInvalid()).isFalse();
    ReadOptions o = ReadOptions.builder().format(DataFormat.CSV).labelColumn("y").typeColumn("t")
        .schemaFile(Path.of("s.json")).skipInvalid(true).maxErrorsKept(2).build();
    ReadOptions copy = o.toBuilder().build();
    assertThat(copy.labelColumn()).isEqualTo("y");
    assertThat(copy.typeColumn()).isEqualTo("t");
    assertThat(copy.schemaFile()).isEqualTo(Path.of("s.json"));
    assertThat(copy.skipInvalid()).isTrue();
    assertThat(copy.maxErrorsKept()).isEqualTo(2);
    assertThatThrownBy(() -> ReadOptions.builder().maxErrorsKept(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
