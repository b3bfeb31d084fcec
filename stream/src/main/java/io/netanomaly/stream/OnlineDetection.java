package io.netanomaly.stream;

import io.netanomaly.core.detect.Matrix;
import io.netanomaly.core.detect.Threshold;
import io.netanomaly.core.detect.rcf.OnlineRcf;
import io.netanomaly.core.detect.rcf.RcfDetector;
import io.netanomaly.core.explain.Alert;
import io.netanomaly.core.explain.Explainer;
import io.netanomaly.core.explain.Explanation;
import io.netanomaly.core.pipeline.DetectionPipeline;
import io.netanomaly.core.schema.Row;
import java.util.Arrays;
import java.util.List;

/**
 * A second, online opinion beside the trained model: a Random Cut Forest on the same features that
 * learns from the stream itself, so its notion of normal follows drift. The first {@code warmup}
 * flows only train it; after that every flow is scored and then added (score before update), and a
 * flow the trained model did not flag but the online forest scores at or above its threshold (the
 * (1 − contamination) quantile of its warm-up scores) becomes an alert from detector
 * {@value #DETECTOR}.
 *
 * <p>Not thread-safe: used from the watch loop's scoring thread only.
 */
public final class OnlineDetection {
  /** The detector name online alerts carry. */
  public static final String DETECTOR = "rcf-online";

  private final DetectionPipeline model;
  private final AlertFactory alerts;
  private final int warmup;
  private final double contamination;
  private final long seed;
  private final int width;
  private float[] warmupRows;
  private int warmed;
  private OnlineRcf forest;
  private Threshold threshold;
  private Explainer explainer;
  private long raised;

  /**
   * @param warmup flows used to start the forest before it scores (at least 64)
   * @param contamination share of warm-up flows above the threshold, in (0, 0.5]
   */
  public OnlineDetection(DetectionPipeline model, AlertFactory alerts, int warmup, double contamination, long seed) {
    if (warmup < 64 || !(contamination > 0 && contamination <= 0.5)) {
      throw new IllegalArgumentException("online warm-up must be at least 64 flows and contamination in (0, 0.5]");
    }
    this.model = model;
    this.alerts = alerts;
    this.warmup = warmup;
    this.contamination = contamination;
    this.seed = seed;
    this.width = model.features().width();
    this.warmupRows = new float[warmup * width];
  }

  /** Whether the warm-up is over and the forest scores. */
  public boolean ready() {
    return forest != null;
  }

  /** Online alerts raised so far. */
  public long raised() {
    return raised;
  }

  /**
   * Takes one scored batch: warms up on it or scores and updates with it, appending an alert for
   * each flow only the online forest flags.
   *
   * @param scaled the batch's scaled features ({@code Session.lastFeatures()})
   * @param raw the batch's raw features
   * @param modelScores the trained model's scores of the batch
   */
  public void accept(List<Row> rows, float[] scaled, double[] raw, double[] modelScores, long detectedAtMillis,
      List<Alert> out) {
    for (int i = 0; i < rows.size(); i++) {
      if (forest == null) {
        System.arraycopy(scaled, i * width, warmupRows, warmed * width, width);
        if (++warmed == warmup) {
          start();
        }
        continue;
      }
      double s = forest.update(scaled, i * width);
      if (threshold.isAnomaly(s) && !model.threshold().isAnomaly(modelScores[i])) {
        Explanation e = explainer.explain(rows.get(i), s, raw, i * width, scaled, i * width);
        out.add(alerts.alert(rows.get(i), e, detectedAtMillis, DETECTOR));
        raised++;
      }
    }
  }

  private void start() {
    Matrix x = new Matrix(warmupRows, warmup, width);
    forest = RcfDetector.builder().seed(seed).threads(1).fitOnline(x);
    double[] scores = new double[warmup];
    for (int r = 0; r < warmup; r++) {
      scores[r] = forest.score(warmupRows, r * width);
    }
    Arrays.sort(scores);
    threshold = Threshold.parse(Double.toString(contamination)).fit(scores);
    explainer = new Explainer(model.features(), forest::attribute, threshold);
    warmupRows = null;
  }
}
