package io.netanomaly.core.synth;

import io.netanomaly.core.schema.FlowRecord;
import java.util.BitSet;
import java.util.SplittableRandom;

/**
 * A SYN scan: one source probes many ports of one target in quick succession (see
 * {@link Scenario#PORT_SCAN}). Mutable, not thread-safe.
 */
final class PortScanEpisode extends Episode {
  /** The most probed TCP ports, in nmap's frequency order. */
  private static final int[] TOP_PORTS = {
      80, 23, 443, 21, 22, 25, 3389, 110, 445, 139, 143, 53, 135, 3306, 8080, 1723, 111, 995, 993,
      5900, 1025, 587, 8888, 199, 1720, 465, 548, 113, 81, 6001, 10000, 514, 5060, 179, 1026, 2000,
      8443, 8000, 32768, 554, 26, 1433, 49152, 2001, 515, 8008, 49154, 1027, 5666, 646, 5000, 5631,
      631, 49153, 8081, 2049, 88, 79, 5800, 106, 2121, 1110, 49155, 6000, 513, 990, 5357, 427,
      49156, 543, 544, 5101, 144, 7, 389};
  private static final int SYN_BYTES = 44;
  private static final int RST_BYTES = 40;

  private final String src;
  private final String dst;
  private final int fixedSrcPort;
  private final double meanGapMillis;
  private final double filteredShare;
  private final int[] ports;

  PortScanEpisode(double startMillis, long order, SplittableRandom rng, AddressPlan plan) {
    super(Scenario.PORT_SCAN, startMillis, order, rng, plan);
    boolean insider = rng.nextDouble() < 0.6;
    src = insider ? plan.anyClient(rng) : plan.unfamiliarExternal(rng);
    String target;
    do {
      target = insider && rng.nextDouble() < 0.4 ? plan.anyClient(rng) : plan.anyInternalServer(rng);
    } while (target.equals(src));
    dst = target;
    // raw SYN scanners keep one source port; connect scans take a fresh one per probe
    fixedSrcPort = rng.nextDouble() < 0.7 ? rng.nextInt(1024, 65536) : -1;
    meanGapMillis = Distributions.lognormal(rng, 15, 1.2, 1, 1_000);
    filteredShare = rng.nextDouble() < 0.5 ? 0.9 : 0.05;
    ports = choosePorts(rng, rows);
  }

  private static int[] choosePorts(SplittableRandom rng, int n) {
    int[] out = new int[n];
    double mode = rng.nextDouble();
    if (mode < 0.3) {
      int base = rng.nextDouble() < 0.5 ? 1 : rng.nextInt(1024, 65536 - n);
      for (int i = 0; i < n; i++) {
        out[i] = base + i;
      }
      return out;
    }
    BitSet used = new BitSet(65536);
    int i = 0;
    if (mode < 0.8) {
      int[] top = TOP_PORTS.clone();
      for (int k = top.length - 1; k > 0; k--) { // shuffle: scanners randomise probe order
        int j = rng.nextInt(k + 1);
        int swap = top[k];
        top[k] = top[j];
        top[j] = swap;
      }
      for (; i < n && i < top.length; i++) {
        out[i] = top[i];
        used.set(top[i]);
      }
    }
    while (i < n) {
      int port = rng.nextInt(1, 65536);
      if (!used.get(port)) {
        used.set(port);
        out[i++] = port;
      }
    }
    return out;
  }

  @Override
  protected FlowRecord flow(double millis, int index) {
    int srcPort = fixedSrcPort > 0 ? fixedSrcPort : Distributions.ephemeralPort(rng);
    double r = rng.nextDouble();
    if (r < 0.03) {
      // open: SYN-ACK back, the scanner resets
      counts.exact(SYN_BYTES + RST_BYTES, SYN_BYTES, 2, 1);
      return record(millis, src, dst, srcPort, ports[index], "TCP", roundTrip(), "SAR");
    }
    if (rng.nextDouble() < filteredShare) {
      // dropped by a firewall; the scanner retries some probes once
      int probes = rng.nextDouble() < 0.3 ? 2 : 1;
      counts.exact((long) SYN_BYTES * probes, 0, probes, 0);
      double duration = probes == 2 ? Distributions.uniform(rng, 0.5, 1.5) : 0;
      return record(millis, src, dst, srcPort, ports[index], "TCP", duration, "S");
    }
    counts.exact(SYN_BYTES, RST_BYTES, 1, 1);
    return record(millis, src, dst, srcPort, ports[index], "TCP", roundTrip(), "SR");
  }

  @Override
  protected double gapMillis() {
    return Distributions.exponential(rng, meanGapMillis);
  }
}
