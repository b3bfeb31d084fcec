/**
 * The in-house Isolation Forest (Liu, Ting and Zhou 2008), scored as scikit-learn does and built
 * for throughput: all trees in flat arrays, block-wise tree-major scoring, and a fixed worker pool.
 * Entry point: {@link io.netanomaly.core.detect.iforest.IsolationForest}.
 */
package io.netanomaly.core.detect.iforest;
