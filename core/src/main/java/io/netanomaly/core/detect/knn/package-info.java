/**
 * Exact neighbour-based detectors: {@link io.netanomaly.core.detect.knn.KnnDetector} (distance to
 * the k-th nearest training row) and {@link io.netanomaly.core.detect.knn.LofDetector} (Local
 * Outlier Factor), both on a blocked brute-force search (tiles of queries × training rows, squared
 * distances from dot products, a k-bounded max-heap per query, a fixed worker pool).
 */
package io.netanomaly.core.detect.knn;
