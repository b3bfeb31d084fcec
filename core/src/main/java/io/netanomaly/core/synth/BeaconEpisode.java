package io.netanomaly.core.synth;

import io.netanomaly.core.schema.FlowRecord;
import java.util.SplittableRandom;

/**
 * Malware calling home on a timer (see {@link Scenario#BEACONING}). Mutable, not thread-safe.
 */
final class BeaconEpisode extends Episode {
  private final String src;
  private final String dst;
  private final int dstPort;
  private final double intervalMillis;
  private final double jitter;
  private final double sentBase;
  private final double receivedBase;
  private final double durationBase;

  BeaconEpisode(double startMillis, long order, SplittableRandom rng, AddressPlan plan) {
    super(Scenario.BEACONING, startMillis, order, rng, plan);
    src = plan.anyClient(rng);
    dst = plan.unfamiliarExternal(rng);
    double r = rng.nextDouble();
    dstPort = r < 0.45 ? 443 : r < 0.65 ? 8443 : r < 0.8 ? 8080 : r < 0.9 ? 80 : 4444;
    intervalMillis = Distributions.uniform(rng, 30_000, 60_000);
    jitter = Distributions.uniform(rng, 0, 0.1);
    boolean tls = dstPort == 443 || dstPort == 8443;
    // a TLS handshake (certificate chain) dominates a check-in over HTTPS
    sentBase = tls ? Distributions.uniform(rng, 1_200, 2_200) : Distributions.uniform(rng, 200, 600);
    receivedBase = tls ? Distributions.uniform(rng, 3_000, 6_000) : Distributions.uniform(rng, 150, 800);
    durationBase = Distributions.lognormal(rng, 0.15, 0.5, 0.02, 2);
  }

  @Override
  protected FlowRecord flow(double millis, int index) {
    boolean task = rng.nextDouble() < 0.05;
    double received = task ? receivedBase * Distributions.uniform(rng, 3, 20)
        : Distributions.jitter(rng, receivedBase, 0.03);
    counts.tcp(rng, Distributions.jitter(rng, sentBase, 0.03), received, 4, 2);
    return record(millis, src, dst, Distributions.ephemeralPort(rng), dstPort, "TCP",
        Distributions.jitter(rng, durationBase, 0.2), "SAPF");
  }

  @Override
  protected double gapMillis() {
    return Distributions.jitter(rng, intervalMillis, jitter);
  }
}
