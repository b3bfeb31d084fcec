package io.netanomaly.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netanomaly.core.explain.Alert;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every alert store must do, whatever the database. Subclasses give a fresh, empty location
 * per test (a SQLite file, a PostgreSQL database).
 */
abstract class AlertStoreContract {
  private String location;
  protected AlertStore store;

  /** A location no store has used yet. */
  protected abstract String freshLocation() throws Exception;

  @BeforeEach
  void openStore() throws Exception {
    location = freshLocation();
    store = AlertStore.open(location);
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  /** Field by field, doubles bit for bit (NaN equals NaN; no tolerance). */
  private static void assertSameAlert(Alert actual, Alert expected) {
    assertThat(actual).usingRecursiveComparison().withComparatorForType(Double::compare, Double.class)
        .isEqualTo(expected);
  }

  @Test
  void anAlertReadBackEqualsTheOriginalInEveryField() {
    List<Alert> originals = List.of(TestAlerts.alert(7), TestAlerts.awkward(), TestAlerts.alert(123));
    List<Alert> stored = store.insert(originals);

    for (int i = 0; i < originals.size(); i++) {
      Alert expected = originals.get(i).withId(stored.get(i).id());
      assertSameAlert(stored.get(i), expected);
      assertSameAlert(store.find(expected.id()).orElseThrow(), expected);
    }
    Alert awkward = store.find(stored.get(1).id()).orElseThrow();
    assertThat(awkward.packetSize()).isNaN();
    assertThat(awkward.srcPort()).isEqualTo(-1);
    assertThat(awkward.explanation().topFeatures().get(0).normalHigh()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(awkward.fields().keySet()).containsExactly("z_first", "query", "empty", "missing", "ключ");
    assertThat(awkward.fields()).containsEntry("missing", null).containsEntry("empty", "");
    // and through a query as well as by id
    List<Alert> listed = store.query(AlertQuery.all()).alerts();
    assertThat(listed).hasSize(3);
    assertSameAlert(listed.get(1), originals.get(1).withId(stored.get(1).id()));
  }

  @Test
  void insertAssignsIncreasingIdsInInputOrder() {
    List<Alert> first = store.insert(TestAlerts.alerts(0, 50));
    List<Alert> second = store.insert(TestAlerts.alerts(50, 50));
    List<Long> ids = new ArrayList<>();
    first.forEach(a -> ids.add(a.id()));
    second.forEach(a -> ids.add(a.id()));

    assertThat(ids).doesNotHaveDuplicates().isSorted().allMatch(id -> id > 0);
    for (int i = 0; i < 50; i++) {
      assertThat(store.find(second.get(i).id()).orElseThrow().srcIp()).isEqualTo(TestAlerts.srcIp(50 + i));
    }
    assertThat(store.insert(List.of())).isEmpty();
    assertThat(store.count()).isEqualTo(100);
  }

  @Test
  void findOfAnUnknownIdIsEmpty() {
    store.insert(TestAlerts.alerts(0, 3));
    assertThat(store.find(999_999)).isEmpty();
    assertThat(store.find(-1)).isEmpty();
  }

  @Test
  void queryFiltersOnTimeTypeScoreAndSource() {
    store.insert(TestAlerts.alerts(0, 200));

    // event time of alert i is T0 + i s: since is inclusive, until exclusive
    List<Alert> window = all(AlertQuery.all().since(Instant.ofEpochMilli(TestAlerts.T0 + 10_000))
        .until(TestAlerts.T0 + 20_000));
    assertThat(window).extracting(Alert::eventTimeMillis)
        .containsExactlyInAnyOrderElementsOf(range(10, 20).stream().map(i -> TestAlerts.T0 + i * 1000L).toList());

    List<Alert> scans = all(AlertQuery.all().type("port_scan"));
    assertThat(scans).hasSize(19).allMatch(a -> a.anomalyType().equals("port_scan"));

    List<Alert> high = all(AlertQuery.all().minScore(0.945));
    assertThat(high).hasSize(4 * 5).allMatch(a -> a.score() >= 0.945);

    List<Alert> one = all(AlertQuery.all().srcIp(TestAlerts.srcIp(42)));
    assertThat(one).singleElement().satisfies(a -> assertThat(a.dstPort()).isEqualTo(62));

    List<Alert> combined = all(AlertQuery.all().since(TestAlerts.T0).until(TestAlerts.T0 + 100_000)
        .type("syn_flood").minScore(0.6));
    assertThat(combined).isNotEmpty().allMatch(a -> a.anomalyType().equals("syn_flood") && a.score() >= 0.6
        && a.eventTimeMillis() < TestAlerts.T0 + 100_000);
    long expected = TestAlerts.alerts(0, 100).stream()
        .filter(a -> a.anomalyType().equals("syn_flood") && a.score() >= 0.6).count();
    assertThat(combined).hasSize((int) expected);

    assertThat(all(AlertQuery.all().type("no_such_type"))).isEmpty();
  }

  @Test
  void cursorPagingWalksEveryAlertOnceNewestFirst() {
    List<Alert> stored = store.insert(TestAlerts.alerts(0, 25));

    List<Long> seen = new ArrayList<>();
    List<Integer> pageSizes = new ArrayList<>();
    String cursor = null;
    do {
      AlertPage page = store.query(AlertQuery.all().limit(10).cursor(cursor));
      pageSizes.add(page.alerts().size());
      page.alerts().forEach(a -> seen.add(a.id()));
      cursor = page.nextCursor();
    } while (cursor != null);

    assertThat(pageSizes).containsExactly(10, 10, 5);
    List<Long> newestFirst = stored.stream().map(Alert::id).sorted((a, b) -> Long.compare(b, a)).toList();
    assertThat(seen).containsExactlyElementsOf(newestFirst);

    // a page that ends exactly at the last alert has no next cursor
    AlertPage first = store.query(AlertQuery.all().limit(20));
    AlertPage last = store.query(AlertQuery.all().limit(5).cursor(first.nextCursor()));
    assertThat(last.alerts()).hasSize(5);
    assertThat(last.nextCursor()).isNull();
  }

  @Test
  void cursorPagingKeepsFilters() {
    store.insert(TestAlerts.alerts(0, 300));
    List<Alert> paged = new ArrayList<>();
    String cursor = null;
    do {
      AlertPage page = store.query(AlertQuery.all().type("beaconing").limit(7).cursor(cursor));
      paged.addAll(page.alerts());
      cursor = page.nextCursor();
    } while (cursor != null);
    assertThat(paged).hasSize(all(AlertQuery.all().type("beaconing").limit(1000)).size())
        .allMatch(a -> a.anomalyType().equals("beaconing"));
    assertThat(paged.stream().map(Alert::id).collect(Collectors.toSet())).hasSize(paged.size());
  }

  @Test
  void hostileFilterValuesMatchNothingAndBreakNothing() {
    store.insert(TestAlerts.alerts(0, 20));
    store.insert(List.of(TestAlerts.awkward()));

    assertThat(store.query(AlertQuery.all().srcIp("' OR 1=1 --")).alerts()).isEmpty();
    assertThat(store.query(AlertQuery.all().srcIp("10.0.0.1' OR '1'='1")).alerts()).isEmpty();
    assertThat(store.query(AlertQuery.all().type("x'; DROP TABLE alerts; --")).alerts()).isEmpty();
    assertThat(store.query(AlertQuery.all().type("port_scan\" OR \"\"=\"")).alerts()).isEmpty();
    assertThat(store.setLlmAnalysis(1, "'); DELETE FROM alerts; --")).isTrue();

    assertThat(store.count()).isEqualTo(21);
    assertThat(store.find(1).orElseThrow().llmAnalysis()).isEqualTo("'); DELETE FROM alerts; --");
    assertThat(store.query(AlertQuery.all().srcIp(TestAlerts.srcIp(3))).alerts()).hasSize(1);
  }

  @Test
  void llmAnalysisIsAttachedLaterAndReplaced() {
    long id = store.insert(List.of(TestAlerts.alert(1))).get(0).id();
    assertThat(store.find(id).orElseThrow().llmAnalysis()).isNull();

    assertThat(store.setLlmAnalysis(id, "first take")).isTrue();
    assertThat(store.setLlmAnalysis(id, "Second take, with \"quotes\"\nand lines")).isTrue();
    assertThat(store.find(id).orElseThrow().llmAnalysis()).isEqualTo("Second take, with \"quotes\"\nand lines");
    assertThat(store.setLlmAnalysis(id + 1000, "nobody")).isFalse();
  }

  @Test
  void countsByType() {
    store.insert(TestAlerts.alerts(0, 23));
    Map<String, Long> byType = store.countByType();
    // 11 types cycling: the first (port_scan) is seen 3 times, the rest twice
    assertThat(byType).hasSize(11);
    assertThat(byType.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(23);
    assertThat(byType.entrySet().iterator().next().getKey()).isEqualTo("port_scan");
    assertThat(byType).containsEntry("port_scan", 3L).containsEntry("beaconing", 2L);
    assertThat(store.count()).isEqualTo(23);
  }

  @Test
  void queryLimitIsClampedToTheMaximum() {
    store.insert(TestAlerts.alerts(0, 1005));
    AlertPage page = store.query(AlertQuery.all().limit(5000));
    assertThat(page.alerts()).hasSize(AlertQuery.MAX_LIMIT);
    assertThat(page.nextCursor()).isNotNull();
    assertThat(store.query(AlertQuery.all()).alerts()).hasSize(AlertQuery.DEFAULT_LIMIT);
    assertThatThrownBy(() -> AlertQuery.all().limit(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void alertsSurviveClosingAndReopening() {
    List<Alert> stored = store.insert(TestAlerts.alerts(0, 10));
    store.setLlmAnalysis(stored.get(3).id(), "kept");
    store.close();

    store = AlertStore.open(location);
    assertThat(store.count()).isEqualTo(10);
    assertSameAlert(store.find(stored.get(3).id()).orElseThrow(), stored.get(3).withLlmAnalysis("kept"));
    // ids go on after the ones already used
    long next = store.insert(List.of(TestAlerts.alert(10))).get(0).id();
    assertThat(next).isGreaterThan(stored.get(9).id());
  }

  @Test
  void fourThreadsThroughOneWriterStoreExactlyEveryAlert() throws Exception {
    Set<Long> idsSeen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    AlertWriter writer = AlertWriter.builder(store).capacity(256).batchSize(100)
        .flushInterval(Duration.ofMillis(20)).offerTimeout(Duration.ofSeconds(60))
        .onStored(batch -> batch.forEach(a -> idsSeen.add(a.id()))).start();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int from = t * 1000;
        results.add(pool.submit(() -> writer.offerAll(TestAlerts.alerts(from, 1000))));
      }
      for (Future<Integer> r : results) {
        assertThat(r.get(120, TimeUnit.SECONDS)).isEqualTo(1000);
      }
    } finally {
      pool.shutdown();
      writer.close();
    }
    assertThat(writer.dropped()).isZero();
    assertThat(writer.failed()).isZero();
    assertThat(writer.stored()).isEqualTo(4000);
    assertThat(idsSeen).hasSize(4000);
    assertThat(store.count()).isEqualTo(4000);
    Set<String> sources = new HashSet<>();
    String cursor = null;
    do {
      AlertPage page = store.query(AlertQuery.all().limit(1000).cursor(cursor));
      page.alerts().forEach(a -> sources.add(a.srcIp()));
      cursor = page.nextCursor();
    } while (cursor != null);
    assertThat(sources).hasSize(4000);
  }

  @Test
  void concurrentDirectInsertsDoNotFailOnLocks() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int base = t * 1000;
        results.add(pool.submit(() -> {
          for (int b = 0; b < 10; b++) {
            store.insert(TestAlerts.alerts(base + b * 50, 50));
          }
        }));
      }
      for (Future<?> r : results) {
        r.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdown();
    }
    assertThat(store.count()).isEqualTo(2000);
  }

  @Test
  void summaryCountsWhatTheFiltersMatch() {
    List<Alert> inserted = TestAlerts.alerts(0, 300);
    store.insert(inserted);

    AlertSummary s = store.summary(AlertQuery.all(), 60, 10, 3);

    assertThat(s.total()).isEqualTo(300);
    Map<String, Long> types = inserted.stream()
        .collect(Collectors.groupingBy(Alert::anomalyType, Collectors.counting()));
    assertThat(s.byType()).isEqualTo(types);
    assertThat(s.byProtocol()).containsExactly(Map.entry("TCP", 200L), Map.entry("UDP", 100L));
    // 300 alerts over 7 destinations: .0 to .5 have 43, ties ordered by address
    assertThat(s.topDestinations()).containsExactly(Map.entry("192.168.1.0", 43L), Map.entry("192.168.1.1", 43L),
        Map.entry("192.168.1.2", 43L));
    assertThat(s.topSources()).hasSize(3).allSatisfy((ip, n) -> assertThat(n).isEqualTo(1L));
    // one alert a second for 300 s: 5 s buckets are the narrowest that fit in 60
    assertThat(s.bucketMillis()).isEqualTo(5_000);
    assertThat(s.bucketStartMillis()).isEqualTo(TestAlerts.T0);
    assertThat(s.timeline()).hasSize(60).containsOnly(5L);
    assertThat(s.scoreLow()).isEqualTo(0.5);
    assertThat(s.scoreBinWidth()).isCloseTo(0.049, org.assertj.core.data.Offset.offset(1e-12));
    long[] expected = new long[10];
    for (Alert a : inserted) {
      expected[(int) Math.min(9, Math.floor((a.score() - s.scoreLow()) / s.scoreBinWidth()))]++;
    }
    assertThat(s.scoreHistogram()).containsExactly(expected);

    AlertQuery q = AlertQuery.all().type(inserted.get(0).anomalyType()).minScore(0.9)
        .since(TestAlerts.T0 + 100_000);
    AlertSummary filtered = store.summary(q, 60, 10, 3);
    assertThat(filtered.total()).isEqualTo(all(q).size()).isPositive();
    assertThat(filtered.byType()).containsOnlyKeys(inserted.get(0).anomalyType());
    assertThat(java.util.Arrays.stream(filtered.timeline()).sum()).isEqualTo(filtered.total());
    assertThat(java.util.Arrays.stream(filtered.scoreHistogram()).sum()).isEqualTo(filtered.total());
  }

  @Test
  void summaryOfNoAlertsIsEmpty() {
    store.insert(List.of(TestAlerts.awkward()));
    AlertSummary s = store.summary(AlertQuery.all().type("port_scan"), 60, 10, 5);
    assertThat(s.total()).isZero();
    assertThat(s.timeline()).isEmpty();
    assertThat(s.byType()).isEmpty();
    assertThat(s.scoreHistogram()).containsOnly(0L);
    // the awkward alert has no protocol or addresses: counted as unknown, not dropped
    AlertSummary all = store.summary(AlertQuery.all(), 60, 10, 5);
    assertThat(all.byProtocol()).containsExactly(Map.entry("unknown", 1L));
    assertThat(all.topSources()).containsExactly(Map.entry("unknown", 1L));
  }

  private List<Alert> all(AlertQuery q) {
    List<Alert> out = new ArrayList<>();
    String cursor = null;
    do {
      AlertPage page = store.query(q.cursor(cursor));
      out.addAll(page.alerts());
      cursor = page.nextCursor();
    } while (cursor != null);
    return out;
  }

  private static List<Integer> range(int from, int to) {
    List<Integer> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(i);
    }
    return out;
  }
}
