package io.netanomaly.core.detect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netanomaly.core.eval.Quantile;
import io.netanomaly.core.model.ModelFormatException;
import java.util.Arrays;
import java.util.Locale;

/**
 * The score at or above which a row is an anomaly, and how it was chosen. Immutable.
 *
 * <ul>
 *   <li>{@code contamination}: the (1 − c) quantile of the training scores, so about a share c of
 *       rows like the training rows are flagged;</li>
 *   <li>{@code auto}: scikit-learn's {@code contamination="auto"} rule for isolation forests,
 *       score 0.5 (an average path as short as an unsuccessful search in a random tree);</li>
 *   <li>{@code fixed}: a score given by the user.</li>
 * </ul>
 */
public final class Threshold {
  private final String policy;
  private final double contamination;
  private final double value;

  private Threshold(String policy, double contamination, double value) {
    this.policy = policy;
    this.contamination = contamination;
    this.value = value;
  }

  /**
   * Parses a {@code --contamination} value: {@code auto} or a fraction in (0, 0.5].
   *
   * @throws IllegalArgumentException saying what was expected
   */
  public static Spec parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("auto")) {
      return new Spec("auto", Double.NaN);
    }
    double c;
    try {
      c = Double.parseDouble(t);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("contamination: got '" + text + "', expected 'auto' or a fraction in (0, 0.5]");
    }
    if (!(c > 0 && c <= 0.5)) {
      throw new IllegalArgumentException("contamination: got " + text + ", expected a fraction in (0, 0.5]");
    }
    return new Spec("contamination", c);
  }

  /** A threshold policy before it has seen training scores. Immutable. */
  public static final class Spec {
    private final String policy;
    private final double contamination;

    Spec(String policy, double contamination) {
      this.policy = policy;
      this.contamination = contamination;
    }

    /** Chooses the threshold from the training scores (not modified). */
    public Threshold fit(double[] trainingScores) {
      if (policy.equals("auto")) {
        return new Threshold("auto", Double.NaN, 0.5);
      }
      double[] s = trainingScores.clone();
      Arrays.sort(s);
      return new Threshold("contamination", contamination, Quantile.of(s, 1 - contamination));
    }

    /** The contamination fraction, NaN for {@code auto}. */
    public double contamination() {
      return contamination;
    }

    @Override
    public String toString() {
      return policy.equals("auto") ? "auto" : Double.toString(contamination);
    }
  }

  /** A user-given fixed score. */
  public static Threshold fixed(double score) {
    return new Threshold("fixed", Double.NaN, score);
  }

  public double value() {
    return value;
  }

  public String policy() {
    return policy;
  }

  /** The contamination fraction, NaN unless the policy is {@code contamination}. */
  public double contamination() {
    return contamination;
  }

  public boolean isAnomaly(double score) {
    return score >= value;
  }

  public ObjectNode toJson(ObjectNode n) {
    n.put("policy", policy);
    if (!Double.isNaN(contamination)) {
      n.put("contamination", contamination);
    }
    n.put("value", value);
    return n;
  }

  public static Threshold fromJson(JsonNode n) throws ModelFormatException {
    if (n == null || !n.hasNonNull("policy") || !n.hasNonNull("value")) {
      throw new ModelFormatException("model threshold lacks 'policy' or 'value'");
    }
    String policy = n.get("policy").asText();
    if (!policy.equals("auto") && !policy.equals("contamination") && !policy.equals("fixed")) {
      throw new ModelFormatException("unknown threshold policy '" + policy + "'");
    }
    double v = n.get("value").asDouble(Double.NaN);
    if (!Double.isFinite(v)) {
      throw new ModelFormatException("model threshold value is not a finite number");
    }
    return new Threshold(policy, n.hasNonNull("contamination") ? n.get("contamination").asDouble() : Double.NaN, v);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%.6f (%s%s)", value, policy,
        Double.isNaN(contamination) ? "" : " " + contamination);
  }
}
