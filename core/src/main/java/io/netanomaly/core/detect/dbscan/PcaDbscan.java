package io.netanomaly.core.detect.dbscan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netanomaly.core.detect.Detector;
import io.netanomaly.core.detect.Matrix;
import io.netanomaly.core.detect.iforest.DetectorParams;
import io.netanomaly.core.detect.DetectorWorkers;
import io.netanomaly.core.detect.iforest.RowSample;
import io.netanomaly.core.model.ModelArchive;
import io.netanomaly.core.model.ModelFormatException;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * DBSCAN (Ester et al. 1996) on principal components, as an anomaly detector.
 *
 * <p>Fitting: the training rows are projected on the principal components that keep 95% of the
 * variance (configurable); at most {@link Builder#maxRows(int)} rows (default 10,000, drawn
 * uniformly by the seed) are clustered, with exact Euclidean neighbour search by blocked brute
 * force over several threads. {@code minPts} defaults to twice the number of components (Sander et
 * al. 1998), counting the point itself as DBSCAN does. {@code eps} is chosen from the k-distance
 * curve — each row's distance to its {@code (minPts − 1)}-th nearest other row, sorted ascending —
 * at its knee: the point farthest below the chord from the first to the last point, both axes
 * scaled to [0, 1] (Kneedle, Satopää et al. 2011). Rows whose k-distance is at most eps are core
 * points; clusters grow from them; the other rows join the cluster of a core point within eps
 * (the first cluster found, in row order) or are noise, i.e. anomalous.
 *
 * <p>Scoring: a row's score is its Euclidean distance, in component space, to the nearest stored
 * core point (0 on a core point, larger farther from every cluster). At most
 * {@link Builder#maxCorePoints(int)} core points (default 2,000, drawn by the seed) are kept. The
 * caller sets the alarm threshold from the training scores (contamination).
 *
 * <p>The fit also records, for reports, the sorted k-distance curve, the cluster label of every
 * clustered row (−1 noise), which training rows those were, and the mean silhouette coefficient
 * of the clustering (Rousseeuw 1987) over clustered rows, noise excluded, computed on at most
 * 2,000 of them (drawn by the seed); NaN when fewer than two clusters were found.
 *
 * <p>Fitting is deterministic for a seed and any thread count. Immutable and safe to use from
 * several threads at once.
 */
public final class PcaDbscan implements Detector {
  /** The {@link #kind()} of this family. */
  public static final String KIND = "dbscan";
  /** Version of the parameters and arrays this class writes to and reads from a model archive. */
  public static final int ARCHIVE_VERSION = 1;

  private static final int BLOCK_ROWS = 256;
  private static final int PARALLEL_MIN_ROWS = 2048;

  private final PrincipalComponents pca;
  private final double varianceToKeep;
  private final int minPts;
  private final double eps;
  private final int clusters;
  private final int noise;
  private final int corePointsTotal;
  private final double silhouette;
  private final long seed;
  private final int maxRows;
  private final int maxCorePoints;
  /** Stored core points in component space, row-major, {@code pca.components()} per point. */
  private final double[] corePoints;
  private final double[] kDistances;
  private final int[] labels;
  private final int[] sampleRows;
  private final int threads;

  private PcaDbscan(PrincipalComponents pca, double varianceToKeep, int minPts, double eps, int clusters, int noise,
      int corePointsTotal, double silhouette, long seed, int maxRows, int maxCorePoints, double[] corePoints,
      double[] kDistances, int[] labels, int[] sampleRows, int threads) {
    this.pca = pca;
    this.varianceToKeep = varianceToKeep;
    this.minPts = minPts;
    this.eps = eps;
    this.clusters = clusters;
    this.noise = noise;
    this.corePointsTotal = corePointsTotal;
    this.silhouette = silhouette;
    this.seed = seed;
    this.maxRows = maxRows;
    this.maxCorePoints = maxCorePoints;
    this.corePoints = corePoints;
    this.kDistances = kDistances;
    this.labels = labels;
    this.sampleRows = sampleRows;
    this.threads = threads;
  }

  /**
   * A builder with defaults: keep 95% of the variance, minPts = 2 · components, at most 10,000
   * rows clustered and 2,000 core points kept, seed 0.
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public int features() {
    return pca.features();
  }

  /** The principal components rows are projected on. */
  public PrincipalComponents principalComponents() {
    return pca;
  }

  /** The requested fraction of variance to keep. */
  public double varianceToKeep() {
    return varianceToKeep;
  }

  /** DBSCAN's minPts (the point itself included). */
  public int minPts() {
    return minPts;
  }

  /** DBSCAN's eps, in component-space distance units, chosen at the knee of the k-distance curve. */
  public double eps() {
    return eps;
  }

  /** Number of clusters found in training. */
  public int clusters() {
    return clusters;
  }

  /** Number of clustered training rows labelled noise. */
  public int noisePoints() {
    return noise;
  }

  /** Core points found in training (before keeping at most {@code maxCorePoints}). */
  public int corePointsFound() {
    return corePointsTotal;
  }

  /** Core points kept for scoring. */
  public int corePointsKept() {
    return corePoints.length / pca.components();
  }

  /**
   * Mean silhouette coefficient of the training clustering in [−1, 1] (noise excluded), or NaN
   * when fewer than two clusters were found.
   */
  public double silhouette() {
    return silhouette;
  }

  /** The k-distance curve: each clustered row's distance to its (minPts − 1)-th nearest other row, ascending (a copy). */
  public double[] kDistances() {
    return kDistances.clone();
  }

  /** Cluster label (0 ..) or −1 (noise) of each clustered training row, in the order of {@link #sampleRows()} (a copy). */
  public int[] trainingLabels() {
    return labels.clone();
  }

  /** Indices, ascending, of the training rows that were clustered (all of them up to {@code maxRows}; a copy). */
  public int[] sampleRows() {
    return sampleRows.clone();
  }

  /** The seed of the subsamples. */
  public long seed() {
    return seed;
  }

  /** Threads {@link #score(Matrix, double[])} uses for large batches. */
  public int threads() {
    return threads;
  }

  /** The same detector (sharing its arrays) scoring large batches with {@code threads} threads. */
  public PcaDbscan withThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be ≥ 1: " + threads);
    }
    return new PcaDbscan(pca, varianceToKeep, minPts, eps, clusters, noise, corePointsTotal, silhouette, seed, maxRows,
        maxCorePoints, corePoints, kDistances, labels, sampleRows, threads);
  }

  /** Scores every row; batches of at least 2,048 rows are split over {@link #threads()} threads. */
  @Override
  public void score(Matrix batch, double[] out) {
    score(batch, out, batch.rows() >= PARALLEL_MIN_ROWS ? threads : 1);
  }

  /**
   * Scores every row of {@code batch} into {@code out[0 .. batch.rows())} with up to
   * {@code threads} threads; results do not depend on {@code threads}.
   *
   * @throws IllegalArgumentException if the batch has the wrong number of columns, {@code out}
   *     is short, or {@code threads < 1}
   */
  public void score(Matrix batch, double[] out, int threads) {
    int features = pca.features();
    Matrix.checkScoring(batch, out, features, "detector");
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be ≥ 1: " + threads);
    }
    int rows = batch.rows();
    float[] x = batch.data();
    int blocks = (rows + BLOCK_ROWS - 1) / BLOCK_ROWS;
    AtomicInteger nextBlock = new AtomicInteger();
    DetectorWorkers.run(Math.min(threads, blocks), () -> {
      double[] z = new double[pca.components()];
      int b;
      while ((b = nextBlock.getAndIncrement()) < blocks) {
        int to = Math.min(rows, (b + 1) * BLOCK_ROWS);
        for (int r = b * BLOCK_ROWS; r < to; r++) {
          pca.project(x, r * features, z);
          int nearest = nearestCore(z);
          out[r] = nearest < 0 ? Double.NaN : Math.sqrt(squaredDistance(z, nearest));
        }
      }
    });
  }

  /** Index of the stored core point nearest to {@code z}, −1 if {@code z} holds a NaN. */
  private int nearestCore(double[] z) {
    int k = z.length;
    int count = corePoints.length / k;
    double best = Double.POSITIVE_INFINITY;
    int nearest = -1;
    for (int i = 0; i < count; i++) {
      int base = i * k;
      double d2 = 0;
      // stop summing once this point cannot be the nearest
      for (int c = 0; c < k && d2 < best; c++) {
        double diff = z[c] - corePoints[base + c];
        d2 += diff * diff;
      }
      if (d2 < best) {
        best = d2;
        nearest = i;
      }
    }
    if (nearest < 0) {
      for (double v : z) {
        if (Double.isNaN(v)) {
          return -1;
        }
      }
      // every distance overflowed to +∞: any core point is as near as another
      return count > 0 ? 0 : -1;
    }
    return nearest;
  }

  private double squaredDistance(double[] z, int core) {
    int base = core * z.length;
    double d2 = 0;
    for (int c = 0; c < z.length; c++) {
      double diff = z[c] - corePoints[base + c];
      d2 += diff * diff;
    }
    return d2;
  }

  /**
   * Per-feature share in the score of one row: the difference between the row and its nearest
   * core point in component space, mapped back to input space ({@code δ = Σ_c (z_c − core_c) ·
   * component_c}), then {@code δ_f² / ‖δ‖²}. Variation outside the kept components does not
   * count, as it does not count in the score. All 0 on a core point or for a non-finite row.
   * Allocates two small arrays.
   */
  @Override
  public void attribute(float[] row, int offset, double[] out) {
    Objects.requireNonNull(row, "row");
    Objects.requireNonNull(out, "out");
    int features = pca.features();
    if (offset < 0 || offset + features > row.length) {
      throw new IllegalArgumentException("row of " + row.length + " floats has no " + features + " features at " + offset);
    }
    if (out.length < features) {
      throw new IllegalArgumentException("out has " + out.length + " entries for " + features + " features");
    }
    Arrays.fill(out, 0, features, 0.0);
    double[] z = new double[pca.components()];
    pca.project(row, offset, z);
    int nearest = nearestCore(z);
    if (nearest < 0) {
      return;
    }
    for (int c = 0; c < z.length; c++) {
      z[c] -= corePoints[nearest * z.length + c];
    }
    double[] delta = new double[features];
    pca.backProject(z, delta);
    double total = 0;
    for (double v : delta) {
      total += v * v;
    }
    if (!(total > 0) || Double.isInfinite(total)) {
      return;
    }
    for (int f = 0; f < features; f++) {
      out[f] = delta[f] * delta[f] / total;
    }
  }

  /**
   * Writes the detector: parameters at {@code manifest.detectors.<prefix>} — {@code kind}
   * ("dbscan"), {@code version} (1), {@code features}, {@code components}, {@code variance_to_keep},
   * {@code explained_variance}, {@code min_pts}, {@code eps}, {@code clusters}, {@code noise},
   * {@code core_points_found}, {@code core_points} (kept), {@code silhouette} (null when
   * undefined), {@code seed}, {@code max_rows}, {@code max_core_points}, {@code training_rows}
   * (rows clustered) — and arrays {@code <prefix>.}{@code pca_mean} float64[features],
   * {@code pca_eigenvalues} float64[features] (descending), {@code pca_components}
   * float64[components · features], {@code core_points} float64[core_points · components],
   * {@code k_distances} float64[training_rows] (ascending), {@code labels}
   * int32[training_rows] (−1 noise) and {@code sample_rows} int32[training_rows] (ascending).
   *
   * @throws IllegalArgumentException if {@code prefix} is already used or not a valid array name
   */
  @Override
  public void writeTo(ModelArchive.Builder archive, String prefix) {
    Objects.requireNonNull(archive, "archive");
    Objects.requireNonNull(prefix, "prefix");
    ObjectNode detectors = archive.manifest().withObjectProperty("detectors");
    if (detectors.has(prefix)) {
      throw new IllegalArgumentException("detector '" + prefix + "' already written");
    }
    archive.put(prefix + ".pca_mean", pca.meanArray().clone());
    archive.put(prefix + ".pca_eigenvalues", pca.eigenvalueArray().clone());
    archive.put(prefix + ".pca_components", pca.componentArray().clone());
    archive.put(prefix + ".core_points", corePoints.clone());
    archive.put(prefix + ".k_distances", kDistances.clone());
    archive.put(prefix + ".labels", labels.clone());
    archive.put(prefix + ".sample_rows", sampleRows.clone());
    ObjectNode p = detectors.putObject(prefix);
    p.put("kind", KIND);
    p.put("version", ARCHIVE_VERSION);
    p.put("features", pca.features());
    p.put("components", pca.components());
    p.put("variance_to_keep", varianceToKeep);
    p.put("explained_variance", pca.explainedVariance());
    p.put("min_pts", minPts);
    p.put("eps", eps);
    p.put("clusters", clusters);
    p.put("noise", noise);
    p.put("core_points_found", corePointsTotal);
    p.put("core_points", corePointsKept());
    if (Double.isNaN(silhouette)) {
      p.putNull("silhouette");
    } else {
      p.put("silhouette", silhouette);
    }
    p.put("seed", seed);
    p.put("max_rows", maxRows);
    p.put("max_core_points", maxCorePoints);
    p.put("training_rows", labels.length);
  }

  /**
   * Reads a detector written by {@link #writeTo}, checking every parameter and array.
   *
   * @throws ModelFormatException if anything is missing, malformed or inconsistent
   */
  public static PcaDbscan readFrom(ModelArchive archive, String prefix) throws ModelFormatException {
    Objects.requireNonNull(archive, "archive");
    Objects.requireNonNull(prefix, "prefix");
    JsonNode node = archive.manifest().path("detectors").path(prefix);
    DetectorParams p = new DetectorParams(node, KIND, prefix);
    p.requireKindAndVersion(ARCHIVE_VERSION);
    int features = (int) p.integer("features", 1, Integer.MAX_VALUE);
    int k = (int) p.integer("components", 1, features);
    double varianceToKeep = p.number("variance_to_keep", Double.MIN_VALUE, 1);
    int minPts = (int) p.integer("min_pts", 1, Integer.MAX_VALUE);
    double eps = p.number("eps", 0, Double.MAX_VALUE);
    int maxRows = (int) p.integer("max_rows", 2, Integer.MAX_VALUE);
    int n = (int) p.integer("training_rows", 2, maxRows);
    int clusters = (int) p.integer("clusters", 0, n);
    int noise = (int) p.integer("noise", 0, n);
    int found = (int) p.integer("core_points_found", 1, n);
    int maxCore = (int) p.integer("max_core_points", 1, Integer.MAX_VALUE);
    int kept = (int) p.integer("core_points", 1, Integer.MAX_VALUE);
    if (kept != Math.min(found, maxCore)) {
      throw p.error("core_points = " + kept + " but min(core_points_found, max_core_points) = "
          + Math.min(found, maxCore));
    }
    long seed = p.integer("seed", Long.MIN_VALUE, Long.MAX_VALUE);
    double silhouette;
    JsonNode s = node.get("silhouette");
    if (s != null && s.isNull()) {
      silhouette = Double.NaN;
    } else {
      silhouette = p.number("silhouette", -1, 1);
    }
    if (Double.isNaN(silhouette) != (clusters < 2)) {
      throw p.error("silhouette must be null exactly when fewer than two clusters were found");
    }

    double[] mean = finite(p, archive.doubles(prefix + ".pca_mean"), features, "pca_mean");
    double[] eigen = finite(p, archive.doubles(prefix + ".pca_eigenvalues"), features, "pca_eigenvalues");
    double[] comps = finite(p, archive.doubles(prefix + ".pca_components"), (long) k * features, "pca_components");
    double[] core = finite(p, archive.doubles(prefix + ".core_points"), (long) kept * k, "core_points");
    double[] kd = finite(p, archive.doubles(prefix + ".k_distances"), n, "k_distances");
    int[] labels = archive.ints(prefix + ".labels").clone();
    int[] rows = archive.ints(prefix + ".sample_rows").clone();
    if (labels.length != n || rows.length != n) {
      throw p.error("labels and sample_rows must have training_rows = " + n + " entries");
    }
    for (int i = 0; i < n; i++) {
      if (!(kd[i] >= 0) || (i > 0 && kd[i] < kd[i - 1])) {
        throw p.error("k_distances must be non-negative and ascending (entry " + i + ")");
      }
      if (labels[i] < -1 || labels[i] >= clusters) {
        throw p.error("label " + i + " is " + labels[i] + " with " + clusters + " clusters");
      }
      if (rows[i] < 0 || (i > 0 && rows[i] <= rows[i - 1])) {
        throw p.error("sample_rows must be distinct, non-negative and ascending (entry " + i + ")");
      }
    }
    long noiseLabels = Arrays.stream(labels).filter(l -> l < 0).count();
    if (noiseLabels != noise) {
      throw p.error("noise = " + noise + " but " + noiseLabels + " rows are labelled noise");
    }
    for (int i = 1; i < features; i++) {
      if (eigen[i] > eigen[i - 1]) {
        throw p.error("pca_eigenvalues must be descending");
      }
    }
    for (int c = 0; c < k; c++) {
      double norm = 0;
      for (int f = 0; f < features; f++) {
        norm += comps[c * features + f] * comps[c * features + f];
      }
      if (Math.abs(norm - 1) > 1e-6) {
        throw p.error("principal component " + c + " is not a unit vector");
      }
    }
    PrincipalComponents pca = PrincipalComponents.of(mean, eigen, comps, k);
    return new PcaDbscan(pca, varianceToKeep, minPts, eps, clusters, noise, found, silhouette, seed, maxRows, maxCore,
        core, kd, labels, rows, defaultThreads());
  }

  private static double[] finite(DetectorParams p, double[] a, long length, String name) throws ModelFormatException {
    if (a.length != length) {
      throw p.error(name + " has " + a.length + " values, expected " + length);
    }
    for (int i = 0; i < a.length; i++) {
      if (!Double.isFinite(a[i])) {
        throw p.error(name + "[" + i + "] is " + a[i]);
      }
    }
    return a.clone();
  }

  /**
   * Index of the knee of an ascending curve: the point farthest below the chord from the first to
   * the last point, with index and value both scaled to [0, 1] (the first such point on ties; the
   * last point if the curve has fewer than 3 points or is flat: its spread is at most 10⁻⁶ of its
   * largest value, so that rounding noise on a constant curve is not mistaken for a knee).
   */
  public static int knee(double[] ascending) {
    int n = ascending.length;
    if (n == 0) {
      throw new IllegalArgumentException("empty curve");
    }
    double lo = ascending[0];
    double hi = ascending[n - 1];
    if (n < 3 || !(hi - lo > 1e-6 * Math.abs(hi))) {
      return n - 1;
    }
    int best = n - 1;
    double bestGap = 0;
    for (int i = 0; i < n; i++) {
      double gap = (double) i / (n - 1) - (ascending[i] - lo) / (hi - lo);
      if (gap > bestGap) {
        bestGap = gap;
        best = i;
      }
    }
    return best;
  }

  private static int defaultThreads() {
    return Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  @Override
  public String toString() {
    return "PcaDbscan[features=" + pca.features() + ", components=" + pca.components() + ", minPts=" + minPts + ", eps="
        + eps + ", clusters=" + clusters + ", noise=" + noise + ", silhouette=" + silhouette + "]";
  }

  /** Settings for fitting a {@link PcaDbscan}. Not thread-safe; {@link #fit} may be called several times. */
  public static final class Builder {
    private double varianceToKeep = 0.95;
    private int minPts = 0;
    private int maxRows = 10_000;
    private int maxCorePoints = 2_000;
    private int silhouetteRows = 2_000;
    private long seed = 0;
    private int threads = defaultThreads();

    private Builder() {}

    /** Fraction of variance the kept components must explain, in (0, 1] (default 0.95). */
    public Builder varianceToKeep(double fraction) {
      if (!(fraction > 0 && fraction <= 1)) {
        throw new IllegalArgumentException("varianceToKeep must be in (0, 1]: " + fraction);
      }
      this.varianceToKeep = fraction;
      return this;
    }

    /** DBSCAN's minPts, ≥ 2, the point itself included (default: 2 · components). */
    public Builder minPts(int minPts) {
      if (minPts < 2) {
        throw new IllegalArgumentException("minPts must be ≥ 2: " + minPts);
      }
      this.minPts = minPts;
      return this;
    }

    /** Cap on clustered rows, ≥ 2 (default 10,000); more are subsampled by the seed. */
    public Builder maxRows(int maxRows) {
      if (maxRows < 2) {
        throw new IllegalArgumentException("maxRows must be ≥ 2: " + maxRows);
      }
      this.maxRows = maxRows;
      return this;
    }

    /** Cap on core points kept for scoring, ≥ 1 (default 2,000); scoring time grows with it. */
    public Builder maxCorePoints(int maxCorePoints) {
      if (maxCorePoints < 1) {
        throw new IllegalArgumentException("maxCorePoints must be ≥ 1: " + maxCorePoints);
      }
      this.maxCorePoints = maxCorePoints;
      return this;
    }

    /** Cap on clustered rows the silhouette is computed on, ≥ 2 (default 2,000). */
    public Builder silhouetteRows(int rows) {
      if (rows < 2) {
        throw new IllegalArgumentException("silhouetteRows must be ≥ 2: " + rows);
      }
      this.silhouetteRows = rows;
      return this;
    }

    /** Seed of the subsamples (default 0). */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Threads for the neighbour search and for scoring large batches, ≥ 1 (default: one per processor). */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be ≥ 1: " + threads);
      }
      this.threads = threads;
      return this;
    }

    /**
     * Fits on the rows of {@code x} (not retained).
     *
     * @throws IllegalArgumentException if {@code x} has fewer than 3 rows or a non-finite value
     */
    public PcaDbscan fit(Matrix x) {
      Objects.requireNonNull(x, "x");
      if (x.rows() < 3) {
        throw new IllegalArgumentException("need at least 3 rows to fit, got " + x.rows());
      }
      PrincipalComponents pca = PrincipalComponents.fit(x, varianceToKeep);
      int d = x.cols();
      int k = pca.components();
      int[] rows = RowSample.pick(x.rows(), Math.min(x.rows(), maxRows), seed);
      int n = rows.length;
      double[] z = new double[n * k];
      double[] buffer = new double[k];
      for (int i = 0; i < n; i++) {
        pca.project(x.data(), rows[i] * d, buffer);
        System.arraycopy(buffer, 0, z, i * k, k);
      }
      int pts = Math.min(minPts > 0 ? minPts : Math.max(2, 2 * k), n);
      double[] kDist = kDistances(z, n, k, pts - 1, threads);
      double[] sorted = kDist.clone();
      Arrays.sort(sorted);
      double eps = sorted[knee(sorted)];
      boolean[] core = new boolean[n];
      int coreCount = 0;
      for (int i = 0; i < n; i++) {
        core[i] = kDist[i] <= eps;
        coreCount += core[i] ? 1 : 0;
      }
      int[] labels = new int[n];
      int clusters = cluster(z, n, k, core, eps * eps, labels);
      int noise = 0;
      for (int l : labels) {
        noise += l < 0 ? 1 : 0;
      }
      double silhouette = clusters < 2 ? Double.NaN : silhouette(z, n, k, labels, silhouetteRows, seed);

      int[] coreIndex = new int[coreCount];
      for (int i = 0, c = 0; i < n; i++) {
        if (core[i]) {
          coreIndex[c++] = i;
        }
      }
      int[] keep = RowSample.pick(coreCount, Math.min(coreCount, maxCorePoints), seed + 1);
      double[] corePoints = new double[keep.length * k];
      for (int i = 0; i < keep.length; i++) {
        System.arraycopy(z, coreIndex[keep[i]] * k, corePoints, i * k, k);
      }
      return new PcaDbscan(pca, varianceToKeep, pts, eps, clusters, noise, coreCount, silhouette, seed, maxRows,
          maxCorePoints, corePoints, sorted, labels, rows, threads);
    }
  }

  /**
   * Each point's distance to its {@code m}-th nearest other point ({@code m ≥ 1}), exact, by brute
   * force with rows split over threads; each thread keeps the {@code m} smallest squared distances
   * of its current row in a sorted buffer.
   */
  static double[] kDistances(double[] z, int n, int k, int m, int threads) {
    double[] out = new double[n];
    int blocks = (n + 63) / 64;
    AtomicInteger next = new AtomicInteger();
    DetectorWorkers.run(Math.min(threads, blocks), () -> {
      double[] best = new double[m];
      int b;
      while ((b = next.getAndIncrement()) < blocks) {
        int to = Math.min(n, (b + 1) * 64);
        for (int i = b * 64; i < to; i++) {
          Arrays.fill(best, Double.POSITIVE_INFINITY);
          int ib = i * k;
          for (int j = 0; j < n; j++) {
            if (j == i) {
              continue;
            }
            double worst = best[m - 1];
            int jb = j * k;
            double d2 = 0;
            for (int c = 0; c < k && d2 < worst; c++) {
              double diff = z[ib + c] - z[jb + c];
              d2 += diff * diff;
            }
            if (d2 < worst) {
              int p = m - 1;
              while (p > 0 && best[p - 1] > d2) {
                best[p] = best[p - 1];
                p--;
              }
              best[p] = d2;
            }
          }
          out[i] = Math.sqrt(best[m - 1]);
        }
      }
    });
    return out;
  }

  /**
   * DBSCAN's expansion: clusters grow from unlabelled core points in row order, breadth first;
   * every point within eps of a core point joins its cluster if not yet in one. Returns the number
   * of clusters and writes labels (−1 noise).
   */
  static int cluster(double[] z, int n, int k, boolean[] core, double eps2, int[] labels) {
    Arrays.fill(labels, -1);
    int[] queue = new int[n];
    int clusters = 0;
    for (int seedPoint = 0; seedPoint < n; seedPoint++) {
      if (!core[seedPoint] || labels[seedPoint] >= 0) {
        continue;
      }
      int id = clusters++;
      int head = 0;
      int tail = 0;
      labels[seedPoint] = id;
      queue[tail++] = seedPoint;
      while (head < tail) {
        int p = queue[head++];
        int pb = p * k;
        for (int j = 0; j < n; j++) {
          if (labels[j] >= 0) {
            continue;
          }
          int jb = j * k;
          double d2 = 0;
          for (int c = 0; c < k && d2 <= eps2; c++) {
            double diff = z[pb + c] - z[jb + c];
            d2 += diff * diff;
          }
          if (d2 <= eps2) {
            labels[j] = id;
            if (core[j]) {
              queue[tail++] = j;
            }
          }
        }
      }
    }
    return clusters;
  }

  /**
   * Mean silhouette over clustered points (noise excluded), on at most {@code maxRows} of them
   * drawn by {@code seed}: {@code s = (b − a) / max(a, b)} with {@code a} the mean distance to the
   * other sampled points of the own cluster and {@code b} the least mean distance to another
   * cluster's sampled points; 0 for a point alone in its cluster within the sample.
   */
  static double silhouette(double[] z, int n, int k, int[] labels, int maxRows, long seed) {
    int clustered = 0;
    int clusters = 0;
    for (int l : labels) {
      if (l >= 0) {
        clustered++;
        clusters = Math.max(clusters, l + 1);
      }
    }
    int[] members = new int[clustered];
    for (int i = 0, c = 0; i < n; i++) {
      if (labels[i] >= 0) {
        members[c++] = i;
      }
    }
    int[] pick = RowSample.pick(clustered, Math.min(clustered, maxRows), seed + 2);
    int m = pick.length;
    int[] sizes = new int[clusters];
    for (int i = 0; i < m; i++) {
      sizes[labels[members[pick[i]]]]++;
    }
    double[] sums = new double[clusters];
    double total = 0;
    for (int i = 0; i < m; i++) {
      int p = members[pick[i]];
      Arrays.fill(sums, 0);
      for (int j = 0; j < m; j++) {
        int q = members[pick[j]];
        double d2 = 0;
        for (int c = 0; c < k; c++) {
          double diff = z[p * k + c] - z[q * k + c];
          d2 += diff * diff;
        }
        sums[labels[q]] += Math.sqrt(d2);
      }
      int own = labels[p];
      if (sizes[own] < 2) {
        continue;
      }
      double a = sums[own] / (sizes[own] - 1);
      double b = Double.POSITIVE_INFINITY;
      for (int c = 0; c < clusters; c++) {
        if (c != own && sizes[c] > 0) {
          b = Math.min(b, sums[c] / sizes[c]);
        }
      }
      if (Double.isInfinite(b)) {
        continue;
      }
      double denom = Math.max(a, b);
      total += denom > 0 ? (b - a) / denom : 0;
    }
    return total / m;
  }
}
