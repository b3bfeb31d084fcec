package io.netanomaly.core.synth;

import io.netanomaly.core.schema.FlowRecord;
import java.util.SplittableRandom;

/**
 * Password guessing against one login service (see {@link Scenario#BRUTE_FORCE}): every attempt
 * is the same failed exchange, so byte counts barely vary. Mutable, not thread-safe.
 */
final class BruteForceEpisode extends Episode {
  private final String src;
  private final String dst;
  private final int dstPort;
  private final double sentBase;
  private final double receivedBase;
  private final double durationBase;
  private final double resetShare;
  private final double meanGapMillis;

  BruteForceEpisode(double startMillis, long order, SplittableRandom rng, AddressPlan plan) {
    super(Scenario.BRUTE_FORCE, startMillis, order, rng, plan);
    src = rng.nextDouble() < 0.7 ? plan.unfamiliarExternal(rng) : plan.anyClient(rng);
    double service = rng.nextDouble();
    if (service < 0.55) {
      dst = Distributions.pick(rng, plan.sshServers);
      dstPort = 22;
      sentBase = Distributions.uniform(rng, 2_000, 2_600);
      receivedBase = Distributions.uniform(rng, 2_800, 3_600);
      durationBase = Distributions.uniform(rng, 1.0, 4.0);
      resetShare = 0.15;
    } else if (service < 0.85) {
      dst = Distributions.pick(rng, plan.rdpHosts);
      dstPort = 3389;
      sentBase = Distributions.uniform(rng, 2_500, 4_000);
      receivedBase = Distributions.uniform(rng, 4_000, 7_000);
      durationBase = Distributions.uniform(rng, 0.4, 2.0);
      resetShare = 0.6;
    } else {
      dst = plan.ftpServer;
      dstPort = 21;
      sentBase = Distributions.uniform(rng, 90, 140);
      receivedBase = Distributions.uniform(rng, 250, 400);
      durationBase = Distributions.uniform(rng, 0.3, 3.0);
      resetShare = 0.1;
    }
    meanGapMillis = Distributions.lognormal(rng, 1_500, 0.6, 300, 5_000);
  }

  @Override
  protected FlowRecord flow(double millis, int index) {
    boolean reset = rng.nextDouble() < resetShare;
    counts.tcp(rng, Distributions.jitter(rng, sentBase, 0.04),
        Distributions.jitter(rng, receivedBase, 0.04), reset ? 5 : 4, 2);
    return record(millis, src, dst, Distributions.ephemeralPort(rng), dstPort, "TCP",
        Distributions.jitter(rng, durationBase, 0.15), reset ? "SAPRF" : "SAPF");
  }

  @Override
  protected double gapMillis() {
    // a fixed number of parallel tasks keeps the pace fairly even
    return Distributions.jitter(rng, meanGapMillis, 0.5);
  }
}
