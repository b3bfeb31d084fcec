package io.netanomaly.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netanomaly.core.explain.Alert;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertWriterTest {
  @TempDir
  Path dir;
  private AlertStore store;

  @BeforeEach
  void open() {
    store = AlertStore.open(dir.resolve("alerts.db").toString());
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void flushWritesEverythingOfferedEvenBeforeTheIntervalEnds() {
    try (AlertWriter writer = AlertWriter.builder(store).batchSize(1000).flushInterval(Duration.ofHours(1)).start()) {
      assertThat(writer.offerAll(TestAlerts.alerts(0, 10))).isEqualTo(10);
      writer.flush();
      assertThat(store.count()).isEqualTo(10);
      assertThat(writer.stored()).isEqualTo(10);
      assertThat(writer.queued()).isZero();

      writer.offer(TestAlerts.alert(10));
      writer.flush();
      assertThat(store.count()).isEqualTo(11);
    }
  }

  @Test
  void aFullBatchIsWrittenWithoutWaitingForTheInterval() throws Exception {
    CountDownLatch written = new CountDownLatch(1);
    try (AlertWriter writer = AlertWriter.builder(store).batchSize(5).flushInterval(Duration.ofHours(1))
        .onStored(batch -> written.countDown()).start()) {
      writer.offerAll(TestAlerts.alerts(0, 5));
      assertThat(written.await(60, TimeUnit.SECONDS)).isTrue();
      assertThat(store.count()).isEqualTo(5);
    }
  }

  @Test
  void closeDrainsTheQueue() {
    AlertWriter writer = AlertWriter.builder(store).batchSize(7).flushInterval(Duration.ofHours(1)).start();
    writer.offerAll(TestAlerts.alerts(0, 100));
    writer.close();
    assertThat(store.count()).isEqualTo(100);
    assertThat(writer.stored()).isEqualTo(100);
  }

  @Test
  void storedBatchesCarryTheirStoreIds() {
    List<Alert> seen = new CopyOnWriteArrayList<>();
    try (AlertWriter writer = AlertWriter.builder(store).onStored(seen::addAll).start()) {
      writer.offerAll(TestAlerts.alerts(0, 30));
      writer.flush();
    }
    assertThat(seen).hasSize(30);
    for (Alert a : seen) {
      assertThat(a.id()).isPositive();
      assertThat(store.find(a.id()).orElseThrow().srcIp()).isEqualTo(a.srcIp());
    }
  }

  @Test
  void aQueueThatStaysFullDropsAfterTheOfferTimeoutAndCountsIt() throws Exception {
    CountDownLatch writerBusy = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AlertWriter writer = AlertWriter.builder(store).capacity(2).batchSize(1).flushInterval(Duration.ofMillis(1))
        .offerTimeout(Duration.ofMillis(50))
        .onStored(batch -> {
          writerBusy.countDown();
          try {
            release.await(60, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }).start();
    try {
      assertThat(writer.offer(TestAlerts.alert(0))).isTrue();
      // the writer holds alert 0 in its callback: nothing leaves the queue until released
      assertThat(writerBusy.await(60, TimeUnit.SECONDS)).isTrue();
      assertThat(writer.offer(TestAlerts.alert(1))).isTrue();
      assertThat(writer.offer(TestAlerts.alert(2))).isTrue();
      assertThat(writer.offer(TestAlerts.alert(3))).isFalse();
      assertThat(writer.dropped()).isEqualTo(1);
    } finally {
      release.countDown();
      writer.close();
    }
    assertThat(writer.stored()).isEqualTo(3);
    assertThat(store.count()).isEqualTo(3);
    assertThat(store.query(AlertQuery.all().srcIp(TestAlerts.srcIp(3))).alerts()).isEmpty();
  }

  @Test
  void offersAfterCloseAreDropped() {
    AlertWriter writer = AlertWriter.start(store);
    writer.close();
    assertThat(writer.offer(TestAlerts.alert(0))).isFalse();
    assertThat(writer.dropped()).isEqualTo(1);
    writer.close();
    assertThat(store.count()).isZero();
  }

  @Test
  void batchesTheStoreRefusesAreCountedAndTheWriterGoesOn() {
    AlertWriter writer = AlertWriter.builder(store).batchSize(10).start();
    try {
      store.close();
      writer.offerAll(TestAlerts.alerts(0, 10));
      writer.flush();
      assertThat(writer.failed()).isEqualTo(10);
      assertThat(writer.stored()).isZero();
      writer.offerAll(TestAlerts.alerts(10, 3));
      writer.flush();
      assertThat(writer.failed()).isEqualTo(13);
    } finally {
      writer.close();
    }
  }

  @Test
  void settingsAreChecked() {
    assertThatThrownBy(() -> AlertWriter.builder(store).capacity(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AlertWriter.builder(store).batchSize(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AlertWriter.builder(store).flushInterval(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AlertWriter.builder(store).offerTimeout(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
