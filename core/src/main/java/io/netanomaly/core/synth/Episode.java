package io.netanomaly.core.synth;

import io.netanomaly.core.schema.FlowRecord;
import java.util.SplittableRandom;

/**
 * One occurrence of a {@link Scenario}: a fixed number of anomalous flows with their own event-time
 * spacing, emitted one by one as the simulator's clock reaches them. Subclasses fix the actors
 * (source, target, port) when constructed and describe each flow and the gap before the next.
 * Mutable, not thread-safe.
 */
abstract class Episode extends TimedSource {
  /** Smallest and largest number of flows per episode, by scenario ordinal. */
  private static final int[] MIN_ROWS = {20, 40, 1, 20, 20, 20, 1, 1, 1, 1};
  private static final int[] MAX_ROWS = {100, 160, 3, 80, 100, 80, 5, 6, 1, 5};
  /** Longest event-time span of an episode, by scenario ordinal, in seconds. */
  private static final double[] SPAN_SECONDS = {300, 60, 300, 600, 300, 5_400, 600, 120, 0, 300};
  /** Mean delay from an episode's start to one of its flows, by scenario ordinal, in seconds. */
  private static final double[] LAG_SECONDS = {1, 0.5, 30, 40, 13, 1_100, 45, 4, 0, 30};

  final Scenario scenario;
  /** Flows in this episode. */
  final int rows;
  private int emitted;
  protected final SplittableRandom rng;
  protected final AddressPlan plan;
  protected final FlowCounts counts = new FlowCounts();

  protected Episode(Scenario scenario, double startMillis, long order, SplittableRandom rng,
      AddressPlan plan) {
    super(startMillis, order);
    this.scenario = scenario;
    this.rng = rng;
    this.plan = plan;
    this.rows = Distributions.uniformInt(rng, MIN_ROWS[scenario.ordinal()], MAX_ROWS[scenario.ordinal()]);
  }

  /** A new episode of {@code scenario} whose first flow is at {@code startMillis}. */
  static Episode start(Scenario scenario, double startMillis, long order, SplittableRandom rng,
      AddressPlan plan) {
    switch (scenario) {
      case PORT_SCAN: return new PortScanEpisode(startMillis, order, rng, plan);
      case SYN_FLOOD: return new SynFloodEpisode(startMillis, order, rng, plan);
      case DATA_EXFILTRATION: return new ExfiltrationEpisode(startMillis, order, rng, plan);
      case BRUTE_FORCE: return new BruteForceEpisode(startMillis, order, rng, plan);
      case DNS_TUNNELING: return new DnsTunnelEpisode(startMillis, order, rng, plan);
      case BEACONING: return new BeaconEpisode(startMillis, order, rng, plan);
      case SUSPICIOUS_PORT: return new SuspiciousPortEpisode(startMillis, order, rng, plan);
      case LARGE_PACKET: return new LargePacketEpisode(startMillis, order, rng, plan);
      case LONG_DURATION: return new LongDurationEpisode(startMillis, order, rng, plan);
      case UNKNOWN_PROTOCOL: return new UnknownProtocolEpisode(startMillis, order, rng, plan);
      default: throw new IllegalArgumentException("no episode for " + scenario);
    }
  }

  /** Expected flows per episode of {@code scenario}. */
  static double meanRows(Scenario scenario) {
    return (MIN_ROWS[scenario.ordinal()] + MAX_ROWS[scenario.ordinal()]) / 2.0;
  }

  /** How long before the stream's start episodes must begin to be under way at the start, seconds. */
  static double spanSeconds(Scenario scenario) {
    return SPAN_SECONDS[scenario.ordinal()];
  }

  /**
   * Mean delay from an episode's start to one of its flows, seconds: its scheduler starts
   * episodes at the rate its flows will be due, not the rate at the start.
   */
  static double lagSeconds(Scenario scenario) {
    return LAG_SECONDS[scenario.ordinal()];
  }

  /** The flow at {@link #nextMillis}; then moves {@link #nextMillis} to the next flow, if any. */
  final FlowRecord emit() {
    FlowRecord flow = flow(nextMillis, emitted);
    emitted++;
    if (emitted < rows) {
      nextMillis += gapMillis();
    }
    return flow;
  }

  /** True once every flow has been emitted. */
  final boolean finished() {
    return emitted >= rows;
  }

  /** Flow number {@code index} (from 0) at {@code millis}. */
  protected abstract FlowRecord flow(double millis, int index);

  /** Event time between this flow and the next, milliseconds. */
  protected abstract double gapMillis();

  /** The record with this episode's label. */
  protected final FlowRecord record(double millis, String src, String dst, int srcPort, int dstPort,
      String protocol, double durationSeconds, String flags) {
    return counts.record(millis, src, dst, srcPort, dstPort, protocol, durationSeconds, flags, 1,
        scenario.label());
  }

  /** A round-trip time inside a LAN or across the internet, seconds. */
  protected final double roundTrip() {
    return Distributions.lognormal(rng, 0.002, 1.2, 0.0001, 0.4);
  }
}
