package io.netanomaly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code demo}: the batch steps, then the dashboard fed by a simulated live stream until stopped. */
class DemoCommandTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir
  Path dir;

  @Test
  void withoutServingItWritesEveryFileAndTheReportAndEnds() {
    CliEndToEndTest.Result r = CliEndToEndTest.run("demo", "--no-serve", "--samples", "2000", "--dir",
        dir.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("== 4/4 detect").doesNotContain("serve");
    for (String f : new String[] {"train.csv", "test.csv", "model.nam", "evaluation.json", "detections.csv",
        "report/index.html", "report/roc-curve.png"}) {
      assertThat(dir.resolve(f)).isNotEmptyFile();
    }
  }

  @Test
  void endsByServingTheDashboardWithStreamedAlertsUntilStopped() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    AtomicInteger code = new AtomicInteger(-1);
    Thread demo = new Thread(() -> code.set(Main.run(new String[] {"demo", "--samples", "2000", "--dir",
        dir.toString(), "--port", "0", "--rate", "400"}, new PrintWriter(out, true), new PrintWriter(err, true))),
        "demo-under-test");
    demo.start();
    try {
      Pattern serving = Pattern.compile("serving .* on http://127\\.0\\.0\\.1:(\\d+)/");
      String base = null;
      for (int i = 0; i < 1200 && base == null && demo.isAlive(); i++) {
        Matcher m = serving.matcher(out.toString());
        if (m.find()) {
          base = "http://127.0.0.1:" + m.group(1);
        } else {
          Thread.sleep(100);
        }
      }
      assertThat(base).as("demo output:%n%s%n%s", out, err).isNotNull();
      assertThat(out.toString()).contains("== 5/5 serve", "evaluation report: " + base + "/report/index.html");

      assertThat(get(base + "/").body()).contains("netanomaly dashboard");
      assertThat(get(base + "/report/index.html").statusCode()).isEqualTo(200);
      // the simulated stream raises alerts that reach the store behind the dashboard
      long total = 0;
      for (int i = 0; i < 300 && total == 0; i++) {
        Thread.sleep(100);
        total = new ObjectMapper().readTree(get(base + "/api/v1/alerts/summary").body()).get("total").asLong();
      }
      assertThat(total).as("alerts from the simulated stream").isPositive();
    } finally {
      demo.interrupt(); // what Ctrl-C does through the shutdown hook
      demo.join(60_000);
    }
    assertThat(demo.isAlive()).isFalse();
    assertThat(code.get()).as(err.toString()).isZero();
    assertThat(out.toString()).contains("serve stopped");
    assertThat(err.toString()).contains("serve: final:");
    assertThat(Files.readAllLines(dir.resolve("anomaly_log.csv")).get(0)).startsWith("timestamp,");
    assertThat(Files.readAllLines(dir.resolve("anomaly_log.csv"))).hasSizeGreaterThan(1);
    assertThat(dir.resolve("alerts.db")).isNotEmptyFile();
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
