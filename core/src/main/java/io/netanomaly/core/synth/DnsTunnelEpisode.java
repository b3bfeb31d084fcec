package io.netanomaly.core.synth;

import io.netanomaly.core.schema.FlowRecord;
import java.util.SplittableRandom;

/**
 * Data carried in DNS names and TXT answers (see {@link Scenario#DNS_TUNNELING}). Mutable, not
 * thread-safe.
 */
final class DnsTunnelEpisode extends Episode {
  private final String src;
  private final String dst;
  private final double meanGapMillis;

  DnsTunnelEpisode(double startMillis, long order, SplittableRandom rng, AddressPlan plan) {
    super(Scenario.DNS_TUNNELING, startMillis, order, rng, plan);
    src = plan.anyClient(rng);
    dst = rng.nextDouble() < 0.6 ? Distributions.pick(rng, AddressPlan.PUBLIC_RESOLVERS)
        : plan.unfamiliarExternal(rng);
    meanGapMillis = Distributions.lognormal(rng, 300, 0.6, 50, 2_000);
  }

  @Override
  protected FlowRecord flow(double millis, int index) {
    double query = Distributions.uniform(rng, 190, 300);
    double answer = rng.nextDouble() < 0.05 ? 0 : Distributions.uniform(rng, 220, 560);
    counts.udp(query, answer, 1_400);
    double duration = answer == 0 ? 0 : Distributions.lognormal(rng, 0.03, 0.6, 0.001, 1);
    return record(millis, src, dst, Distributions.ephemeralPort(rng), 53, "UDP", duration, "");
  }

  @Override
  protected double gapMillis() {
    return Distributions.exponential(rng, meanGapMillis);
  }
}
