package io.netanomaly.stream;

import io.netanomaly.core.explain.Alert;
import io.netanomaly.core.explain.Explanation;
import io.netanomaly.core.explain.FeatureContribution;
import io.netanomaly.core.explain.ThreatAssessment;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Prints each alert as a security alert card: a title with the anomaly type and threat level, the
 * traffic (5-tuple, protocol, flags, bytes, packets, duration), score against threshold, the top
 * features with their value and normal range, the threat assessment (attack, impact, MITRE
 * ATT&amp;CK technique, recommended action) and the LLM analysis line ("pending" until one
 * arrives). With {@code ansi} the title is coloured by threat level and out-of-range feature values
 * are highlighted; without it the card is plain text for pipes and files.
 *
 * <p>Called from one thread (see {@link AlertSink}); not thread-safe.
 */
public final class ConsoleAlertSink implements AlertSink {
  private static final int WIDTH = 78;
  private static final String RESET = "\u001b[0m";
  private static final String BOLD = "\u001b[1m";
  private static final String DIM = "\u001b[2m";
  private static final String YELLOW = "\u001b[33m";

  private final PrintWriter out;
  private final boolean ansi;
  private final StringBuilder card = new StringBuilder(2048);

  /**
   * @param out where cards go (not closed by {@link #close()})
   * @param ansi whether to colour with ANSI escape sequences
   */
  public ConsoleAlertSink(PrintWriter out, boolean ansi) {
    this.out = Objects.requireNonNull(out, "out");
    this.ansi = ansi;
  }

  /**
   * Whether standard output looks like a colour terminal: a console is attached and {@code TERM}
   * is not {@code dumb}.
   */
  public static boolean terminalSupportsAnsi() {
    return System.console() != null && !"dumb".equals(System.getenv("TERM"));
  }

  @Override
  public void accept(List<Alert> alerts) {
    for (Alert a : alerts) {
      card.setLength(0);
      format(a, card);
      out.print(card);
    }
  }

  /** Appends the card of {@code a} (ending with a line break) to {@code b}. */
  void format(Alert a, StringBuilder b) {
    Explanation e = a.explanation();
    ThreatAssessment t = e.threat();
    String title = "ALERT " + a.anomalyType().toUpperCase(Locale.ROOT).replace('_', ' ') + " | threat "
        + t.level();
    b.append(color(levelColor(t.level()) + BOLD, "+-- " + title + " " + "-".repeat(Math.max(3, WIDTH - 5 - title.length()))))
        .append('\n');
    row(b, "time", Instant.ofEpochMilli(a.eventTimeMillis()) + "   detected "
        + Instant.ofEpochMilli(a.detectedAtMillis()) + "   model " + a.detector());
    Map<String, String> f = a.fields();
    if (a.srcIp() != null) {
      String flags = f.getOrDefault("flags", "");
      row(b, "traffic", endpoint(a.srcIp(), a.srcPort()) + " -> " + endpoint(a.dstIp(), a.dstPort()) + "   "
          + a.protocol() + (flags.isEmpty() ? "" : "   flags " + flags));
      row(b, "", "bytes " + count(f.get("bytes_sent")) + " sent / " + count(f.get("bytes_received"))
          + " received, packets " + count(f.get("packets_sent")) + " / " + count(f.get("packets_received"))
          + ", duration " + (Double.isNaN(a.duration()) ? "?" : String.format(Locale.ROOT, "%.3f s", a.duration()))
          + ", " + (Double.isNaN(a.packetSize()) ? "?" : String.format(Locale.ROOT, "%.1f", a.packetSize()))
          + " B/packet");
    } else {
      StringBuilder rec = new StringBuilder();
      int shown = 0;
      for (Map.Entry<String, String> field : f.entrySet()) {
        if (shown++ == 8) {
          rec.append(", ...");
          break;
        }
        rec.append(shown == 1 ? "" : ", ").append(field.getKey()).append('=').append(field.getValue());
      }
      row(b, "record", rec.toString());
    }
    row(b, "score", String.format(Locale.ROOT, "%.4f >= threshold %.4f", e.score(), e.threshold()));
    String label = "features";
    for (FeatureContribution c : e.topFeatures()) {
      String value = number(c.value());
      String shownValue = c.outsideNormalRange() ? color(YELLOW + BOLD, value) : value;
      row(b, label, String.format(Locale.ROOT, "%-28s %s%s  normal %s .. %s  (%.0f%%)", c.feature(), shownValue,
          " ".repeat(Math.max(0, 12 - value.length())), number(c.normalLow()), number(c.normalHigh()),
          c.contribution() * 100));
      label = "";
    }
    row(b, "threat", t.level() + " | " + t.attackType() + " | MITRE ATT&CK " + t.mitreTechniqueId() + " "
        + t.mitreTechniqueName());
    row(b, "impact", t.impact());
    row(b, "action", t.recommendedAction());
    b.append("| ").append(color(DIM, "LLM analysis: ")).append(a.llmAnalysis() == null ? "pending" : a.llmAnalysis())
        .append('\n');
    b.append(color(levelColor(t.level()), "+" + "-".repeat(WIDTH - 1))).append('\n');
  }

  private void row(StringBuilder b, String label, String text) {
    b.append("| ").append(color(DIM, String.format(Locale.ROOT, "%-9s", label))).append(' ').append(text).append('\n');
  }

  private String color(String code, String text) {
    return ansi ? code + text + RESET : text;
  }

  private static String levelColor(ThreatAssessment.Level level) {
    switch (level) {
      case CRITICAL:
        return "\u001b[97;41m"; // white on red
      case HIGH:
        return "\u001b[31m";
      case MEDIUM:
        return YELLOW;
      default:
        return "\u001b[36m";
    }
  }

  private static String endpoint(String ip, int port) {
    String host = ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip;
    return port < 0 ? host : host + ":" + port;
  }

  private static String count(String text) {
    if (text == null || text.isEmpty()) {
      return "?";
    }
    try {
      return String.format(Locale.ROOT, "%,d", Long.parseLong(text));
    } catch (NumberFormatException e) {
      return text;
    }
  }

  /** Integers in full with separators, others with 4 significant digits. */
  static String number(double v) {
    if (Double.isNaN(v)) {
      return "missing";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.format(Locale.ROOT, "%,d", (long) v);
    }
    return String.format(Locale.ROOT, "%.4g", v);
  }

  @Override
  public void flush() {
    out.flush();
  }

  @Override
  public void close() {
    out.flush();
  }
}
