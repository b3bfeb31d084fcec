package io.netanomaly.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;

/**
 * The look shared by every chart: the Okabe–Ito colour-blind-safe palette, fonts sized for a
 * 1600×1000 px image viewed at half size (axis titles 22 px, tick labels 18 px, title 28 px), a
 * white background and PNG output. Stateless and thread-safe.
 */
public final class ChartStyle {
  static {
    useHeadless();
  }

  /** Width of a single chart, px. */
  public static final int WIDTH = 1600;
  /** Height of a single chart, px. */
  public static final int HEIGHT = 1000;

  /** Okabe &amp; Ito (2008): orange, sky blue, bluish green, yellow, blue, vermillion, reddish purple, black. */
  static final Color[] PALETTE = {new Color(0xE69F00), new Color(0x56B4E9), new Color(0x009E73),
      new Color(0xF0E442), new Color(0x0072B2), new Color(0xD55E00), new Color(0xCC79A7), new Color(0x000000)};
  /** Normal traffic: blue. */
  static final Color NORMAL = PALETTE[4];
  /** Anomalous traffic: vermillion. */
  static final Color ANOMALY = PALETTE[5];
  /** Lines that mark a threshold or a chosen parameter. */
  static final Color MARKER = PALETTE[7];
  /** Series order for charts with many series: strong colours first, yellow last (weak on white). */
  static final Color[] SERIES = {PALETTE[4], PALETTE[5], PALETTE[2], PALETTE[0], PALETTE[6], PALETTE[1],
      PALETTE[7], PALETTE[3]};

  static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 28);
  static final Font AXIS_TITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 22);
  static final Font TICKS = new Font(Font.SANS_SERIF, Font.PLAIN, 18);
  static final Font LEGEND = new Font(Font.SANS_SERIF, Font.PLAIN, 20);

  private ChartStyle() {}

  /**
   * Sets {@code java.awt.headless=true} unless it is set already. Called by every entry point before
   * any AWT class loads: charts must render on machines without a display (CI, servers).
   */
  static void useHeadless() {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  /** Applies fonts, palette and background to a chart's styler. */
  static void apply(Styler s) {
    s.setChartBackgroundColor(Color.WHITE);
    s.setChartTitleFont(TITLE);
    s.setChartTitleBoxVisible(false);
    s.setLegendFont(LEGEND);
    s.setLegendBorderColor(Color.LIGHT_GRAY);
    s.setSeriesColors(SERIES);
    s.setChartPadding(24);
    s.setAntiAlias(true);
    s.setTextAntiAlias(true);
    s.setAnnotationLineColor(MARKER);
    s.setAnnotationLineStroke(new BasicStroke(3f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
        new float[] {12f, 8f}, 0f));
    s.setAnnotationTextFont(LEGEND);
    if (s instanceof AxesChartStyler a) {
      a.setAxisTitleFont(AXIS_TITLE);
      a.setAxisTickLabelsFont(TICKS);
      a.setPlotBackgroundColor(Color.WHITE);
      a.setPlotGridLinesColor(new Color(0xDDDDDD));
      a.setPlotBorderColor(Color.GRAY);
      a.setAxisTitlePadding(12);
    }
  }

  /** Writes a chart as a PNG file of its own size. */
  static void save(Chart<?, ?> chart, Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
    }
  }

  /** Writes an image as a PNG file. */
  static void save(BufferedImage image, Path file) throws IOException {
    if (!ImageIO.write(image, "png", file.toFile())) {
      throw new IOException("no PNG writer for " + file);
    }
  }

  /** The chart drawn into an image of its own size. */
  static BufferedImage image(Chart<?, ?> chart) {
    return BitmapEncoder.getBufferedImage(chart);
  }
}
