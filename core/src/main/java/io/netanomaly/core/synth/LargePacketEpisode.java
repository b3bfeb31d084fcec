package io.netanomaly.core.synth;

import io.netanomaly.core.schema.FlowRecord;
import java.util.SplittableRandom;

/**
 * Packets bigger than the path MTU allows: oversized pings or jumbo UDP (see
 * {@link Scenario#LARGE_PACKET}). Mutable, not thread-safe.
 */
final class LargePacketEpisode extends Episode {
  private static final int[] JUMBO_PORTS = {2049, 4789, 5001, 9000, 11211};

  private final boolean icmp;
  private final String src;
  private final String dst;
  private final int dstPort;

  LargePacketEpisode(double startMillis, long order, SplittableRandom rng, AddressPlan plan) {
    super(Scenario.LARGE_PACKET, startMillis, order, rng, plan);
    icmp = rng.nextDouble() < 0.55;
    if (icmp) {
      src = rng.nextDouble() < 0.5 ? plan.unfamiliarExternal(rng) : plan.anyClient(rng);
      dst = plan.anyInternalServer(rng);
      dstPort = 0;
    } else {
      src = plan.anyClient(rng);
      dst = rng.nextDouble() < 0.5 ? plan.unfamiliarExternal(rng) : plan.anyInternalServer(rng);
      dstPort = rng.nextDouble() < 0.6 ? Distributions.pick(rng, JUMBO_PORTS) : rng.nextInt(1024, 65536);
    }
  }

  @Override
  protected FlowRecord flow(double millis, int index) {
    if (icmp) {
      long size = Math.round(Distributions.uniform(rng, 8_000, 65_500));
      int packets = Distributions.uniformInt(rng, 1, 8);
      int replies = rng.nextDouble() < 0.5 ? packets : 0;
      counts.exact(size * packets, size * replies, packets, replies);
      double duration = (packets - 1) + (replies > 0 ? roundTrip() : 0);
      return record(millis, src, dst, 0, 0, "ICMP", duration, "");
    }
    long size = Math.round(Distributions.uniform(rng, 8_900, 9_216));
    int packets = (int) Math.round(Distributions.logUniform(rng, 5, 200));
    // a long burst may draw a few small replies (ICMP errors, application acks)
    int replies = packets >= 50 && rng.nextDouble() < 0.3 ? Distributions.uniformInt(rng, 1, 3) : 0;
    counts.exact(size * packets, 64L * replies, packets, replies);
    double duration = packets * Distributions.uniform(rng, 0.0005, 0.01);
    return record(millis, src, dst, Distributions.ephemeralPort(rng), dstPort, "UDP", duration, "");
  }

  @Override
  protected double gapMillis() {
    return Distributions.exponential(rng, 2_000);
  }
}
