package io.netanomaly.core.pipeline;

import io.netanomaly.core.io.RowSource;
import io.netanomaly.core.schema.Row;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams a {@link RowSource} through a {@link DetectionPipeline.Session} in batches, with constant
 * memory: at most one batch of rows is held at a time.
 */
public final class BatchScoring {
  /** Receives each scored batch; the arrays are reused for the next batch. */
  @FunctionalInterface
  public interface Consumer {
    /**
     * @param rows the batch, in input order
     * @param scores the scores, {@code scores[i]} for {@code rows.get(i)}
     * @param raw raw feature values, row-major ({@code width} per row)
     */
    void accept(List<Row> rows, double[] scores, double[] raw) throws IOException;
  }

  private BatchScoring() {}

  /**
   * Scores every row of {@code source}.
   *
   * @param keep which rows to score, by 0-based position among the rows read (null = all)
   * @param progress called after each batch with the rows read so far (may be null)
   * @return rows read from the source (scored or not)
   */
  public static long run(RowSource source, DetectionPipeline.Session session, int batchSize,
      java.util.function.LongPredicate keep, Consumer consumer, java.util.function.LongConsumer progress)
      throws IOException {
    int width = session.model().features().width();
    List<Row> batch = new ArrayList<>(batchSize);
    double[] scores = new double[batchSize];
    double[] raw = new double[batchSize * width];
    long index = 0;
    while (source.hasNext()) {
      Row r = source.next();
      if (keep == null || keep.test(index)) {
        batch.add(r);
      }
      index++;
      if (batch.size() == batchSize) {
        session.score(batch, scores, raw);
        consumer.accept(batch, scores, raw);
        batch.clear();
        if (progress != null) {
          progress.accept(index);
        }
      }
    }
    if (!batch.isEmpty()) {
      session.score(batch, scores, raw);
      consumer.accept(batch, scores, raw);
    }
    if (progress != null) {
      progress.accept(index);
    }
    return index;
  }
}
