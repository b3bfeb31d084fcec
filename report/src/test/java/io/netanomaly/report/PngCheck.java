package io.netanomaly.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/** Checks on written charts: a readable PNG of at least a size, with a drawing on it. */
final class PngCheck {
  private PngCheck() {}

  /** Asserts the file is a PNG of at least {@code width}×{@code height} px that is not blank. */
  static void assertChart(Path file, int width, int height) throws IOException {
    assertThat(file).exists();
    byte[] head = new byte[8];
    try (var in = Files.newInputStream(file)) {
      assertThat(in.read(head)).isEqualTo(8);
    }
    assertThat(head).as("PNG signature of %s", file)
        .isEqualTo(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    BufferedImage img = ImageIO.read(file.toFile());
    assertThat(img).as(file.toString()).isNotNull();
    assertThat(img.getWidth()).as("width of %s", file).isGreaterThanOrEqualTo(width);
    assertThat(img.getHeight()).as("height of %s", file).isGreaterThanOrEqualTo(height);
    Set<Integer> colours = new HashSet<>();
    long ink = 0;
    long pixels = 0;
    for (int y = 0; y < img.getHeight(); y += 2) {
      for (int x = 0; x < img.getWidth(); x += 2) {
        int rgb = img.getRGB(x, y) & 0xFFFFFF;
        colours.add(rgb);
        ink += rgb == 0xFFFFFF ? 0 : 1;
        pixels++;
      }
    }
    // text alone (anti-aliased) gives dozens of greys; a drawn chart adds its palette and fills
    assertThat(colours.size()).as("distinct colours in %s", file).isGreaterThan(40);
    assertThat((double) ink / pixels).as("share of non-white pixels in %s", file).isGreaterThan(0.01);
  }

  /** Asserts the page references exactly {@code charts} (by file name), and each exists beside it. */
  static void assertPageReferences(Path index, List<Path> charts) throws IOException {
    String html = Files.readString(index, StandardCharsets.UTF_8);
    Set<String> referenced = new HashSet<>();
    Matcher m = Pattern.compile("<img src=\"([^\"]+)\"").matcher(html);
    while (m.find()) {
      referenced.add(m.group(1));
    }
    Set<String> written = new HashSet<>();
    for (Path c : charts) {
      written.add(c.getFileName().toString());
    }
    assertThat(referenced).isEqualTo(written);
    for (String r : referenced) {
      assertThat(index.resolveSibling(r)).exists();
    }
    assertThat(html).doesNotContain("http://").doesNotContain("https://").doesNotContain("<script");
  }
}
