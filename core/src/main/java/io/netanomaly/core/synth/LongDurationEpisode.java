package io.netanomaly.core.synth;

import io.netanomaly.core.schema.FlowRecord;
import java.util.SplittableRandom;

/**
 * A connection held open for hours with little data on it (see {@link Scenario#LONG_DURATION}).
 * Mutable, not thread-safe.
 */
final class LongDurationEpisode extends Episode {
  private static final int[] EXTERNAL_PORTS = {443, 22, 3389, 1194, 8080};

  private final String src;
  private final String dst;
  private final int dstPort;

  LongDurationEpisode(double startMillis, long order, SplittableRandom rng, AddressPlan plan) {
    super(Scenario.LONG_DURATION, startMillis, order, rng, plan);
    src = plan.anyClient(rng);
    if (rng.nextDouble() < 0.6) {
      dst = rng.nextDouble() < 0.5 ? plan.unfamiliarExternal(rng) : plan.externalServer(rng);
      dstPort = Distributions.pick(rng, EXTERNAL_PORTS);
    } else {
      double r = rng.nextDouble();
      if (r < 0.4) {
        dst = Distributions.pick(rng, plan.sshServers);
        dstPort = 22;
      } else if (r < 0.7) {
        dst = Distributions.pick(rng, plan.rdpHosts);
        dstPort = 3389;
      } else {
        dst = Distributions.pick(rng, plan.fileServers);
        dstPort = 445;
      }
    }
  }

  @Override
  protected FlowRecord flow(double millis, int index) {
    double duration = Distributions.logUniform(rng, 2 * 3_600, 24 * 3_600);
    boolean reset = rng.nextDouble() < 0.15;
    counts.tcp(rng, Distributions.logUniform(rng, 2e4, 5e6), Distributions.logUniform(rng, 2e4, 2e7),
        reset ? 5 : 4, 2);
    return record(millis, src, dst, Distributions.ephemeralPort(rng), dstPort, "TCP", duration,
        reset ? "SAPRF" : "SAPF");
  }

  @Override
  protected double gapMillis() {
    return Distributions.uniform(rng, 60_000, 600_000);
  }
}
