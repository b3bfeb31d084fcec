package io.netanomaly.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.HorizontalBarChart;
import org.knowm.xchart.HorizontalBarChartBuilder;
import org.knowm.xchart.PieChart;
import org.knowm.xchart.PieChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Chart factories and series helpers with the {@link ChartStyle} look. Stateless and thread-safe. */
final class Charts {
  static final BasicStroke DASHED = new BasicStroke(3f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
      new float[] {14f, 10f}, 0f);

  private Charts() {}

  static XYChart xy(String title, String xTitle, String yTitle, int width, int height) {
    XYChart c = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle)
        .build();
    ChartStyle.apply(c.getStyler());
    c.getStyler().setMarkerSize(8);
    return c;
  }

  static CategoryChart bars(String title, String xTitle, String yTitle, int width, int height) {
    CategoryChart c = new CategoryChartBuilder().width(width).height(height).title(title).xAxisTitle(xTitle)
        .yAxisTitle(yTitle).build();
    ChartStyle.apply(c.getStyler());
    c.getStyler().setLabelsFont(ChartStyle.TICKS);
    c.getStyler().setAvailableSpaceFill(0.7);
    c.getStyler().setXAxisTickMarkSpacingHint(20); // every category gets its label
    return c;
  }

  static HorizontalBarChart horizontalBars(String title, String xTitle, String yTitle, int width, int height) {
    HorizontalBarChart c = new HorizontalBarChartBuilder().width(width).height(height).title(title)
        .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
    ChartStyle.apply(c.getStyler());
    c.getStyler().setLabelsFont(ChartStyle.TICKS);
    c.getStyler().setAvailableSpaceFill(0.7);
    // every category gets its label
    c.getStyler().setYAxisTickMarkSpacingHint(16);
    c.getStyler().setXAxisTickMarkSpacingHint(16);
    return c;
  }

  static HeatMapChart heat(String title, String xTitle, String yTitle, int width, int height) {
    HeatMapChart c = new HeatMapChartBuilder().width(width).height(height).title(title).xAxisTitle(xTitle)
        .yAxisTitle(yTitle).build();
    ChartStyle.apply(c.getStyler());
    c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    c.getStyler().setValueFont(ChartStyle.TICKS);
    c.getStyler().setValueFontColor(Color.BLACK);
    c.getStyler().setPlotContentSize(1.0);
    // every row and column gets its label
    c.getStyler().setXAxisTickMarkSpacingHint(16);
    c.getStyler().setYAxisTickMarkSpacingHint(16);
    return c;
  }

  static PieChart pie(String title, int width, int height) {
    PieChart c = new PieChartBuilder().width(width).height(height).title(title).build();
    ChartStyle.apply(c.getStyler());
    c.getStyler().setLabelsFont(ChartStyle.TICKS);
    c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    return c;
  }

  /** A line without markers. */
  static XYSeries line(XYChart chart, String name, double[] x, double[] y, Color color, float width) {
    XYSeries s = chart.addSeries(name, x, y);
    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    s.setMarker(SeriesMarkers.NONE);
    s.setLineColor(color);
    s.setLineWidth(width);
    return s;
  }

  /** A dashed reference line (threshold, eps, chance level). */
  static XYSeries reference(XYChart chart, String name, double[] x, double[] y, Color color) {
    XYSeries s = line(chart, name, x, y, color, 3f);
    s.setLineStyle(DASHED);
    return s;
  }

  /** Points without lines. */
  static XYSeries scatter(XYChart chart, String name, double[] x, double[] y, Color color) {
    XYSeries s = chart.addSeries(name, x, y);
    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    s.setMarker(SeriesMarkers.CIRCLE);
    s.setMarkerColor(color);
    return s;
  }

  /** Counts of {@code values} in {@code bins} equal bins over [lo, hi] (the last bin closed). */
  static long[] histogram(double[] values, double lo, double hi, int bins) {
    long[] counts = new long[bins];
    double width = (hi - lo) / bins;
    for (double v : values) {
      if (Double.isNaN(v)) {
        continue;
      }
      int b = width > 0 ? (int) ((v - lo) / width) : 0;
      counts[Math.max(0, Math.min(bins - 1, b))]++;
    }
    return counts;
  }

  /** Centres of {@code bins} equal bins over [lo, hi]. */
  static double[] binCentres(double lo, double hi, int bins) {
    double[] c = new double[bins];
    double width = (hi - lo) / bins;
    for (int i = 0; i < bins; i++) {
      c[i] = lo + (i + 0.5) * width;
    }
    return c;
  }

  /** The first {@code n} entries of a list of category names and their counts, largest count first. */
  static <K> List<java.util.Map.Entry<K, Long>> top(java.util.Map<K, Long> counts, int n) {
    List<java.util.Map.Entry<K, Long>> entries = new ArrayList<>(counts.entrySet());
    entries.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
    return entries.subList(0, Math.min(n, entries.size()));
  }

  static String format(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }

  /** A number for a legend or table: 3 significant decimals, or "n/a" for NaN. */
  static String number(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    return Math.abs(v) >= 1000 || v == Math.rint(v) ? format("%,.0f", v) : format("%.3f", v);
  }
}
