package io.netanomaly.core.features;

import io.netanomaly.core.schema.Row;

/**
 * Applies a {@link FeaturePipeline} to one stream of rows, in order, carrying the per-source window
 * state from row to row. Allocates nothing per row beyond what the windows need for new sources.
 *
 * <p>Not thread-safe: one per stream (a file, a TCP connection, a request batch).
 */
public final class FeatureStream {
  private final FeaturePipeline pipeline;
  private final WindowAggregator windows;
  private final double[] raw;

  FeatureStream(FeaturePipeline pipeline) {
    this.pipeline = pipeline;
    this.windows = pipeline.newWindows();
    this.raw = new double[pipeline.width()];
  }

  /** Writes the features of {@code row} into {@code out[offset .. offset + width)}. */
  public void transform(Row row, float[] out, int offset) {
    pipeline.raw(row, windows, raw);
    pipeline.finish(raw, out, offset);
  }

  /**
   * Like {@link #transform} and also keeps the raw values (before log and scaling) in
   * {@code rawOut}, for explanations.
   */
  public void transform(Row row, float[] out, int offset, double[] rawOut) {
    transform(row, out, offset, rawOut, 0);
  }

  /** As {@link #transform(Row, float[], int, double[])}, the raw values at {@code rawOut[rawOffset ..]}. */
  public void transform(Row row, float[] out, int offset, double[] rawOut, int rawOffset) {
    pipeline.raw(row, windows, raw);
    System.arraycopy(raw, 0, rawOut, rawOffset, raw.length);
    pipeline.finish(raw, out, offset);
  }

  public FeaturePipeline pipeline() {
    return pipeline;
  }

  /** Sources the windows currently track (0 when the schema has no windows). */
  public int trackedSources() {
    return windows == null ? 0 : windows.trackedSources();
  }
}
