package io.netanomaly.core.synth;

import io.netanomaly.core.schema.FlowRecord;
import java.util.SplittableRandom;

/**
 * Traffic over an IP protocol other than TCP, UDP and ICMP: tunnels, IPsec, SCTP signalling or an
 * unassigned protocol number (see {@link Scenario#UNKNOWN_PROTOCOL}). Mutable, not thread-safe.
 */
final class UnknownProtocolEpisode extends Episode {
  private static final int[] SCTP_PORTS = {2905, 3868, 36412, 9899, 5060};

  private final String protocol;
  private final String src;
  private final String dst;
  private final int dstPort;

  UnknownProtocolEpisode(double startMillis, long order, SplittableRandom rng, AddressPlan plan) {
    super(Scenario.UNKNOWN_PROTOCOL, startMillis, order, rng, plan);
    double r = rng.nextDouble();
    if (r < 0.3) {
      protocol = "GRE";
    } else if (r < 0.5) {
      protocol = "ESP";
    } else if (r < 0.55) {
      protocol = "AH";
    } else if (r < 0.7) {
      protocol = "SCTP";
    } else if (r < 0.85) {
      protocol = rng.nextDouble() < 0.5 ? "253" : "254"; // RFC 3692 experimental
    } else {
      protocol = Integer.toString(rng.nextInt(143, 253)); // unassigned
    }
    if (rng.nextDouble() < 0.6) {
      src = plan.anyClient(rng);
      dst = plan.unfamiliarExternal(rng);
    } else {
      src = plan.unfamiliarExternal(rng);
      dst = plan.anyInternalServer(rng);
    }
    dstPort = protocol.equals("SCTP") ? Distributions.pick(rng, SCTP_PORTS) : 0;
  }

  @Override
  protected FlowRecord flow(double millis, int index) {
    int packets = (int) Math.round(Distributions.logUniform(rng, 1, 200));
    long size = Math.round(Distributions.uniform(rng, 60, 1_400));
    int replies = rng.nextDouble() < 0.5 ? (int) Math.round(packets * Distributions.uniform(rng, 0.5, 1.2)) : 0;
    counts.exact(size * packets, size * replies, packets, replies);
    double duration = packets == 1 && replies == 0 ? 0 : Distributions.lognormal(rng, 10, 1.5, 0.001, 3_600);
    int srcPort = dstPort == 0 ? 0 : Distributions.ephemeralPort(rng);
    return record(millis, src, dst, srcPort, dstPort, protocol, duration, "");
  }

  @Override
  protected double gapMillis() {
    return Distributions.uniform(rng, 1_000, 60_000);
  }
}
