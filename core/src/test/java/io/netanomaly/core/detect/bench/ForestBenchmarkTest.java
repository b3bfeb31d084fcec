package io.netanomaly.core.detect.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netanomaly.core.detect.Matrix;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForestBenchmarkTest {
  @Test
  void runReportsItsSettingsTimesAndProgress() throws Exception {
    List<Long> progress = new ArrayList<>();
    ForestBenchmark.Result r = ForestBenchmark.run(3000, 5, 10, 2, 1, progress::add);
    assertThat(r.rows()).isEqualTo(3000);
    assertThat(r.features()).isEqualTo(5);
    assertThat(r.trees()).isEqualTo(10);
    assertThat(r.threads()).isEqualTo(2);
    assertThat(r.fitSeconds()).isPositive();
    assertThat(r.scoreSeconds()).isPositive();
    assertThat(r.scoreRowsPerSecond()).isCloseTo(3000 / r.scoreSeconds(), within(1e-6));
    assertThat(progress).first().isEqualTo(0L);
    assertThat(progress).last().isEqualTo(100L);
    assertThat(progress).isSorted();

    JsonNode json = new ObjectMapper().readTree(r.toJson());
    assertThat(json.get("rows").intValue()).isEqualTo(3000);
    assertThat(json.get("features").intValue()).isEqualTo(5);
    assertThat(json.get("trees").intValue()).isEqualTo(10);
    assertThat(json.get("threads").intValue()).isEqualTo(2);
    assertThat(json.get("fit_seconds").doubleValue()).isEqualTo(r.fitSeconds());
    assertThat(json.get("score_seconds").doubleValue()).isEqualTo(r.scoreSeconds());
    assertThat(json.get("score_rows_per_second").doubleValue()).isEqualTo(r.scoreRowsPerSecond());
  }

  @Test
  void lognormalMatrixIsPositiveDeterministicAndSkewed() {
    Matrix a = ForestBenchmark.lognormal(100_000, 2, 5);
    Matrix b = ForestBenchmark.lognormal(100_000, 2, 5);
    assertThat(a.data()).isEqualTo(b.data());
    double sum = 0;
    int belowOne = 0;
    for (float v : a.data()) {
      assertThat(v).isPositive();
      sum += v;
      belowOne += v < 1 ? 1 : 0;
    }
    // exp(N(0,1)): median 1, mean e^0.5 ≈ 1.6487
    assertThat(sum / a.data().length).isCloseTo(Math.exp(0.5), within(0.03));
    assertThat(belowOne / (double) a.data().length).isCloseTo(0.5, within(0.01));
  }

  @Test
  void badSettingsAreRejected() {
    assertThatThrownBy(() -> ForestBenchmark.run(1, 5, 10, 1, 0, null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ForestBenchmark.run(10, 5, 0, 1, 0, null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ForestBenchmark.run(10, 5, 10, 0, 0, null)).isInstanceOf(IllegalArgumentException.class);
  }
}
