package io.netanomaly.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TimeZone;
import java.util.TreeMap;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.HorizontalBarChart;
import org.knowm.xchart.PieChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The incident dashboard of the seed: eight panels over a list of alerts — anomalies by source
 * port, packet size, score distribution, protocol breakdown, duration against packet size, anomaly
 * types, detection timeline and an executive summary — written as one 2×4 grid PNG
 * ({@value #GRID_WIDTH}×{@value #GRID_HEIGHT} px), each panel as its own
 * {@value ChartStyle#WIDTH}×{@value ChartStyle#HEIGHT} px PNG, and an {@code index.html}.
 *
 * <p>An incident log holds only anomalies, so the packet-size panel cannot compare them with normal
 * traffic directly: given the model's normal range of packet sizes (training 1st–99th percentile) it
 * draws the anomalous sizes against that range; without one it draws the anomalous sizes per type.
 *
 * <p>Stateless and thread-safe; each call writes its own folder.
 */
public final class IncidentDashboard {
  /** Width of the grid image, px. */
  public static final int GRID_WIDTH = 4000;
  /** Height of the grid image, px. */
  public static final int GRID_HEIGHT = 1720;
  private static final int CELL_WIDTH = 1000;
  private static final int CELL_HEIGHT = 800;
  private static final int BANNER = 120;
  private static final int TOP_PORTS = 15;
  private static final int TYPES_SHOWN = 6;
  private static final int BINS = 40;
  private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss 'UTC'")
      .withZone(ZoneOffset.UTC);

  static {
    ChartStyle.useHeadless();
  }

  /**
   * The normal packet-size range learned in training, bytes.
   *
   * @param low training 1st percentile
   * @param high training 99th percentile
   */
  public record NormalRange(double low, double high) {
    /** @throws IllegalArgumentException unless 0 ≤ low ≤ high, both finite */
    public NormalRange {
      if (!(low >= 0 && high >= low && Double.isFinite(high))) {
        throw new IllegalArgumentException("not a packet-size range: " + low + " .. " + high);
      }
    }
  }

  private IncidentDashboard() {}

  /**
   * Writes the dashboard into {@code dir} (created if needed).
   *
   * @param incidents the alerts, in any order (at least one)
   * @param source where they came from, for the page ("anomaly_log.csv", "alert store at …")
   * @param normal the normal packet-size range, or null when no model is at hand
   * @return the PNG files written: the grid first, then the eight panels in grid order
   * @throws IllegalArgumentException when there are no incidents
   * @throws IOException when a file cannot be written
   */
  public static List<Path> write(List<Incident> incidents, String source, NormalRange normal, Path dir)
      throws IOException {
    Objects.requireNonNull(source, "source");
    if (incidents.isEmpty()) {
      throw new IllegalArgumentException(source + ": no alerts to draw");
    }
    Files.createDirectories(dir);
    List<Panel> panels = panels(incidents, normal);
    List<Path> files = new ArrayList<>();
    Path grid = dir.resolve("incident-dashboard.png");
    ChartStyle.save(grid(panels, incidents, source), grid);
    files.add(grid);
    HtmlPage page = new HtmlPage("Incident dashboard");
    page.meta(Charts.format("%,d alerts from %s, %s.", incidents.size(), source, span(incidents)));
    page.figure("incident-dashboard.png", "All eight panels", "The eight panels on one image (2 × 4 grid).");
    page.heading("Panels");
    for (Panel p : panels) {
      Path file = dir.resolve(p.file);
      ChartStyle.save(p.draw(ChartStyle.WIDTH, ChartStyle.HEIGHT), file);
      files.add(file);
      page.figure(p.file, p.title, p.caption);
    }
    page.write(dir.resolve("index.html"));
    return files;
  }

  /** A panel that can be drawn at any size. */
  private record Panel(String file, String title, String caption, Painter painter) {
    BufferedImage draw(int width, int height) {
      return painter.paint(width, height);
    }
  }

  @FunctionalInterface
  private interface Painter {
    BufferedImage paint(int width, int height);
  }

  private static Painter chart(java.util.function.BiFunction<Integer, Integer, Chart<?, ?>> build) {
    return (w, h) -> ChartStyle.image(build.apply(w, h));
  }

  private static List<Panel> panels(List<Incident> in, NormalRange normal) {
    List<Panel> p = new ArrayList<>();
    p.add(new Panel("anomalies-by-source-port.png", "Anomalies by source port",
        "The " + TOP_PORTS + " source ports with the most alerts.", chart((w, h) -> bySourcePort(in, w, h))));
    p.add(new Panel("packet-size.png", "Packet size", normal != null
        ? Charts.format("Packet sizes of the anomalous flows against the normal range the model learned in training "
            + "(1st to 99th percentile: %s to %s bytes). The incident log holds only anomalies, so the normal side is "
            + "that range rather than a histogram.", Charts.number(normal.low()), Charts.number(normal.high()))
        : "Packet sizes of the anomalous flows, per anomaly type. The incident log holds only anomalies and no model "
            + "was given, so there is no normal traffic to compare with; pass --model to draw the normal range.",
        chart((w, h) -> packetSize(in, normal, w, h))));
    p.add(new Panel("score-distribution.png", "Anomaly score distribution", "Histogram of the alerts' scores.",
        chart((w, h) -> scores(in, w, h))));
    p.add(new Panel("protocol-breakdown.png", "Protocol breakdown", "Share of alerts per protocol.",
        chart((w, h) -> protocols(in, w, h))));
    p.add(new Panel("duration-vs-packet-size.png", "Duration vs packet size",
        "Each alert's flow duration against its packet size, both on log scales, coloured by type; alerts with a "
            + "missing or zero value cannot be placed on a log axis and are left out.",
        chart((w, h) -> durationVsSize(in, w, h))));
    p.add(new Panel("anomaly-types.png", "Anomaly types", "Number of alerts per anomaly type.",
        chart((w, h) -> types(in, w, h))));
    p.add(new Panel("detection-timeline.png", "Detection timeline", "Alerts per time bucket (UTC).",
        chart((w, h) -> timeline(in, w, h))));
    p.add(new Panel("executive-summary.png", "Executive summary",
        "Totals, time span, the most frequent types and sources, and the highest-scoring alert.",
        (w, h) -> summary(in, w, h)));
    return p;
  }

  private static BufferedImage grid(List<Panel> panels, List<Incident> in, String source) {
    BufferedImage img = new BufferedImage(GRID_WIDTH, GRID_HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, GRID_WIDTH, GRID_HEIGHT);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 48));
      g.drawString("Network anomaly incident dashboard", 40, 70);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 28));
      g.setColor(Color.DARK_GRAY);
      g.drawString(Charts.format("%,d alerts from %s · %s", in.size(), source, span(in)), 40, 108);
      for (int i = 0; i < panels.size(); i++) {
        BufferedImage cell = panels.get(i).draw(CELL_WIDTH, CELL_HEIGHT);
        g.drawImage(cell, (i % 4) * CELL_WIDTH, BANNER + (i / 4) * CELL_HEIGHT, null);
      }
    } finally {
      g.dispose();
    }
    return img;
  }

  // ---- panels ---------------------------------------------------------------------------------

  private static CategoryChart bySourcePort(List<Incident> in, int w, int h) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (Incident i : in) {
      counts.merge(i.srcPort() < 0 ? "unknown" : Integer.toString(i.srcPort()), 1L, Long::sum);
    }
    var top = Charts.top(counts, TOP_PORTS);
    CategoryChart c = Charts.bars("Anomalies by source port (top " + top.size() + ")", "source port",
        "alerts (count)", w, h);
    c.getStyler().setLegendVisible(false);
    c.getStyler().setXAxisLabelRotation(top.size() > 8 ? 45 : 0);
    c.getStyler().setYAxisDecimalPattern("#,##0");
    c.addSeries("alerts", top.stream().map(Map.Entry::getKey).toList(),
        top.stream().map(Map.Entry::getValue).toList()).setFillColor(ChartStyle.NORMAL);
    return c;
  }

  private static XYChart packetSize(List<Incident> in, NormalRange normal, int w, int h) {
    double[] sizes = in.stream().mapToDouble(Incident::packetSize).filter(v -> v > 0).toArray();
    double lo = Double.POSITIVE_INFINITY;
    double hi = 0;
    for (double v : sizes) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    if (normal != null) {
      lo = Math.min(lo, Math.max(1, normal.low()));
      hi = Math.max(hi, normal.high());
    }
    if (!(lo < hi)) {
      lo = hi > 0 ? hi / 2 : 1;
      hi = Math.max(2 * lo, hi);
    }
    // sizes span 40 B to 64 KiB: equal bins on a log scale keep small and large packets apart
    double logLo = Math.log10(lo) - 0.01;
    double logHi = Math.log10(hi) + 0.01;
    double[] x = Charts.binCentres(logLo, logHi, BINS);
    for (int b = 0; b < BINS; b++) {
      x[b] = Math.pow(10, x[b]);
    }
    double[] logSizes = java.util.Arrays.stream(sizes).map(Math::log10).toArray();
    XYChart c = Charts.xy(normal != null ? "Packet size: anomalous flows vs the normal range"
        : "Packet size of anomalous flows by type", "packet size (bytes, log scale)", "alerts per bin (count)", w, h);
    c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    c.getStyler().setXAxisLogarithmic(true);
    c.getStyler().setYAxisMin(0.0);
    c.getStyler().setYAxisDecimalPattern("#,##0");
    if (normal != null) {
      long[] counts = Charts.histogram(logSizes, logLo, logHi, BINS);
      double top = 1;
      for (long v : counts) {
        top = Math.max(top, v);
      }
      XYSeries band = Charts.line(c, Charts.format("normal range (training 1st–99th pct): %s–%s B",
          Charts.number(normal.low()), Charts.number(normal.high())),
          new double[] {Math.max(lo, normal.low()), Math.max(lo, normal.low()), normal.high(), normal.high()},
          new double[] {0, top * 1.05, top * 1.05, 0}, ChartStyle.NORMAL, 3f);
      band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
      band.setFillColor(EvaluationReport.translucent(ChartStyle.NORMAL));
      XYSeries s = Charts.line(c, Charts.format("anomalous flows (%,d)", sizes.length), x, toDouble(counts),
          ChartStyle.ANOMALY, 3f);
      s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.StepArea);
      s.setFillColor(EvaluationReport.translucent(ChartStyle.ANOMALY));
      return c;
    }
    Map<String, List<Double>> byType = new LinkedHashMap<>();
    for (String t : topTypes(in)) {
      byType.put(t, new ArrayList<>());
    }
    for (Incident i : in) {
      if (i.packetSize() > 0) {
        byType.computeIfAbsent(typeGroup(i, byType), k -> new ArrayList<>()).add(Math.log10(i.packetSize()));
      }
    }
    int k = 0;
    for (Map.Entry<String, List<Double>> e : byType.entrySet()) {
      if (e.getValue().isEmpty()) {
        continue;
      }
      double[] v = e.getValue().stream().mapToDouble(Double::doubleValue).toArray();
      XYSeries s = Charts.line(c, Charts.format("%s (%,d)", e.getKey(), v.length), x,
          toDouble(Charts.histogram(v, logLo, logHi, BINS)), ChartStyle.SERIES[k++ % ChartStyle.SERIES.length], 3f);
      s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
    }
    if (k == 0) {
      Charts.line(c, "no packet sizes in the log", new double[] {lo, hi}, new double[] {0, 0}, Color.GRAY, 1f);
    }
    return c;
  }

  private static XYChart scores(List<Incident> in, int w, int h) {
    double[] s = in.stream().mapToDouble(Incident::score).toArray();
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double v : s) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    if (hi <= lo) {
      lo -= 0.5;
      hi += 0.5;
    }
    XYChart c = Charts.xy("Anomaly score distribution", "anomaly score (model units)", "alerts per bin (count)", w, h);
    c.getStyler().setXAxisDecimalPattern("0.00");
    c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    c.getStyler().setYAxisMin(0.0);
    XYSeries series = Charts.line(c, Charts.format("alerts (%,d)", s.length), Charts.binCentres(lo, hi, BINS),
        toDouble(Charts.histogram(s, lo, hi, BINS)), ChartStyle.PALETTE[6], 3f);
    series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.StepArea);
    series.setFillColor(EvaluationReport.translucent(ChartStyle.PALETTE[6]));
    return c;
  }

  private static PieChart protocols(List<Incident> in, int w, int h) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (Incident i : in) {
      counts.merge(i.protocol() == null ? "unknown" : i.protocol(), 1L, Long::sum);
    }
    PieChart c = Charts.pie("Protocol breakdown (share of alerts)", w, h);
    var top = Charts.top(counts, 7);
    long shown = 0;
    for (var e : top) {
      c.addSeries(Charts.format("%s (%,d)", e.getKey(), e.getValue()), e.getValue());
      shown += e.getValue();
    }
    if (shown < in.size()) {
      c.addSeries(Charts.format("other (%,d)", in.size() - shown), in.size() - shown);
    }
    return c;
  }

  private static XYChart durationVsSize(List<Incident> in, int w, int h) {
    XYChart c = Charts.xy("Duration vs packet size (log scales)", "packet size (bytes, log scale)",
        "flow duration (ms, log scale)", w, h);
    c.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true);
    c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    c.getStyler().setMarkerSize(9);
    Map<String, List<double[]>> byType = new LinkedHashMap<>();
    for (String t : topTypes(in)) {
      byType.put(t, new ArrayList<>());
    }
    for (Incident i : in) {
      if (i.packetSize() > 0 && i.durationMs() > 0) {
        byType.computeIfAbsent(typeGroup(i, byType), k -> new ArrayList<>())
            .add(new double[] {i.packetSize(), i.durationMs()});
      }
    }
    int k = 0;
    for (Map.Entry<String, List<double[]>> e : byType.entrySet()) {
      List<double[]> pts = e.getValue();
      if (pts.isEmpty()) {
        continue;
      }
      Charts.scatter(c, Charts.format("%s (%,d)", e.getKey(), pts.size()),
          pts.stream().mapToDouble(p -> p[0]).toArray(), pts.stream().mapToDouble(p -> p[1]).toArray(),
          ChartStyle.SERIES[k++ % ChartStyle.SERIES.length]);
    }
    if (k == 0) {
      c.getStyler().setXAxisLogarithmic(false).setYAxisLogarithmic(false);
      Charts.scatter(c, "no alert with both values", new double[] {0}, new double[] {0}, Color.GRAY);
    }
    return c;
  }

  private static HorizontalBarChart types(List<Incident> in, int w, int h) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (Incident i : in) {
      counts.merge(i.type() == null ? "unknown" : i.type(), 1L, Long::sum);
    }
    var top = Charts.top(counts, 20); // the chart draws the first category at the top
    HorizontalBarChart c = Charts.horizontalBars("Anomaly types", "alerts (count)", "anomaly type", w, h);
    c.getStyler().setLegendVisible(false);
    c.getStyler().setLabelsVisible(true);
    c.getStyler().setLabelsFontColorAutomaticEnabled(false);
    c.getStyler().setLabelsFontColor(Color.BLACK);
    c.getStyler().setXAxisMin(0.0);
    c.getStyler().setXAxisDecimalPattern("#,##0");
    c.addSeries("alerts", top.stream().map(Map.Entry::getValue).toList(),
        top.stream().map(Map.Entry::getKey).toList()).setFillColor(ChartStyle.PALETTE[0]);
    return c;
  }

  private static XYChart timeline(List<Incident> in, int w, int h) {
    long lo = Long.MAX_VALUE;
    long hi = Long.MIN_VALUE;
    for (Incident i : in) {
      lo = Math.min(lo, i.timeMillis());
      hi = Math.max(hi, i.timeMillis());
    }
    long spanMillis = Math.max(1000, hi - lo);
    int buckets = (int) Math.max(1, Math.min(60, spanMillis / 1000));
    double width = (double) spanMillis / buckets;
    double[] counts = new double[buckets];
    for (Incident i : in) {
      counts[(int) Math.min(buckets - 1, (i.timeMillis() - lo) / width)]++;
    }
    List<Date> dates = new ArrayList<>();
    for (int b = 0; b < buckets; b++) {
      dates.add(new Date((long) (lo + (b + 0.5) * width)));
    }
    XYChart c = Charts.xy("Detection timeline", "time (UTC)",
        "alerts per " + EvaluationReport.duration((long) width), w, h);
    c.getStyler().setTimezone(TimeZone.getTimeZone("UTC"));
    c.getStyler().setDatePattern(spanMillis > 2 * 86_400_000L ? "MM-dd HH:mm" : spanMillis > 120_000 ? "HH:mm"
        : "HH:mm:ss");
    c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    c.getStyler().setYAxisMin(0.0);
    XYSeries s = c.addSeries(Charts.format("alerts (%,d)", in.size()), dates,
        java.util.Arrays.stream(counts).boxed().toList());
    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    s.setLineColor(ChartStyle.ANOMALY);
    s.setMarkerColor(ChartStyle.ANOMALY);
    s.setMarker(SeriesMarkers.CIRCLE);
    s.setLineWidth(3f);
    return c;
  }

  /** A text panel: the numbers an executive asks for first. */
  private static BufferedImage summary(List<Incident> in, int w, int h) {
    Map<String, Long> types = new LinkedHashMap<>();
    Map<String, Long> sources = new LinkedHashMap<>();
    Map<String, Long> targets = new TreeMap<>();
    Incident worst = in.get(0);
    double scoreSum = 0;
    long analysed = 0;
    for (Incident i : in) {
      types.merge(i.type() == null ? "unknown" : i.type(), 1L, Long::sum);
      sources.merge(i.srcIp() == null ? "unknown" : i.srcIp(), 1L, Long::sum);
      targets.merge(i.dstIp() == null ? "unknown" : i.dstIp(), 1L, Long::sum);
      if (i.score() > worst.score()) {
        worst = i;
      }
      scoreSum += i.score();
      analysed += i.llmAnalysis() == null ? 0 : 1;
    }
    List<String[]> lines = new ArrayList<>();
    lines.add(new String[] {"Total alerts", Charts.format("%,d", in.size())});
    lines.add(new String[] {"Time span", span(in)});
    lines.add(new String[] {"Sources / targets", Charts.format("%,d distinct sources, %,d distinct destinations",
        sources.size(), targets.size())});
    lines.add(new String[] {"Top types", join(Charts.top(types, 3))});
    lines.add(new String[] {"Top sources", join(Charts.top(sources, 3))});
    lines.add(new String[] {"Highest score", Charts.format("%s at %s", Charts.number(worst.score()),
        UTC.format(Instant.ofEpochMilli(worst.timeMillis())))});
    lines.add(new String[] {"", Charts.format("%s → %s (%s)", endpoint(worst.srcIp(), worst.srcPort()),
        endpoint(worst.dstIp(), worst.dstPort()), worst.type() == null ? "unknown type" : worst.type())});
    lines.add(new String[] {"Mean score", Charts.number(scoreSum / in.size())});
    lines.add(new String[] {"LLM analyses", Charts.format("%,d of %,d alerts", analysed, in.size())});

    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, w, h);
      g.setColor(new Color(0xF4F7FA));
      g.fillRoundRect(24, 24, w - 48, h - 48, 24, 24);
      g.setColor(ChartStyle.NORMAL);
      g.fillRect(24, 24, 12, h - 48);
      float scale = Math.min(w / 1600f, h / 1000f);
      Font title = ChartStyle.TITLE.deriveFont(Math.max(22f, 44f * scale));
      Font label = new Font(Font.SANS_SERIF, Font.BOLD, Math.round(Math.max(16f, 30f * scale)));
      Font value = new Font(Font.SANS_SERIF, Font.PLAIN, Math.round(Math.max(16f, 30f * scale)));
      g.setColor(Color.BLACK);
      g.setFont(title);
      int x = Math.round(70 * scale) + 24;
      int y = Math.round(100 * scale) + 24;
      g.drawString("Executive summary", x, y);
      int lineHeight = Math.round(Math.max(24, 74 * scale));
      int valueX = x + Math.round(300 * scale);
      y += Math.round(30 * scale);
      for (String[] line : lines) {
        y += lineHeight;
        g.setFont(label);
        g.setColor(Color.DARK_GRAY);
        g.drawString(line[0], x, y);
        g.setFont(value);
        g.setColor(Color.BLACK);
        g.drawString(fit(line[1], g.getFontMetrics(), w - valueX - 48), valueX, y);
      }
    } finally {
      g.dispose();
    }
    return img;
  }

  private static String fit(String text, FontMetrics fm, int width) {
    if (fm.stringWidth(text) <= width) {
      return text;
    }
    String t = text;
    while (t.length() > 1 && fm.stringWidth(t + "…") > width) {
      t = t.substring(0, t.length() - 1);
    }
    return t + "…";
  }

  private static String endpoint(String ip, int port) {
    return (ip == null ? "?" : ip) + (port < 0 ? "" : ":" + port);
  }

  private static String join(List<Map.Entry<String, Long>> top) {
    List<String> parts = new ArrayList<>();
    for (var e : top) {
      parts.add(Charts.format("%s (%,d)", e.getKey(), e.getValue()));
    }
    return String.join(", ", parts);
  }

  private static String span(List<Incident> in) {
    long lo = Long.MAX_VALUE;
    long hi = Long.MIN_VALUE;
    for (Incident i : in) {
      lo = Math.min(lo, i.timeMillis());
      hi = Math.max(hi, i.timeMillis());
    }
    Duration d = Duration.ofMillis(hi - lo);
    return UTC.format(Instant.ofEpochMilli(lo)) + " to " + UTC.format(Instant.ofEpochMilli(hi)).replace(" UTC", "")
        + Charts.format(" UTC (%s)", d.toHours() >= 48 ? d.toDays() + " days"
            : d.toMinutes() >= 120 ? d.toHours() + " h" : d.toSeconds() >= 120 ? d.toMinutes() + " min"
            : d.toSeconds() + " s");
  }

  /** The most frequent types, at most {@link #TYPES_SHOWN} − 1 (the rest are "other"). */
  private static List<String> topTypes(List<Incident> in) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (Incident i : in) {
      counts.merge(i.type() == null ? "unknown" : i.type(), 1L, Long::sum);
    }
    int keep = counts.size() <= TYPES_SHOWN ? TYPES_SHOWN : TYPES_SHOWN - 1;
    return Charts.top(counts, keep).stream().map(Map.Entry::getKey).toList();
  }

  private static String typeGroup(Incident i, Map<String, ?> shown) {
    String t = i.type() == null ? "unknown" : i.type();
    return shown.containsKey(t) ? t : "other";
  }

  private static double[] toDouble(long[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }
}
