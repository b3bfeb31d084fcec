package io.netanomaly.stream;

import io.netanomaly.core.explain.Alert;
import io.netanomaly.core.explain.Explainer;
import io.netanomaly.core.explain.Explanation;
import io.netanomaly.core.pipeline.DetectionPipeline;
import io.netanomaly.core.schema.Row;
import io.netanomaly.core.schema.Schema;
import java.util.List;
import java.util.Objects;

/**
 * Turns the flagged rows of a scored batch into {@link Alert}s with the model's
 * {@link Explainer}: attribution, normal ranges, anomaly type and threat assessment. Flow fields
 * (addresses, ports, protocol, packet size, duration) are filled when the model's table has them
 * (see {@link Alert#of}); {@link Alert#fields()} holds every column as text (missing as "").
 *
 * <p>Immutable and thread-safe; each call allocates only for the alerts it makes.
 */
public final class AlertFactory {
  private final DetectionPipeline model;
  private final Explainer explainer;
  private final Schema schema;

  public AlertFactory(DetectionPipeline model) {
    this.model = Objects.requireNonNull(model, "model");
    this.explainer = model.explainer();
    this.schema = model.schema();
  }

  /**
   * Appends an alert for each row whose score reaches the threshold.
   *
   * @param rows the scored batch
   * @param scores {@code scores[i]} for {@code rows.get(i)}
   * @param raw raw features, row-major, as filled by {@code Session.score(rows, out, raw)}
   * @param session the session that scored the batch: its scaled features and, per row, what
   *     fired ({@link DetectionPipeline.Session#lastSource}, e.g. "hybrid:iforest") become the alert's
   * @param detectedAtMillis wall-clock time of detection, epoch ms
   * @param out receives the alerts in row order
   * @return the number of alerts appended
   */
  public int collect(List<Row> rows, double[] scores, double[] raw, DetectionPipeline.Session session,
      long detectedAtMillis, List<Alert> out) {
    Explanation[] explained = explainer.explainFlagged(rows, scores, raw, session.lastFeatures());
    int made = 0;
    for (int i = 0; i < rows.size(); i++) {
      if (explained[i] != null) {
        out.add(alert(rows.get(i), explained[i], detectedAtMillis, session.lastSource(i)));
        made++;
      }
    }
    return made;
  }

  /** The alert of one flagged row with its explanation, raised by the model's detector. */
  public Alert alert(Row row, Explanation e, long detectedAtMillis) {
    return alert(row, e, detectedAtMillis, model.detector().kind());
  }

  /** The alert of one flagged row, raised by the named detector ("rcf-online" for the online forest). */
  public Alert alert(Row row, Explanation e, long detectedAtMillis, String detector) {
    return Alert.of(schema, row, detectedAtMillis, detector, e);
  }
}
