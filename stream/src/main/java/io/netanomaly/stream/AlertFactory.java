package io.netanomaly.stream;

import io.netanomaly.core.explain.Alert;
import io.netanomaly.core.explain.Explainer;
import io.netanomaly.core.explain.Explanation;
import io.netanomaly.core.pipeline.DetectionPipeline;
import io.netanomaly.core.schema.FieldType;
import io.netanomaly.core.schema.FlowSchema;
import io.netanomaly.core.schema.Row;
import io.netanomaly.core.schema.Schema;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns the flagged rows of a scored batch into {@link Alert}s with the model's
 * {@link Explainer}: attribution, normal ranges, anomaly type and threat assessment. Flow fields
 * (addresses, ports, protocol, packet size, duration) are filled when the model reads the
 * canonical flow schema; {@link Alert#fields()} holds every column as text (missing as "").
 *
 * <p>Immutable and thread-safe; each call allocates only for the alerts it makes.
 */
public final class AlertFactory {
  private final DetectionPipeline model;
  private final Explainer explainer;
  private final Schema schema;
  private final boolean flow;
  private final int timestampColumn;
  private final int width;

  public AlertFactory(DetectionPipeline model) {
    this.model = Objects.requireNonNull(model, "model");
    this.explainer = model.explainer();
    this.schema = model.schema();
    this.flow = schema.fields().equals(FlowSchema.SCHEMA.fields());
    this.timestampColumn = schema.firstOfType(FieldType.TIMESTAMP);
    this.width = model.features().width();
  }

  /**
   * Appends an alert for each row whose score reaches the threshold.
   *
   * @param rows the scored batch
   * @param scores {@code scores[i]} for {@code rows.get(i)}
   * @param raw raw features, row-major, as filled by {@code Session.score(rows, out, raw)}
   * @param scaled the scaled features of the same batch ({@code Session.lastFeatures()})
   * @param detectedAtMillis wall-clock time of detection, epoch ms
   * @param out receives the alerts in row order
   * @return the number of alerts appended
   */
  public int collect(List<Row> rows, double[] scores, double[] raw, float[] scaled,
      long detectedAtMillis, List<Alert> out) {
    int made = 0;
    for (int i = 0; i < rows.size(); i++) {
      if (model.threshold().isAnomaly(scores[i])) {
        Explanation e = explainer.explain(rows.get(i), scores[i], raw, i * width, scaled, i * width);
        out.add(alert(rows.get(i), e, detectedAtMillis));
        made++;
      }
    }
    return made;
  }

  /** The alert of one flagged row with its explanation. */
  public Alert alert(Row row, Explanation e, long detectedAtMillis) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (int c = 0; c < schema.size(); c++) {
      String v = text(row, c);
      fields.put(schema.field(c).name(), v == null ? "" : v);
    }
    double t = timestampColumn >= 0 ? row.number(timestampColumn) : Double.NaN;
    long eventTime = Double.isNaN(t) ? detectedAtMillis : (long) t;
    String detector = model.detector().kind();
    if (!flow) {
      return new Alert(0, detectedAtMillis, eventTime, null, null, -1, -1, null, Double.NaN,
          Double.NaN, detector, e, fields, null);
    }
    return new Alert(0, detectedAtMillis, eventTime, row.text(FlowSchema.I_SRC_IP),
        row.text(FlowSchema.I_DST_IP), port(row, FlowSchema.I_SRC_PORT), port(row, FlowSchema.I_DST_PORT),
        row.text(FlowSchema.I_PROTOCOL), row.number(FlowSchema.I_PACKET_SIZE),
        row.number(FlowSchema.I_DURATION), detector, e, fields, null);
  }

  private static int port(Row row, int column) {
    double p = row.number(column);
    return Double.isNaN(p) ? -1 : (int) p;
  }

  private String text(Row row, int c) {
    FieldType type = schema.field(c).type();
    switch (type) {
      case NUMERIC:
      case PORT:
        double d = row.number(c);
        if (Double.isNaN(d)) {
          return row.text(c);
        }
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
      case TIMESTAMP:
        String rawText = row.text(c);
        if (rawText != null) {
          return rawText;
        }
        double ms = row.number(c);
        return Double.isNaN(ms) ? null : Instant.ofEpochMilli((long) ms).toString();
      default:
        return row.text(c);
    }
  }
}
