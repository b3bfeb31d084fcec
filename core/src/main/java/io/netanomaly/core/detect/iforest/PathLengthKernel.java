package io.netanomaly.core.detect.iforest;

/**
 * Sums, for a block of rows, each row's path length over all trees of a forest. Implementations
 * add the trees in index order so that the sum of a row does not depend on blocking or threads.
 * Immutable and thread-safe; allocate nothing.
 */
interface PathLengthKernel {
  /**
   * Writes into {@code acc[0 .. rowTo - rowFrom)} the sum over trees of the path length of rows
   * {@code rowFrom .. rowTo - 1} of the row-major matrix {@code x} with {@code cols} columns.
   */
  void sumPathLengths(float[] x, int cols, int rowFrom, int rowTo, double[] acc);
}
