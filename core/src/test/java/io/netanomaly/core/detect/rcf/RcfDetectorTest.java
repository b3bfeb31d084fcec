package io.netanomaly.core.detect.rcf;

import static io.netanomaly.core.detect.iforest.DetectorTestData.NORMAL;
import static io.netanomaly.core.detect.iforest.DetectorTestData.archiveOf;
import static io.netanomaly.core.detect.iforest.DetectorTestData.blobWithOutliers;
import static io.netanomaly.core.detect.iforest.DetectorTestData.outliersInTop;
import static io.netanomaly.core.detect.iforest.DetectorTestData.rebuild;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netanomaly.core.detect.Matrix;
import io.netanomaly.core.detect.iforest.DetectorTestData;
import io.netanomaly.core.model.ModelArchive;
import io.netanomaly.core.model.ModelFormatException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

class RcfDetectorTest {
  private static final String PREFIX = "det0";
  private static final String GOLDEN = "rcf-v1";

  private static ModelArchive archiveOfForest(RcfDetector d) {
    return archiveOf(b -> d.writeTo(b, PREFIX));
  }

  /** The blob and outliers in a seeded random order (outliers spread through training, not last). */
  private static Matrix shuffledBlob(int dims, boolean alongFeatureZero, long seed, int[] outlierRows) {
    Matrix x = blobWithOutliers(dims, alongFeatureZero, seed);
    int[] order = IntStream.range(0, x.rows()).toArray();
    SplittableRandom rng = new SplittableRandom(seed);
    for (int i = order.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    float[] d = new float[x.rows() * dims];
    int o = 0;
    for (int r = 0; r < order.length; r++) {
      System.arraycopy(x.data(), order[r] * dims, d, r * dims, dims);
      if (order[r] >= NORMAL) {
        outlierRows[o++] = r;
      }
    }
    return new Matrix(d, x.rows(), dims);
  }

  @Test
  void plantedOutliersGetTheHighestScores() {
    Matrix x = blobWithOutliers(5, false, 7);
    RcfDetector rcf = RcfDetector.builder().seed(3).fit(x);
    double[] scores = rcf.score(x);
    assertThat(outliersInTop(scores, 20)).isGreaterThanOrEqualTo(18);
    assertThat(rcf.kind()).isEqualTo("rcf");
    assertThat(rcf.features()).isEqualTo(5);
    assertThat(rcf.updates()).isEqualTo(2020);
  }

  @Test
  void sameSeedGivesIdenticalScoresForAnyThreadCount() throws Exception {
    Matrix x = blobWithOutliers(4, false, 5);
    RcfDetector a = RcfDetector.builder().trees(20).seed(9).fit(x);
    RcfDetector b = RcfDetector.builder().trees(20).seed(9).fit(x);
    double[] one = new double[x.rows()];
    double[] two = new double[x.rows()];
    a.score(x, one, 1);
    b.score(x, two, 2);
    assertThat(two).isEqualTo(one);
    a.score(x, two, 3);
    assertThat(two).isEqualTo(one);
    assertThat(RcfDetector.builder().trees(20).seed(10).fit(x).score(x)).isNotEqualTo(one);
    // callers on several threads at once each get a replica of their own
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      Future<?>[] runs = new Future<?>[3];
      for (int i = 0; i < 3; i++) {
        runs[i] = pool.submit(() -> assertThat(a.score(x.slice(0, 500))).isEqualTo(Arrays.copyOf(one, 500)));
      }
      for (Future<?> f : runs) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void writeThenReadGivesIdenticalScores() throws Exception {
    Matrix x = blobWithOutliers(5, true, 6);
    RcfDetector rcf = RcfDetector.builder().trees(25).sampleSize(128).shingleSize(2).seed(-2).fit(x);
    ModelArchive archive = archiveOfForest(rcf);
    RcfDetector back = RcfDetector.readFrom(archive, PREFIX);
    assertThat(back.score(x)).isEqualTo(rcf.score(x));
    assertThat(back.shingleSize()).isEqualTo(2);
    assertThat(back.trees()).isEqualTo(25);
    assertThat(back.sampleSize()).isEqualTo(128);
    assertThat(back.seed()).isEqualTo(-2);
    assertThat(back.updates()).isEqualTo(rcf.updates()).isEqualTo(x.rows() - 1);
    double[] fa = new double[5];
    double[] fb = new double[5];
    rcf.attribute(x.data(), 2004 * 5, fa);
    back.attribute(x.data(), 2004 * 5, fb);
    assertThat(fb).isEqualTo(fa);
  }

  @Test
  void tamperedArchivesAreRejected() throws Exception {
    RcfDetector rcf = RcfDetector.builder().trees(5).sampleSize(32).shingleSize(2).fit(
        blobWithOutliers(3, false, 1).slice(0, 200));
    ModelArchive good = archiveOfForest(rcf);
    int[] packed = good.ints(PREFIX + ".state");
    int bytes = good.manifest().path("detectors").path(PREFIX).path("state_bytes").intValue();
    String json = new String(unpack(packed, bytes), StandardCharsets.UTF_8);

    assertRejected(good, PREFIX + ".state", Arrays.copyOf(packed, packed.length - 1), p -> { });
    assertRejected(good, PREFIX + ".state", RcfDetector.pack("{\"oops\":1}".getBytes(StandardCharsets.UTF_8)),
        p -> p.put("state_bytes", 10));
    assertRejected(good, PREFIX + ".state", RcfDetector.pack("not json".getBytes(StandardCharsets.UTF_8)),
        p -> p.put("state_bytes", 8));
    assertRejected(good, PREFIX + ".state", null, p -> { });
    for (String[] edit : new String[][] {
        {"\"numberOfTrees\":5", "\"numberOfTrees\":6"},
        {"\"dimensions\":6", "\"dimensions\":7"},
        {"\"precision\":\"FLOAT_32\"", "\"precision\":\"FLOAT_64\""},
        {"\"capacity\":", "\"capacity\":99999999"},
        {"\"compactRandomCutTreeStates\":[", "\"compactRandomCutTreeStates\":[null,"},
        {"\"pointData\":\"", "\"pointData\":\"AAAA"},
        {"\"totalUpdates\":199", "\"totalUpdates\":\"many\""}}) {
      assertThat(json).contains(edit[0]);
      byte[] edited = json.replaceFirst(java.util.regex.Pattern.quote(edit[0]),
          java.util.regex.Matcher.quoteReplacement(edit[1])).getBytes(StandardCharsets.UTF_8);
      assertRejected(good, PREFIX + ".state", RcfDetector.pack(edited), p -> p.put("state_bytes", edited.length));
    }
    int[] padded = packed.clone();
    if (bytes % 4 != 0) {
      padded[padded.length - 1] |= 0x7f000000;
      assertRejected(good, PREFIX + ".state", padded, p -> { });
    }
    assertRejected(good, PREFIX + ".context", new float[2], p -> { });
    assertRejected(good, PREFIX + ".context", new float[] {0, Float.NaN, 0}, p -> { });
    assertRejected(good, null, null, p -> p.put("kind", "iforest"));
    assertRejected(good, null, null, p -> p.put("version", 2));
    assertRejected(good, null, null, p -> p.put("trees", 6));
    assertRejected(good, null, null, p -> p.put("shingle_size", 1));
    assertRejected(good, null, null, p -> p.put("features", 4));
    assertRejected(good, null, null, p -> p.put("time_decay", 0.5));
    assertRejected(good, null, null, p -> p.put("updates", 5));
    assertRejected(good, null, null, p -> p.put("state_bytes", bytes + 4));
    assertRejected(good, null, null, p -> p.remove("sample_size"));
    assertThatThrownBy(() -> RcfDetector.readFrom(good, "other")).isInstanceOf(ModelFormatException.class);
  }

  private static byte[] unpack(int[] packed, int length) {
    byte[] out = new byte[length];
    for (int i = 0; i < length; i++) {
      out[i] = (byte) (packed[i >> 2] >>> (8 * (i & 3)));
    }
    return out;
  }

  private static void assertRejected(ModelArchive good, String name, Object replacement, Consumer<ObjectNode> edit) {
    ModelArchive bad = rebuild(good, PREFIX, name, replacement, edit);
    assertThatThrownBy(() -> RcfDetector.readFrom(bad, PREFIX)).isInstanceOf(ModelFormatException.class);
  }

  @Test
  void attributionPointsAtTheFeatureOutliersDifferIn() {
    int[] outliers = new int[20];
    Matrix x = shuffledBlob(5, true, 13, outliers);
    RcfDetector rcf = RcfDetector.builder().seed(8).fit(x);
    double[] share = new double[5];
    for (int r : outliers) {
      rcf.attribute(x.data(), r * 5, share);
      assertThat(Arrays.stream(share).sum()).isCloseTo(1.0, within(1e-9));
      int top = IntStream.range(0, 5).boxed().max(Comparator.comparingDouble(i -> share[i])).orElseThrow();
      assertThat(top).as("row %d shares %s", r, Arrays.toString(share)).isEqualTo(0);
    }
  }

  @Test
  void onlineUpdatesFollowADriftingDistribution() {
    Matrix blob = blobWithOutliers(3, false, 17).slice(0, NORMAL);
    OnlineRcf online = RcfDetector.builder().trees(30).sampleSize(128).seed(1).fitOnline(blob);
    SplittableRandom rng = new SplittableRandom(2);
    float[] row = new float[3];
    double[] scores = new double[3000];
    for (int i = 0; i < scores.length; i++) {
      for (int f = 0; f < 3; f++) {
        row[f] = (float) (6 + rng.nextGaussian());
      }
      double before = online.score(row, 0);
      scores[i] = online.update(row);
      assertThat(scores[i]).isEqualTo(before);
    }
    double baseline = Arrays.stream(RcfDetector.builder().trees(30).sampleSize(128).seed(1).fit(blob)
        .score(blob)).average().orElseThrow();
    double first = Arrays.stream(scores, 0, 20).average().orElseThrow();
    double last = Arrays.stream(scores, 2800, 3000).average().orElseThrow();
    assertThat(first).as("shifted rows are anomalous at first").isGreaterThan(2 * baseline);
    assertThat(last).as("after 3,000 updates the shift is the new normal").isLessThan(1.3 * baseline);
    assertThat(online.updates()).isEqualTo(NORMAL + 3000);
    // the snapshot scores like the online forest and is persisted as such
    RcfDetector snap = online.snapshot();
    assertThat(snap.updates()).isEqualTo(NORMAL + 3000);
    assertThat(snap.score(new Matrix(row.clone(), 1, 3))[0]).isEqualTo(online.score(row, 0));
  }

  @Test
  void shinglingSeesPatternsNoSingleRowShows() {
    // a sine wave: every value is normal on its own, a repeated value breaks the pattern
    int n = 3000;
    float[] wave = new float[n];
    for (int t = 0; t < n; t++) {
      wave[t] = (float) Math.sin(2 * Math.PI * t / 25);
    }
    Matrix train = new Matrix(wave, n, 1);
    RcfDetector plain = RcfDetector.builder().seed(4).fit(train);
    RcfDetector shingled = RcfDetector.builder().shingleSize(6).seed(4).fit(train);
    assertThat(shingled.shingleSize()).isEqualTo(6);
    float[] test = new float[200];
    for (int t = 0; t < 200; t++) {
      test[t] = (float) Math.sin(2 * Math.PI * (n + t) / 25);
    }
    int broken = 120;
    // stuck value: a plausible value at an implausible time
    test[broken] = test[broken - 3];
    Matrix batch = new Matrix(test, 200, 1);
    double[] s = shingled.score(batch);
    double[] p = plain.score(batch);
    double normalMaxShingled = IntStream.range(10, 200).filter(t -> Math.abs(t - broken) > 6)
        .mapToDouble(t -> s[t]).max().orElseThrow();
    assertThat(s[broken]).isGreaterThan(normalMaxShingled);
    double normalMaxPlain = IntStream.range(10, 200).filter(t -> t != broken).mapToDouble(t -> p[t]).max().orElseThrow();
    assertThat(p[broken]).isLessThanOrEqualTo(normalMaxPlain);
    // the first rows of a batch follow the training rows: online scoring agrees
    OnlineRcf online = shingled.online();
    assertThat(online.score(test, 0)).isEqualTo(s[0]);
    // after an update the snapshot's batches follow the updated stream
    online.update(test, 0);
    Matrix rest = new Matrix(Arrays.copyOfRange(test, 1, 200), 199, 1);
    assertThat(online.snapshot().score(rest)[0]).isEqualTo(online.score(test, 1));
  }

  @Test
  void badInputsAreRejected() {
    RcfDetector rcf = RcfDetector.builder().trees(3).fit(DetectorTestData.uniform(50, 2, 1));
    assertThatThrownBy(() -> rcf.score(DetectorTestData.uniform(5, 3, 1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> rcf.attribute(new float[3], 2, new double[2])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RcfDetector.builder().shingleSize(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RcfDetector.builder().shingleSize(5).fit(DetectorTestData.uniform(5, 2, 1)))
        .isInstanceOf(IllegalArgumentException.class);
    OnlineRcf online = rcf.online();
    long before = online.updates();
    assertThatThrownBy(() -> online.update(new float[] {1, Float.NaN})).isInstanceOf(IllegalArgumentException.class);
    assertThat(online.updates()).isEqualTo(before);
    assertThat(rcf.score(new Matrix(new float[] {1, Float.NaN}, 1, 2))[0]).isNaN();
  }

  /** The committed golden file loads and scores as when it was written (format pin for "rcf" v1). */
  @Test
  void goldenFileScoresAsWhenWritten() throws Exception {
    RcfDetector rcf = RcfDetector.readFrom(DetectorTestData.readGolden(GOLDEN), PREFIX);
    DetectorTestData.assertGoldenScores(GOLDEN, rcf.score(DetectorTestData.goldenQueries(3)));
  }

  @Test
  @EnabledIfSystemProperty(named = DetectorTestData.REGENERATE, matches = "true")
  void regenerateGoldenFile() throws Exception {
    RcfDetector rcf = RcfDetector.builder().trees(6).sampleSize(32).shingleSize(2).seed(4)
        .fit(blobWithOutliers(3, false, 21).slice(1800, 2020));
    DetectorTestData.writeGolden(GOLDEN, archiveOfForest(rcf), rcf.score(DetectorTestData.goldenQueries(3)),
        "blobWithOutliers(3, false, 21) rows 1800..2019, 6 trees, sample size 32, shingle size 2, seed 4");
  }
}
