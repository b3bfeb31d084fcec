package io.netanomaly.core.detect.iforest;

import com.fasterxml.jackson.databind.JsonNode;
import io.netanomaly.core.model.ModelFormatException;

/**
 * Reads and checks one detector's parameters from its manifest node, naming the detector in every
 * error, so that a malformed or tampered model file fails with {@link ModelFormatException}. Shared
 * by the detector families; not thread-safe (use one per read).
 */
public final class DetectorParams {
  private final JsonNode params;
  private final String kind;
  private final String prefix;

  /** Parameters {@code params} (may be missing) of the detector of family {@code kind} written under {@code prefix}. */
  public DetectorParams(JsonNode params, String kind, String prefix) {
    this.params = params;
    this.kind = kind;
    this.prefix = prefix;
  }

  /** An exception naming the detector. */
  public ModelFormatException error(String message) {
    return new ModelFormatException(kind + " '" + prefix + "': " + message);
  }

  /** Checks that the node is an object of this family with version {@code version}. */
  public void requireKindAndVersion(int version) throws ModelFormatException {
    if (params == null || !params.isObject()) {
      throw error("parameters missing or not an object");
    }
    String k = params.path("kind").asText("");
    if (!kind.equals(k)) {
      throw error("kind is '" + k + "', expected '" + kind + "'");
    }
    long v = integer("version", 1, Integer.MAX_VALUE);
    if (v != version) {
      throw error("unsupported version " + v);
    }
  }

  /** An integer parameter in [min, max]. */
  public long integer(String name, long min, long max) throws ModelFormatException {
    JsonNode n = params.get(name);
    if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
      throw error(name + " missing or not an integer");
    }
    long v = n.longValue();
    if (v < min || v > max) {
      throw error(name + " = " + v + " out of range [" + min + ", " + max + "]");
    }
    return v;
  }

  /** A number parameter in [min, max] (so never NaN). */
  public double number(String name, double min, double max) throws ModelFormatException {
    JsonNode n = params.get(name);
    if (n == null || !n.isNumber()) {
      throw error(name + " missing or not a number");
    }
    double v = n.doubleValue();
    if (!(v >= min && v <= max)) {
      throw error(name + " = " + v + " out of range [" + min + ", " + max + "]");
    }
    return v;
  }

  /** A string parameter. */
  public String text(String name) throws ModelFormatException {
    JsonNode n = params.get(name);
    if (n == null || !n.isTextual()) {
      throw error(name + " missing or not a string");
    }
    return n.textValue();
  }
}
