package io.netanomaly.core.synth;

import io.netanomaly.core.schema.FlowRecord;
import java.util.SplittableRandom;

/**
 * Traffic on a port known from backdoors, IRC botnets and remote shells (see
 * {@link Scenario#SUSPICIOUS_PORT}). Mutable, not thread-safe.
 */
final class SuspiciousPortEpisode extends Episode {
  /** Metasploit, elite/Back Orifice, IRC, NetBus, ADB, SubSeven, Mydoom, Sasser and friends. */
  static final int[] PORTS = {4444, 31337, 6667, 6666, 1337, 12345, 12346, 5555, 27374, 20034,
      54321, 1234, 2323, 3127, 9996};

  private final String src;
  private final String dst;
  private final int dstPort;
  private final boolean irc;

  SuspiciousPortEpisode(double startMillis, long order, SplittableRandom rng, AddressPlan plan) {
    super(Scenario.SUSPICIOUS_PORT, startMillis, order, rng, plan);
    if (rng.nextDouble() < 0.7) {
      src = plan.anyClient(rng);
      dst = plan.unfamiliarExternal(rng);
    } else {
      src = plan.unfamiliarExternal(rng);
      dst = rng.nextDouble() < 0.5 ? plan.anyClient(rng) : plan.anyInternalServer(rng);
    }
    dstPort = Distributions.pick(rng, PORTS);
    irc = dstPort == 6667 || dstPort == 6666;
  }

  @Override
  protected FlowRecord flow(double millis, int index) {
    int srcPort = Distributions.ephemeralPort(rng);
    if (rng.nextDouble() < 0.2) {
      if (rng.nextDouble() < 0.5) {
        counts.exact(44, 0, 1, 0);
        return record(millis, src, dst, srcPort, dstPort, "TCP", 0, "S");
      }
      counts.exact(44, 40, 1, 1);
      return record(millis, src, dst, srcPort, dstPort, "TCP", roundTrip(), "SR");
    }
    double sent;
    double received;
    double duration;
    if (irc) {
      sent = Distributions.lognormal(rng, 2_000, 1.0, 300, 1e6);
      received = Distributions.lognormal(rng, 20_000, 1.2, 500, 1e7);
      duration = Distributions.lognormal(rng, 900, 1.0, 30, 4 * 3_600);
    } else {
      sent = Distributions.lognormal(rng, 3_000, 1.5, 200, 1e7);
      received = Distributions.lognormal(rng, 8_000, 1.8, 200, 5e7);
      duration = Distributions.lognormal(rng, 30, 1.5, 0.5, 3_600);
    }
    boolean reset = rng.nextDouble() < 0.2;
    counts.tcp(rng, sent, received, reset ? 5 : 4, 2);
    return record(millis, src, dst, srcPort, dstPort, "TCP", duration, reset ? "SAPRF" : "SAPF");
  }

  @Override
  protected double gapMillis() {
    return Distributions.uniform(rng, 1_000, 90_000);
  }
}
