package io.netanomaly.core.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netanomaly.core.detect.DetectorWorkers;
import io.netanomaly.core.detect.Matrix;
import io.netanomaly.core.detect.iforest.IsolationForest;
import io.netanomaly.core.schema.Row;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Scoring throughput of a trained model on rows held in memory, along the path {@code detect} and
 * {@code evaluate} take: batches of rows through a fresh {@link DetectionPipeline.Session} (feature
 * transform, then the detector), so parsing is left out. Also times the detector alone on the
 * same batches already transformed, to separate the two costs. Every pass scores all rows; the
 * JIT is warmed up with passes until at least {@value #WARMUP_SECONDS} s have gone (at least two
 * passes), then each figure is the median of three timed passes. Threads are the detectors' own
 * ({@link DetectorWorkers#defaultThreads()}, one per processor the JVM sees); run the JVM with
 * {@code -XX:ActiveProcessorCount=1} to measure one thread. Stateless; concurrent runs disturb
 * each other's timings.
 */
public final class ScoringBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final double WARMUP_SECONDS = 2.0;

  private ScoringBenchmark() {}

  /**
   * Times scoring {@code rows} with {@code model} in batches of {@code batchRows}.
   *
   * @throws IllegalArgumentException if {@code rows} is empty or {@code batchRows < 1}
   */
  public static Result run(DetectionPipeline model, List<Row> rows, int batchRows) {
    return run(model, rows, batchRows, WARMUP_SECONDS);
  }

  /** As {@link #run(DetectionPipeline, List, int)} with at least {@code warmupSeconds} of warm-up passes. */
  static Result run(DetectionPipeline model, List<Row> rows, int batchRows, double warmupSeconds) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(rows, "rows");
    if (rows.isEmpty() || batchRows < 1) {
      throw new IllegalArgumentException("need rows and batchRows ≥ 1: " + rows.size() + ", " + batchRows);
    }
    List<List<Row>> batches = new ArrayList<>();
    for (int from = 0; from < rows.size(); from += batchRows) {
      batches.add(rows.subList(from, Math.min(rows.size(), from + batchRows)));
    }
    int width = model.features().width();
    double[] out = new double[batchRows];
    // the transformed batches, for timing the detector alone
    List<Matrix> features = new ArrayList<>();
    DetectionPipeline.Session once = model.newSession();
    for (List<Row> b : batches) {
      once.score(b, out);
      features.add(new Matrix(Arrays.copyOf(once.lastFeatures(), b.size() * width), b.size(), width));
    }
    long warmStart = System.nanoTime();
    for (int pass = 0; pass < 2 || System.nanoTime() - warmStart < warmupSeconds * 1e9; pass++) {
      timePipeline(model, batches, out);
      timeDetector(model, features, out);
    }
    double[] pipeline = new double[3];
    double[] detector = new double[3];
    double[] detectorCpu = new double[3];
    // alternating, so a disturbance on the machine hits both figures alike
    for (int i = 0; i < 3; i++) {
      pipeline[i] = timePipeline(model, batches, out);
      long cpu0 = processCpuNanos();
      detector[i] = timeDetector(model, features, out);
      detectorCpu[i] = (processCpuNanos() - cpu0) / 1e9;
    }
    Arrays.sort(pipeline);
    Arrays.sort(detector);
    Arrays.sort(detectorCpu);
    String name = model.detector() instanceof IsolationForest f && f.extended() ? "eif" : model.detector().kind();
    return new Result(name, rows.size(), batchRows, DetectorWorkers.defaultThreads(), pipeline[1],
        detector[1], detectorCpu[1]);
  }

  /** CPU time of the whole process (every thread, JIT and GC included), or 0 where the JVM cannot tell. */
  private static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return Math.max(0, os.getProcessCpuTime());
    }
    return 0;
  }

  private static double timePipeline(DetectionPipeline model, List<List<Row>> batches, double[] out) {
    long t0 = System.nanoTime();
    DetectionPipeline.Session session = model.newSession();
    for (List<Row> b : batches) {
      session.score(b, out);
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  private static double timeDetector(DetectionPipeline model, List<Matrix> features, double[] out) {
    long t0 = System.nanoTime();
    for (Matrix x : features) {
      model.detector().score(x, out);
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  /** One benchmark's figures. Immutable; times in seconds of wall-clock. */
  public static final class Result {
    private final String detector;
    private final int rows;
    private final int batchRows;
    private final int threads;
    private final double pipelineSeconds;
    private final double detectorSeconds;
    private final double detectorCpuSeconds;

    /** Figures of one run; the wall-clock times must be positive. */
    public Result(String detector, int rows, int batchRows, int threads, double pipelineSeconds,
        double detectorSeconds, double detectorCpuSeconds) {
      this.detector = detector;
      this.rows = rows;
      this.batchRows = batchRows;
      this.threads = threads;
      this.pipelineSeconds = pipelineSeconds;
      this.detectorSeconds = detectorSeconds;
      this.detectorCpuSeconds = detectorCpuSeconds;
    }

    /** The model's detector kind ("iforest", "ensemble"), "eif" for an extended forest. */
    public String detector() {
      return detector;
    }

    /** Rows scored per pass. */
    public int rows() {
      return rows;
    }

    /** Rows per scored batch. */
    public int batchRows() {
      return batchRows;
    }

    /** Processors the detectors could use. */
    public int threads() {
      return threads;
    }

    /** Seconds to transform and score all rows (median of three passes). */
    public double pipelineSeconds() {
      return pipelineSeconds;
    }

    /** Seconds for the detector alone to score all transformed rows (median of three passes). */
    public double detectorSeconds() {
      return detectorSeconds;
    }

    /**
     * Process CPU seconds (all threads) while the detector alone scored all rows (median of three
     * passes; 0 if the JVM cannot tell). On a busy machine, rows per CPU second measure the
     * detector's own cost where wall-clock figures also measure the other load.
     */
    public double detectorCpuSeconds() {
      return detectorCpuSeconds;
    }

    /** Rows transformed and scored per second. */
    public double pipelineRowsPerSecond() {
      return rows / pipelineSeconds;
    }

    /** Rows scored per second by the detector alone. */
    public double detectorRowsPerSecond() {
      return rows / detectorSeconds;
    }

    /**
     * The figures as JSON: {@code detector, rows, batch_rows, threads, pipeline_seconds,
     * pipeline_rows_per_second, detector_seconds, detector_rows_per_second, detector_cpu_seconds}.
     */
    public ObjectNode toJsonNode() {
      ObjectNode n = JSON.createObjectNode();
      n.put("detector", detector);
      n.put("rows", rows);
      n.put("batch_rows", batchRows);
      n.put("threads", threads);
      n.put("pipeline_seconds", pipelineSeconds);
      n.put("pipeline_rows_per_second", pipelineRowsPerSecond());
      n.put("detector_seconds", detectorSeconds);
      n.put("detector_rows_per_second", detectorRowsPerSecond());
      n.put("detector_cpu_seconds", detectorCpuSeconds);
      return n;
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT,
          "%s on %,d rows in batches of %,d, %d thread(s): pipeline %,.0f rows/s, detector alone %,.0f rows/s"
              + " (%,.0f rows per CPU second)",
          detector, rows, batchRows, threads, pipelineRowsPerSecond(), detectorRowsPerSecond(),
          detectorCpuSeconds > 0 ? rows / detectorCpuSeconds : Double.NaN);
    }
  }
}
