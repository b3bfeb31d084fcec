package io.netanomaly.core.synth;

import io.netanomaly.core.schema.FlowRecord;
import java.util.SplittableRandom;

/**
 * Bulk uploads from an internal host to an outside drop (see {@link Scenario#DATA_EXFILTRATION}).
 * Mutable, not thread-safe.
 */
final class ExfiltrationEpisode extends Episode {
  private final String src;
  private final String dst;
  private final int dstPort;

  ExfiltrationEpisode(double startMillis, long order, SplittableRandom rng, AddressPlan plan) {
    super(Scenario.DATA_EXFILTRATION, startMillis, order, rng, plan);
    src = plan.anyClient(rng);
    // mostly an unfamiliar host; sometimes a popular cloud service abused as a drop
    dst = rng.nextDouble() < 0.75 ? plan.unfamiliarExternal(rng) : plan.externalServer(rng);
    double r = rng.nextDouble();
    dstPort = r < 0.7 ? 443 : r < 0.85 ? 22 : r < 0.9 ? 21 : 8080;
  }

  @Override
  protected FlowRecord flow(double millis, int index) {
    double sent = Distributions.logUniform(rng, 2e7, 2e9);
    double throughput = Distributions.lognormal(rng, 3e6, 0.7, 3e5, 5e7);
    double duration = sent / throughput + Distributions.uniform(rng, 0.5, 3);
    double replies = Distributions.lognormal(rng, 6_000, 0.8, 1_000, 100_000);
    boolean reset = rng.nextDouble() < 0.1;
    counts.tcp(rng, sent, replies, reset ? 5 : 4, 2);
    return record(millis, src, dst, Distributions.ephemeralPort(rng), dstPort, "TCP", duration,
        reset ? "SAPRF" : "SAPF");
  }

  @Override
  protected double gapMillis() {
    return Distributions.uniform(rng, 2_000, 120_000);
  }
}
