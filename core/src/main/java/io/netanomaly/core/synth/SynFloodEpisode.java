package io.netanomaly.core.synth;

import io.netanomaly.core.schema.FlowRecord;
import java.util.SplittableRandom;

/**
 * Half-open connections hammering one server port (see {@link Scenario#SYN_FLOOD}). Mutable, not
 * thread-safe.
 */
final class SynFloodEpisode extends Episode {
  private static final int[] SYN_SIZES = {40, 44, 60};

  private final String[] sources;
  private final String dst;
  private final int dstPort;
  private final double meanGapMillis;

  SynFloodEpisode(double startMillis, long order, SplittableRandom rng, AddressPlan plan) {
    super(Scenario.SYN_FLOOD, startMillis, order, rng, plan);
    sources = new String[Distributions.uniformInt(rng, 1, 3)];
    boolean botnet = rng.nextDouble() < 0.8;
    for (int i = 0; i < sources.length; i++) {
      sources[i] = botnet ? plan.unfamiliarExternal(rng) : plan.anyClient(rng);
    }
    if (rng.nextDouble() < 0.85) {
      dst = Distributions.pick(rng, plan.webServers);
      dstPort = rng.nextDouble() < 0.6 ? 443 : 80;
    } else {
      dst = plan.mailServer;
      dstPort = 25;
    }
    meanGapMillis = Distributions.lognormal(rng, 4, 0.7, 0.3, 50);
  }

  @Override
  protected FlowRecord flow(double millis, int index) {
    counts.exact(Distributions.pick(rng, SYN_SIZES), 0, 1, 0);
    return record(millis, sources[rng.nextInt(sources.length)], dst, rng.nextInt(1024, 65536),
        dstPort, "TCP", 0, "S");
  }

  @Override
  protected double gapMillis() {
    return Distributions.exponential(rng, meanGapMillis);
  }
}
