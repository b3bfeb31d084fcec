package io.netanomaly.core.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * How a model was trained: rows used, time taken, whether only normal rows were used, the seed,
 * and where the data came from. Stored in the model manifest and shown by {@code evaluate} and the
 * REST API. Immutable.
 */
public final class TrainingInfo {
  private final long rows;
  private final double seconds;
  private final boolean normalOnly;
  private final long seed;
  private final String data;
  private final String split;
  private final String created;

  /**
   * @param rows training rows
   * @param seconds wall-clock seconds for fitting (features, detector and threshold)
   * @param normalOnly whether only rows labelled normal were used
   * @param seed the random seed
   * @param data the data source as the user named it (file name), or null
   * @param split the holdout split as "share@seed" when only part of the data was used, or null
   * @param created ISO-8601 UTC creation time
   */
  public TrainingInfo(long rows, double seconds, boolean normalOnly, long seed, String data, String split,
      String created) {
    this.rows = rows;
    this.seconds = seconds;
    this.normalOnly = normalOnly;
    this.seed = seed;
    this.data = data;
    this.split = split;
    this.created = created;
  }

  public long rows() { return rows; }
  public double seconds() { return seconds; }
  public boolean normalOnly() { return normalOnly; }
  public long seed() { return seed; }
  public String data() { return data; }
  public String split() { return split; }
  public String created() { return created; }

  /** This info with the data source and split recorded. */
  public TrainingInfo withSource(String newData, String newSplit) {
    return new TrainingInfo(rows, seconds, normalOnly, seed, newData, newSplit, created);
  }

  public ObjectNode toJson() {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("rows", rows);
    n.put("seconds", seconds);
    n.put("normal_only", normalOnly);
    n.put("seed", seed);
    if (data != null) {
      n.put("data", data);
    }
    if (split != null) {
      n.put("split", split);
    }
    n.put("created", created);
    return n;
  }

  public static TrainingInfo fromJson(JsonNode n) {
    return new TrainingInfo(n.path("rows").asLong(), n.path("seconds").asDouble(), n.path("normal_only").asBoolean(),
        n.path("seed").asLong(), n.hasNonNull("data") ? n.get("data").asText() : null,
        n.hasNonNull("split") ? n.get("split").asText() : null, n.path("created").asText(""));
  }
}
