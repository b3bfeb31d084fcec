package io.netanomaly.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A self-contained HTML page: inline CSS, no scripts, no fonts or files from the network; images
 * are referenced by relative file name. Every text is escaped. Not thread-safe.
 */
final class HtmlPage {
  private static final String CSS = String.join("\n",
      "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;margin:2rem auto;",
      "max-width:1280px;padding:0 1rem;color:#1a1a1a;line-height:1.5}",
      "h1{font-size:1.9rem;margin-bottom:.2rem}h2{font-size:1.4rem;margin-top:2.2rem;border-bottom:1px solid #ccc}",
      "table{border-collapse:collapse;margin:1rem 0}th,td{padding:.35rem .8rem;border:1px solid #ccc;text-align:left}",
      "td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#f2f2f2}",
      "figure{margin:1.5rem 0}figure img{width:100%;height:auto;border:1px solid #ddd}",
      "figcaption{color:#444;margin-top:.4rem}.meta{color:#555}");

  private final StringBuilder body = new StringBuilder();
  private final String title;

  HtmlPage(String title) {
    this.title = title;
    body.append("<h1>").append(escape(title)).append("</h1>\n");
  }

  HtmlPage heading(String text) {
    body.append("<h2>").append(escape(text)).append("</h2>\n");
    return this;
  }

  HtmlPage paragraph(String text) {
    body.append("<p>").append(escape(text)).append("</p>\n");
    return this;
  }

  HtmlPage meta(String text) {
    body.append("<p class=\"meta\">").append(escape(text)).append("</p>\n");
    return this;
  }

  /** A table; cells that look like numbers are right-aligned. */
  HtmlPage table(List<String> header, List<List<String>> rows) {
    body.append("<table>\n<thead><tr>");
    for (String h : header) {
      body.append("<th scope=\"col\">").append(escape(h)).append("</th>");
    }
    body.append("</tr></thead>\n<tbody>\n");
    for (List<String> row : rows) {
      body.append("<tr>");
      for (int i = 0; i < row.size(); i++) {
        String cell = row.get(i);
        if (i == 0) {
          body.append("<th scope=\"row\">").append(escape(cell)).append("</th>");
        } else {
          body.append(isNumeric(cell) ? "<td class=\"n\">" : "<td>").append(escape(cell)).append("</td>");
        }
      }
      body.append("</tr>\n");
    }
    body.append("</tbody>\n</table>\n");
    return this;
  }

  /** A figure: the image (by file name, relative to the page), its alternative text and caption. */
  HtmlPage figure(String file, String alt, String caption) {
    body.append("<figure><img src=\"").append(escape(file)).append("\" alt=\"").append(escape(alt))
        .append("\" loading=\"lazy\"><figcaption>").append(escape(caption)).append("</figcaption></figure>\n");
    return this;
  }

  void write(Path file) throws IOException {
    String page = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" + escape(title)
        + "</title>\n<style>\n" + CSS + "\n</style>\n</head>\n<body>\n<main>\n" + body + "</main>\n</body>\n</html>\n";
    Files.writeString(file, page, StandardCharsets.UTF_8);
  }

  private static boolean isNumeric(String s) {
    return !s.isEmpty() && s.chars().allMatch(c -> Character.isDigit(c) || ",.%-+ ".indexOf(c) >= 0)
        && s.chars().anyMatch(Character::isDigit);
  }

  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
