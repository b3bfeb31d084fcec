package io.netanomaly.llm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AnalysisCacheTest {
  @Test
  void keyHoldsTypeAndTheTopFeaturesOrdersOfMagnitude() {
    assertThat(AnalysisCache.keyOf(TestAlerts.portScan(1, "10.0.0.5", 87).explanation()))
        .isEqualTo("port_scan|win_distinct_dst_ports:e1|bytes_sent:e1|duration:e-2");
    assertThat(AnalysisCache.keyOf(TestAlerts.portScan(2, "10.9.9.9", 12).explanation()))
        .isEqualTo(AnalysisCache.keyOf(TestAlerts.portScan(1, "10.0.0.5", 99).explanation()));
    assertThat(AnalysisCache.keyOf(TestAlerts.portScan(2, "10.0.0.5", 100).explanation()))
        .isNotEqualTo(AnalysisCache.keyOf(TestAlerts.portScan(1, "10.0.0.5", 99).explanation()));
  }

  @Test
  void magnitudeBuckets() {
    assertThat(AnalysisCache.magnitude(1)).isEqualTo("e0");
    assertThat(AnalysisCache.magnitude(9.99)).isEqualTo("e0");
    assertThat(AnalysisCache.magnitude(1000)).isEqualTo("e3");
    assertThat(AnalysisCache.magnitude(-0.5)).isEqualTo("-e-1");
    assertThat(AnalysisCache.magnitude(0)).isEqualTo("0");
    assertThat(AnalysisCache.magnitude(Double.NaN)).isEqualTo("nan");
    assertThat(AnalysisCache.magnitude(Double.POSITIVE_INFINITY)).isEqualTo("inf");
  }

  @Test
  void evictsTheLeastRecentlyUsedBeyondItsCapacity() {
    AnalysisCache cache = new AnalysisCache(2);
    cache.put("a", "A");
    cache.put("b", "B");
    assertThat(cache.get("a")).isEqualTo("A"); // a is now the most recently used

    cache.put("c", "C");

    assertThat(cache.get("b")).isNull();
    assertThat(cache.get("a")).isEqualTo("A");
    assertThat(cache.get("c")).isEqualTo("C");
    assertThat(cache.size()).isEqualTo(2);
  }

  @Test
  void zeroCapacityKeepsNothing() {
    AnalysisCache cache = new AnalysisCache(0);
    cache.put("a", "A");

    assertThat(cache.get("a")).isNull();
  }
}
