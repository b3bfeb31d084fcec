package io.netanomaly.core.detect.ensemble;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netanomaly.core.detect.Detector;
import io.netanomaly.core.detect.Matrix;
import io.netanomaly.core.model.ModelArchive;
import io.netanomaly.core.model.ModelFormatException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * An ensemble of fitted detectors with one combined score in [0, 1], higher = more anomalous.
 *
 * <p>Each member's raw score is first normalised against that member's own training scores: the
 * normalised score is the empirical CDF of the training scores at the raw score, 0 below the
 * lowest and 1 at or above the highest, interpolated linearly between stored quantiles. At most
 * {@value #MAX_QUANTILES} quantiles per member are stored (all sorted training scores if there are
 * no more; otherwise the {@code i / (Q − 1)} quantiles, i = 0 … Q − 1, with Q = 1,000). The
 * normalised scores are then combined:
 * <ul>
 *   <li>{@link Combination#MEAN}: their mean (a mean-rank ensemble);
 *   <li>{@link Combination#MAX}: their maximum;
 *   <li>{@link Combination#VOTE}: the fraction of members whose normalised score is at least
 *       {@code 1 − contamination}, i.e. that would flag the row on their own at that contamination.
 * </ul>
 * One threshold then applies to the combined score (the caller fits it on the ensemble's own
 * training scores). A NaN member score normalises to 1.
 *
 * <p>Immutable (the member list is copied; members are immutable detectors) and safe to use from
 * several threads at once.
 */
public final class Ensemble implements Detector {
  /** The {@link #kind()} of this family. */
  public static final String KIND = "ensemble";
  /** Version of the parameters and arrays this class writes to and reads from a model archive. */
  public static final int ARCHIVE_VERSION = 1;
  /** Most training-score quantiles stored per member. */
  public static final int MAX_QUANTILES = 1_000;
  /** Most members in one ensemble. */
  public static final int MAX_MEMBERS = 64;

  /** How normalised member scores are combined into one. */
  public enum Combination {
    /** Mean of the normalised scores. */
    MEAN,
    /** Maximum of the normalised scores. */
    MAX,
    /** Fraction of members whose normalised score is at least {@code 1 − contamination}. */
    VOTE;

    /** Name as written in model files and accepted on the command line ("mean", "max", "vote"). */
    public String externalName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@link #externalName()}, ignoring case.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Combination parse(String text) {
      for (Combination c : values()) {
        if (c.externalName().equalsIgnoreCase(text.trim())) {
          return c;
        }
      }
      throw new IllegalArgumentException("ensemble: got '" + text + "', expected mean, max or vote");
    }
  }

  /**
   * Reads one member detector from a model archive, given the kind written in its parameters.
   * Supplied by the caller, which maps the known kinds to their {@code readFrom} methods; class
   * names are never taken from the file.
   */
  @FunctionalInterface
  public interface MemberReader {
    /**
     * Reads the detector whose parameters are at {@code manifest.detectors.<prefix>}.
     *
     * @throws ModelFormatException if the kind is unknown or the member is malformed
     */
    Detector read(String kind, ModelArchive archive, String prefix) throws ModelFormatException;
  }

  private final List<Detector> members;
  private final double[][] quantiles;
  private final Combination combination;
  private final double contamination;
  private final int features;

  private Ensemble(List<Detector> members, double[][] quantiles, Combination combination, double contamination) {
    this.members = List.copyOf(members);
    this.quantiles = quantiles;
    this.combination = combination;
    this.contamination = contamination;
    this.features = members.get(0).features();
  }

  /**
   * Builds an ensemble from fitted members, scoring {@code training} (the rows the members were
   * fitted on) with each member to learn its training-score distribution.
   *
   * @param contamination share of training rows a member flags on its own, in (0, 0.5]: the vote
   *     threshold of {@link Combination#VOTE}; stored but unused by the other combinations
   * @throws IllegalArgumentException if there are no members or more than {@value #MAX_MEMBERS},
   *     their feature counts differ from each other or from {@code training}, {@code training} has
   *     no rows, a training score is not finite, or the contamination is out of range
   */
  public static Ensemble fit(List<Detector> members, Matrix training, Combination combination, double contamination) {
    Objects.requireNonNull(members, "members");
    Objects.requireNonNull(training, "training");
    checkMembers(members, training.cols());
    double[][] scores = new double[members.size()][];
    for (int m = 0; m < members.size(); m++) {
      scores[m] = members.get(m).score(training);
    }
    return fromTrainingScores(members, scores, combination, contamination);
  }

  /**
   * Builds an ensemble from fitted members and their scores on the training rows (when the caller
   * has them already; {@code trainingScores[m]} belongs to member m and is not modified).
   *
   * @throws IllegalArgumentException as {@link #fit}, or if the score arrays do not match the
   *     members or are empty
   */
  public static Ensemble fromTrainingScores(List<Detector> members, double[][] trainingScores,
      Combination combination, double contamination) {
    Objects.requireNonNull(members, "members");
    Objects.requireNonNull(trainingScores, "trainingScores");
    Objects.requireNonNull(combination, "combination");
    if (members.isEmpty()) {
      throw new IllegalArgumentException("an ensemble needs at least one member");
    }
    checkMembers(members, members.get(0).features());
    if (!(contamination > 0 && contamination <= 0.5)) {
      throw new IllegalArgumentException("contamination must be in (0, 0.5]: " + contamination);
    }
    if (trainingScores.length != members.size()) {
      throw new IllegalArgumentException(trainingScores.length + " score arrays for " + members.size() + " members");
    }
    double[][] quantiles = new double[members.size()][];
    for (int m = 0; m < members.size(); m++) {
      double[] s = trainingScores[m].clone();
      if (s.length == 0) {
        throw new IllegalArgumentException("member " + m + " has no training scores");
      }
      for (double v : s) {
        if (!Double.isFinite(v)) {
          throw new IllegalArgumentException("member " + m + " (" + members.get(m).kind() + ") gave training score " + v);
        }
      }
      Arrays.sort(s);
      quantiles[m] = quantileSample(s);
    }
    return new Ensemble(members, quantiles, combination, contamination);
  }

  private static void checkMembers(List<Detector> members, int features) {
    if (members.isEmpty() || members.size() > MAX_MEMBERS) {
      throw new IllegalArgumentException("an ensemble needs 1 to " + MAX_MEMBERS + " members, got " + members.size());
    }
    for (int m = 0; m < members.size(); m++) {
      Detector d = Objects.requireNonNull(members.get(m), "member " + m);
      if (d.features() != features) {
        throw new IllegalArgumentException("member " + m + " (" + d.kind() + ") has " + d.features()
            + " features, expected " + features);
      }
    }
  }

  /** All of {@code sorted} if it has at most {@value #MAX_QUANTILES} values, else its Q evenly spaced quantiles. */
  private static double[] quantileSample(double[] sorted) {
    int n = sorted.length;
    if (n <= MAX_QUANTILES) {
      return sorted;
    }
    double[] q = new double[MAX_QUANTILES];
    for (int i = 0; i < MAX_QUANTILES; i++) {
      double pos = (double) i * (n - 1) / (MAX_QUANTILES - 1);
      int lo = (int) pos;
      int hi = Math.min(lo + 1, n - 1);
      q[i] = sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }
    return q;
  }

  /**
   * The empirical CDF of {@code sortedQuantiles} at {@code score}, in [0, 1]: 0 below the first,
   * 1 at or above the last (or for NaN), else {@code (i + (score − q_i) / (q_{i+1} − q_i)) / (m − 1)}
   * for the last i with {@code q_i ≤ score}. Non-decreasing in {@code score}. Allocates nothing.
   */
  static double cdf(double[] sortedQuantiles, double score) {
    double[] q = sortedQuantiles;
    int last = q.length - 1;
    if (Double.isNaN(score) || score >= q[last]) {
      return 1.0;
    }
    if (score < q[0]) {
      return 0.0;
    }
    int lo = 0;
    int hi = last;
    // invariant: q[lo] ≤ score < q[hi]
    while (hi - lo > 1) {
      int mid = (lo + hi) >>> 1;
      if (q[mid] <= score) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return (lo + (score - q[lo]) / (q[hi] - q[lo])) / last;
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public int features() {
    return features;
  }

  /** The members, in order. */
  public List<Detector> members() {
    return members;
  }

  /** How normalised scores are combined. */
  public Combination combination() {
    return combination;
  }

  /** The contamination used by {@link Combination#VOTE}, in (0, 0.5]. */
  public double contamination() {
    return contamination;
  }

  /** The stored training-score quantiles of member {@code m}, ascending (a copy). */
  public double[] quantiles(int m) {
    return quantiles[m].clone();
  }

  /** Member {@code m}'s raw score normalised against its training scores, in [0, 1]. */
  public double normalise(int m, double rawScore) {
    return cdf(quantiles[m], rawScore);
  }

  /**
   * Raw scores of every member on {@code batch}: {@code result[m][r]} is member m's score of row r.
   *
   * @throws IllegalArgumentException if the batch has the wrong number of columns
   */
  public double[][] memberScores(Matrix batch) {
    checkBatch(batch, batch.rows());
    double[][] raw = new double[members.size()][];
    for (int m = 0; m < members.size(); m++) {
      raw[m] = members.get(m).score(batch);
    }
    return raw;
  }

  /** Combines one row's normalised member scores ({@code members().size()} of them) as configured. */
  public double combine(double[] normalised) {
    int n = members.size();
    if (normalised.length < n) {
      throw new IllegalArgumentException(normalised.length + " scores for " + n + " members");
    }
    double acc = 0;
    switch (combination) {
      case MEAN -> {
        for (int m = 0; m < n; m++) {
          acc += normalised[m];
        }
        return acc / n;
      }
      case MAX -> {
        for (int m = 0; m < n; m++) {
          acc = Math.max(acc, normalised[m]);
        }
        return acc;
      }
      default -> {
        double cut = 1 - contamination;
        for (int m = 0; m < n; m++) {
          if (normalised[m] >= cut) {
            acc++;
          }
        }
        return acc / n;
      }
    }
  }

  /** Scores every row: the combined normalised score of the members, in [0, 1]. */
  @Override
  public void score(Matrix batch, double[] out) {
    Objects.requireNonNull(out, "out");
    checkBatch(batch, out.length);
    double[][] raw = memberScores(batch);
    double[] row = new double[members.size()];
    for (int r = 0; r < batch.rows(); r++) {
      for (int m = 0; m < raw.length; m++) {
        row[m] = cdf(quantiles[m], raw[m][r]);
      }
      out[r] = combine(row);
    }
  }

  private void checkBatch(Matrix batch, int outLength) {
    Matrix.checkScoring(batch, outLength, features, "ensemble");
  }

  /**
   * Mean of the members' attributions, renormalised to sum to 1 (members whose attribution is all
   * 0 pull the others' shares down before renormalising; all 0 if every member's is). Allocates one
   * buffer.
   */
  @Override
  public void attribute(float[] row, int offset, double[] out) {
    Objects.requireNonNull(row, "row");
    Objects.requireNonNull(out, "out");
    if (out.length < features) {
      throw new IllegalArgumentException("out has " + out.length + " entries for " + features + " features");
    }
    double[] one = new double[features];
    Arrays.fill(out, 0, features, 0.0);
    for (Detector d : members) {
      d.attribute(row, offset, one);
      for (int f = 0; f < features; f++) {
        out[f] += one[f];
      }
    }
    double total = 0;
    for (int f = 0; f < features; f++) {
      total += out[f];
    }
    if (total > 0) {
      for (int f = 0; f < features; f++) {
        out[f] /= total;
      }
    }
  }

  /**
   * Writes the ensemble: parameters at {@code manifest.detectors.<prefix>} — {@code kind}
   * ("ensemble"), {@code version} (1), {@code features}, {@code combination} ("mean", "max" or
   * "vote"), {@code contamination}, {@code members} (count), {@code member_kinds} (array) — the
   * arrays {@code <prefix>.quantile_offsets} (int32[members + 1], start of each member's quantiles)
   * and {@code <prefix>.quantiles} (float64, all members' ascending quantiles concatenated), and
   * member i through its own {@link Detector#writeTo} under the prefix {@code <prefix>.m<i>}.
   *
   * @throws IllegalArgumentException if {@code prefix} or a member prefix is already used
   */
  @Override
  public void writeTo(ModelArchive.Builder archive, String prefix) {
    Objects.requireNonNull(archive, "archive");
    Objects.requireNonNull(prefix, "prefix");
    ObjectNode detectors = archive.manifest().withObjectProperty("detectors");
    if (detectors.has(prefix)) {
      throw new IllegalArgumentException("detector '" + prefix + "' already written");
    }
    ObjectNode params = detectors.putObject(prefix);
    params.put("kind", KIND);
    params.put("version", ARCHIVE_VERSION);
    params.put("features", features);
    params.put("combination", combination.externalName());
    params.put("contamination", contamination);
    params.put("members", members.size());
    ArrayNode kinds = params.putArray("member_kinds");
    int[] offsets = new int[members.size() + 1];
    for (int m = 0; m < members.size(); m++) {
      kinds.add(members.get(m).kind());
      offsets[m + 1] = offsets[m] + quantiles[m].length;
    }
    double[] all = new double[offsets[members.size()]];
    for (int m = 0; m < members.size(); m++) {
      System.arraycopy(quantiles[m], 0, all, offsets[m], quantiles[m].length);
    }
    archive.put(prefix + ".quantile_offsets", offsets);
    archive.put(prefix + ".quantiles", all);
    for (int m = 0; m < members.size(); m++) {
      members.get(m).writeTo(archive, memberPrefix(prefix, m));
    }
  }

  /** The prefix member {@code m} of the ensemble at {@code prefix} is written under. */
  public static String memberPrefix(String prefix, int m) {
    return prefix + ".m" + m;
  }

  /**
   * Reads an ensemble written by {@link #writeTo}. Each member's kind is taken from its own
   * parameters, must match {@code member_kinds}, and is handed with the member's prefix to
   * {@code reader}; the detector returned must be of that kind and feature count. Checked besides:
   * kind and version, member count 1 to {@value #MAX_MEMBERS}, combination, contamination in
   * (0, 0.5], quantile offsets increasing from 0 with 1 to {@value #MAX_QUANTILES} values per
   * member, quantiles finite and ascending. A runtime exception thrown by {@code reader} is
   * reported as a {@link ModelFormatException} too.
   *
   * @throws ModelFormatException if anything is missing, malformed or inconsistent
   */
  public static Ensemble readFrom(ModelArchive archive, String prefix, MemberReader reader)
      throws ModelFormatException {
    Objects.requireNonNull(archive, "archive");
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(reader, "reader");
    String where = "ensemble '" + prefix + "': ";
    JsonNode detectors = archive.manifest().path("detectors");
    JsonNode params = detectors.path(prefix);
    if (!params.isObject()) {
      throw new ModelFormatException(where + "parameters missing or not an object");
    }
    String kind = params.path("kind").asText("");
    if (!KIND.equals(kind)) {
      throw new ModelFormatException(where + "kind is '" + kind + "', expected '" + KIND + "'");
    }
    if (integer(params, where, "version", 1, Integer.MAX_VALUE) != ARCHIVE_VERSION) {
      throw new ModelFormatException(where + "unsupported version " + params.get("version"));
    }
    int features = (int) integer(params, where, "features", 1, Integer.MAX_VALUE);
    int count = (int) integer(params, where, "members", 1, MAX_MEMBERS);
    JsonNode c = params.get("combination");
    Combination combination;
    try {
      combination = Combination.parse(c == null || !c.isTextual() ? "" : c.asText());
    } catch (IllegalArgumentException e) {
      throw new ModelFormatException(where + e.getMessage());
    }
    JsonNode cont = params.get("contamination");
    if (cont == null || !cont.isNumber() || !(cont.doubleValue() > 0 && cont.doubleValue() <= 0.5)) {
      throw new ModelFormatException(where + "contamination must be a number in (0, 0.5]");
    }
    JsonNode kinds = params.get("member_kinds");
    if (kinds == null || !kinds.isArray() || kinds.size() != count) {
      throw new ModelFormatException(where + "member_kinds must list " + count + " kinds");
    }
    int[] offsets = archive.ints(prefix + ".quantile_offsets");
    double[] all = archive.doubles(prefix + ".quantiles");
    if (offsets.length != count + 1 || offsets[0] != 0 || offsets[count] != all.length) {
      throw new ModelFormatException(where + "quantile_offsets must have members + 1 entries from 0 to "
          + all.length);
    }
    double[][] quantiles = new double[count][];
    for (int m = 0; m < count; m++) {
      int size = offsets[m + 1] - offsets[m];
      if (size < 1 || size > MAX_QUANTILES) {
        throw new ModelFormatException(where + "member " + m + " has " + size + " quantiles, allowed 1 to "
            + MAX_QUANTILES);
      }
      double[] q = Arrays.copyOfRange(all, offsets[m], offsets[m + 1]);
      for (int i = 0; i < q.length; i++) {
        if (!Double.isFinite(q[i]) || (i > 0 && q[i] < q[i - 1])) {
          throw new ModelFormatException(where + "quantiles of member " + m + " are not finite and ascending");
        }
      }
      quantiles[m] = q;
    }
    Detector[] members = new Detector[count];
    for (int m = 0; m < count; m++) {
      String memberPrefix = memberPrefix(prefix, m);
      String expected = kinds.get(m).isTextual() ? kinds.get(m).asText() : "";
      String written = detectors.path(memberPrefix).path("kind").asText("");
      if (expected.isEmpty() || !expected.equals(written)) {
        throw new ModelFormatException(where + "member " + m + " is of kind '" + written + "', member_kinds says '"
            + expected + "'");
      }
      Detector d;
      try {
        d = reader.read(written, archive, memberPrefix);
      } catch (RuntimeException e) {
        throw new ModelFormatException(where + "member " + m + " (" + written + ") could not be read: " + e, e);
      }
      if (d == null || !written.equals(d.kind()) || d.features() != features) {
        throw new ModelFormatException(where + "member " + m + " read as " + d + ", expected a " + written
            + " detector with " + features + " features");
      }
      members[m] = d;
    }
    return new Ensemble(List.of(members), quantiles, combination, cont.doubleValue());
  }

  private static long integer(JsonNode params, String where, String name, long min, long max)
      throws ModelFormatException {
    JsonNode n = params.get(name);
    if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
      throw new ModelFormatException(where + name + " missing or not an integer");
    }
    long v = n.longValue();
    if (v < min || v > max) {
      throw new ModelFormatException(where + name + " = " + v + " out of range [" + min + ", " + max + "]");
    }
    return v;
  }

  @Override
  public String toString() {
    StringBuilder kinds = new StringBuilder();
    for (Detector d : members) {
      kinds.append(kinds.length() == 0 ? "" : ",").append(d.kind());
    }
    return "Ensemble[" + combination.externalName() + " of " + kinds + ", contamination=" + contamination + "]";
  }
}
