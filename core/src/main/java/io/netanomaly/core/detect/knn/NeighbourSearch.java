package io.netanomaly.core.detect.knn;

import io.netanomaly.core.detect.DetectorWorkers;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Exact k-nearest-neighbour search by blocked brute force over a fixed set of training rows
 * (squared Euclidean distance).
 *
 * <p>Training rows are centred on their mean (which keeps the dot-product form below accurate) and
 * stored as doubles in tiles of {@value #TILE} rows, feature-major within a tile, so that the dot
 * products of one query with a whole tile are {@code features} element-wise multiply-adds over
 * contiguous arrays, which the JIT turns into SIMD. The squared distance is then
 * {@code |q|² + |t|² − 2 q·t}, clamped at 0. Queries go in blocks of {@value #QUERY_BLOCK}; for each
 * training tile, every query of the block is compared with the whole tile while the tile is in
 * cache. Each query keeps a k-bounded max-heap of (distance, index).
 *
 * <p>Ties: training rows are visited in index order and a row replaces the heap's worst entry only
 * if strictly closer, so among rows at the same computed distance (duplicates, for instance) the
 * lowest indices are kept. Results do not
 * depend on the thread count (each query is searched by one thread in a fixed order).
 *
 * <p>Immutable and safe to use from several threads at once.
 */
final class NeighbourSearch {
  /** Training rows per tile: 128 rows × 30 features × 8 bytes = 30 KB, about an L1 cache. */
  static final int TILE = 128;
  /** Queries per block: each training tile is reused by this many queries before moving on. */
  static final int QUERY_BLOCK = 32;

  private final int features;
  private final int rows;
  private final double[] center;
  /** Tile t, feature f, row i of the tile at {@code (t * features + f) * TILE + i}; padding is 0. */
  private final double[] tiles;
  /** Squared norm of each centred training row; +∞ for the padding rows of the last tile. */
  private final double[] norms;

  /** Indexes the rows of {@code training} (row-major, {@code rows × features}); not retained. */
  NeighbourSearch(float[] training, int rows, int features) {
    this.features = features;
    this.rows = rows;
    this.center = new double[features];
    for (int r = 0; r < rows; r++) {
      for (int f = 0; f < features; f++) {
        center[f] += training[r * features + f];
      }
    }
    for (int f = 0; f < features; f++) {
      center[f] /= rows;
    }
    int tileCount = (rows + TILE - 1) / TILE;
    this.tiles = new double[tileCount * features * TILE];
    this.norms = new double[tileCount * TILE];
    Arrays.fill(norms, rows, norms.length, Double.POSITIVE_INFINITY);
    for (int r = 0; r < rows; r++) {
      int base = (r / TILE) * features * TILE + r % TILE;
      for (int f = 0; f < features; f++) {
        tiles[base + f * TILE] = training[r * features + f] - center[f];
      }
      norms[r] = squaredNorm(tiles, base, TILE);
    }
  }

  /**
   * Σ a[offset + f · stride]², summed in the same grouping as the dot products of
   * {@link #searchBlock}, so that a query identical to a training row is at distance exactly 0.
   */
  private double squaredNorm(double[] a, int offset, int stride) {
    double n = 0;
    int f = 0;
    for (; f + 4 <= features; f += 4) {
      double v0 = a[offset + f * stride];
      double v1 = a[offset + (f + 1) * stride];
      double v2 = a[offset + (f + 2) * stride];
      double v3 = a[offset + (f + 3) * stride];
      n += v0 * v0 + v1 * v1 + v2 * v2 + v3 * v3;
    }
    for (; f < features; f++) {
      double v = a[offset + f * stride];
      n += v * v;
    }
    return n;
  }

  int rows() {
    return rows;
  }

  /** Per-thread working memory for {@link #searchBlock}. Not thread-safe. */
  final class Scratch {
    final int k;
    final double[] query = new double[QUERY_BLOCK * features];
    final double[] queryNorm = new double[QUERY_BLOCK];
    final double[] dots = new double[TILE];
    final double[] heapDist;
    final int[] heapIndex;

    Scratch(int k) {
      this.k = k;
      this.heapDist = new double[QUERY_BLOCK * k];
      this.heapIndex = new int[QUERY_BLOCK * k];
    }
  }

  Scratch scratch(int k) {
    return new Scratch(k);
  }

  /**
   * Searches the k nearest training rows of every row of {@code q} (row-major, {@code features}
   * columns) with {@code threads} threads; writes, per query {@code r}, the squared distances in
   * ascending order to {@code dist[r * k ..]} and the training indices to {@code index[r * k ..]}.
   *
   * @param excludeSelf whether query {@code r} is training row {@code r} and must not be its own
   *     neighbour (training rows scored against the others, for LOF's fit)
   */
  void search(float[] q, int queries, int k, boolean excludeSelf, int threads, double[] dist, int[] index) {
    int blocks = (queries + QUERY_BLOCK - 1) / QUERY_BLOCK;
    AtomicInteger next = new AtomicInteger();
    DetectorWorkers.run(Math.min(threads, blocks), () -> {
      Scratch s = new Scratch(k);
      int b;
      while ((b = next.getAndIncrement()) < blocks) {
        int from = b * QUERY_BLOCK;
        int to = Math.min(queries, from + QUERY_BLOCK);
        searchBlock(q, from, to, excludeSelf, s);
        System.arraycopy(s.heapDist, 0, dist, from * k, (to - from) * k);
        System.arraycopy(s.heapIndex, 0, index, from * k, (to - from) * k);
      }
    });
  }

  /**
   * Searches queries {@code [from, to)} (at most {@value #QUERY_BLOCK}) of {@code q}; leaves, for
   * query {@code from + j}, its k neighbours sorted by (distance, index) in
   * {@code s.heapDist/heapIndex[j * k ..]}. Allocates nothing.
   */
  void searchBlock(float[] q, int from, int to, boolean excludeSelf, Scratch s) {
    int k = s.k;
    int n = to - from;
    double[] query = s.query;
    double[] dots = s.dots;
    double[] heapDist = s.heapDist;
    int[] heapIndex = s.heapIndex;
    for (int j = 0; j < n; j++) {
      for (int f = 0; f < features; f++) {
        query[j * features + f] = q[(from + j) * features + f] - center[f];
      }
      s.queryNorm[j] = squaredNorm(query, j * features, 1);
    }
    Arrays.fill(heapDist, 0, n * k, Double.POSITIVE_INFINITY);
    Arrays.fill(heapIndex, 0, n * k, -1);
    int tileCount = norms.length / TILE;
    for (int t = 0; t < tileCount; t++) {
      int tileBase = t * features * TILE;
      int rowBase = t * TILE;
      for (int j = 0; j < n; j++) {
        Arrays.fill(dots, 0.0);
        int qBase = j * features;
        int f = 0;
        // four features per pass: one load and store of dots per four multiply-adds
        for (; f + 4 <= features; f += 4) {
          double v0 = query[qBase + f];
          double v1 = query[qBase + f + 1];
          double v2 = query[qBase + f + 2];
          double v3 = query[qBase + f + 3];
          int c0 = tileBase + f * TILE;
          int c1 = c0 + TILE;
          int c2 = c1 + TILE;
          int c3 = c2 + TILE;
          for (int i = 0; i < TILE; i++) {
            dots[i] += v0 * tiles[c0 + i] + v1 * tiles[c1 + i] + v2 * tiles[c2 + i] + v3 * tiles[c3 + i];
          }
        }
        for (; f < features; f++) {
          double v = query[qBase + f];
          int col = tileBase + f * TILE;
          for (int i = 0; i < TILE; i++) {
            dots[i] += v * tiles[col + i];
          }
        }
        double qn = s.queryNorm[j];
        int heap = j * k;
        double worst = heapDist[heap];
        int self = excludeSelf ? from + j - rowBase : -1;
        for (int i = 0; i < TILE; i++) {
          double d = qn + norms[rowBase + i] - 2 * dots[i];
          if (d < worst && i != self) {
            worst = replaceTop(heapDist, heapIndex, heap, k, Math.max(0.0, d), rowBase + i);
          }
        }
      }
    }
    for (int j = 0; j < n; j++) {
      sortHeap(heapDist, heapIndex, j * k, k);
    }
  }

  /** Replaces the root of the max-heap at {@code [base, base + k)} and sifts it down; returns the new root. */
  private static double replaceTop(double[] dist, int[] index, int base, int k, double d, int idx) {
    int pos = 0;
    while (true) {
      int child = 2 * pos + 1;
      if (child >= k) {
        break;
      }
      int right = child + 1;
      if (right < k && greater(dist, index, base + right, base + child)) {
        child = right;
      }
      double cd = dist[base + child];
      if (cd < d || (cd == d && index[base + child] < idx)) {
        break;
      }
      dist[base + pos] = cd;
      index[base + pos] = index[base + child];
      pos = child;
    }
    dist[base + pos] = d;
    index[base + pos] = idx;
    return dist[base];
  }

  /** Whether entry a ranks after entry b in (distance, index) order; unfilled entries (−1) rank last. */
  private static boolean greater(double[] dist, int[] index, int a, int b) {
    return dist[a] > dist[b] || (dist[a] == dist[b] && index[a] > index[b]);
  }

  /** Heap-sorts the max-heap at {@code [base, base + k)} into ascending (distance, index) order. */
  private static void sortHeap(double[] dist, int[] index, int base, int k) {
    for (int end = k - 1; end > 0; end--) {
      double d = dist[base + end];
      int idx = index[base + end];
      dist[base + end] = dist[base];
      index[base + end] = index[base];
      // sift d down within [0, end)
      int pos = 0;
      while (true) {
        int child = 2 * pos + 1;
        if (child >= end) {
          break;
        }
        int right = child + 1;
        if (right < end && greater(dist, index, base + right, base + child)) {
          child = right;
        }
        double cd = dist[base + child];
        if (cd < d || (cd == d && index[base + child] < idx)) {
          break;
        }
        dist[base + pos] = cd;
        index[base + pos] = index[base + child];
        pos = child;
      }
      dist[base + pos] = d;
      index[base + pos] = idx;
    }
  }
}
