package io.netanomaly.core.synth;

import io.netanomaly.core.schema.FlowRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * An endless, deterministic stream of labelled network flows in timestamp order: realistic
 * background traffic with {@link Scenario attack scenarios} mixed in.
 *
 * <h2>Normal traffic (label 0, anomaly type {@code "normal"})</h2>
 * <ul>
 *   <li><b>Addresses</b>, fixed for a seed: a pool of internal clients (10.20.0.0/14) with
 *   lognormal activity weights; internal servers by role on 10.0.0.0/16 (DNS resolvers, domain
 *   controllers, NTP, mail, file, intranet web, public web, FTP, application, database, SSH and
 *   RDP hosts); 400 external servers with Zipf popularity; the big public resolvers.</li>
 *   <li><b>Service mix</b> (approximate share of flows): HTTPS/TCP 443 to the internet 38%, HTTP 80 5%,
 *   QUIC UDP 443 5%, DNS UDP 53 19% (clients to the internal resolvers, some straight to public
 *   ones, resolvers forwarding out), database 5432/3306 from application servers 7%, SMB 445 4%,
 *   intranet HTTPS 3%, LDAP 389/636 3%, IMAPS 993 3%, Kerberos 88 2%, SSH 22 2%, NTP UDP 123
 *   1.5%, ICMP echo 1.5%, SMTP submission 587 1%, SMTP relay 25 1%, RDP 3389 1%.</li>
 *   <li><b>Sizes and durations</b> are heavy-tailed per service (lognormal, Pareto tails): DNS is
 *   one 55–85 byte query and a slightly larger answer within milliseconds; web flows are a small
 *   request and a response of tens of kilobytes within seconds, with 3% large downloads
 *   (Pareto from 2 MB, {@code bytes_received >> bytes_sent}) and 1% uploads; SSH and RDP
 *   sessions last minutes to hours; database queries are tiny and fast.</li>
 *   <li><b>Packets</b>: TCP data goes in segments of at most 1448 payload bytes (no packet above
 *   the 1500-byte MTU), handshake, FIN, RST and acknowledgement packets are 52 bytes and the
 *   receiver of a stream acknowledges every second segment; UDP is one datagram per message.
 *   {@code packet_size} is always {@code (bytes_sent + bytes_received) / (packets_sent +
 *   packets_received)}.</li>
 *   <li><b>Flags</b>: TCP sessions are {@code "SAPF"} (86%), {@code "SAPRF"}, {@code "SAPR"},
 *   and without data {@code "SAF"} or {@code "SAR"}; UDP and ICMP have no flags. Client source
 *   ports are ephemeral (32768–60999).</li>
 *   <li><b>Rhythm</b>: arrivals are an inhomogeneous Poisson process whose rate follows the hour of
 *   the week (UTC): lowest around 03:00, highest around 14:00 on working days, weekends at about a
 *   third of the volume with a flatter curve. {@link Builder#flowsPerSecond} is the weekly mean
 *   rate of all flows, normal and anomalous together.</li>
 * </ul>
 *
 * <h2>Anomalies (label 1, anomaly type {@link Scenario#label()})</h2>
 * <p>Each enabled scenario contributes an equal share of rows, {@code anomalyRatio / scenarios},
 * and its row rate follows the same daily rhythm, so the anomalous share is close to
 * {@code anomalyRatio} over any stretch of a few tens of thousands of rows. Episodes begin when a
 * per-scenario credit reaches a jittered threshold; their flows interleave with normal traffic by
 * timestamp. Episodes that would be under way when the stream starts (a beacon that began an hour
 * earlier) are already running at {@link Builder#startMillis}; their earlier flows are not
 * emitted. See {@link Scenario} for each signature.
 *
 * <h2>Properties</h2>
 * <p>The same builder settings give the same stream; a different seed gives a different network
 * and different traffic. Memory is constant: only the currently running episodes (a few dozen at
 * default rates) are held. Timestamps are non-decreasing. Not thread-safe: one thread iterates.
 */
public final class TrafficSimulator implements Iterator<FlowRecord> {
  /** Default start of event time: Monday 2026-01-05T00:00:00Z. */
  public static final long DEFAULT_START_MILLIS = Instant.parse("2026-01-05T00:00:00Z").toEpochMilli();

  private final long startMillis;
  private final AddressPlan plan;
  private final NormalTraffic normal;
  private final PriorityQueue<TimedSource> queue = new PriorityQueue<>(64,
      Comparator.<TimedSource>comparingDouble(s -> s.nextMillis).thenComparingLong(s -> s.order));
  private long nextOrder;

  private TrafficSimulator(Builder b) {
    this.startMillis = b.startMillis;
    SplittableRandom root = new SplittableRandom(b.seed);
    this.plan = new AddressPlan(root.split(), b.clients);
    ActivityProfile profile = new ActivityProfile();
    SplittableRandom normalRng = root.split();
    if (b.anomalyRatio < 1.0) {
      normal = new NormalTraffic(normalRng, plan, profile, b.flowsPerSecond * (1.0 - b.anomalyRatio),
          startMillis, nextOrder++);
      queue.add(normal);
    } else {
      normal = null;
    }
    if (b.anomalyRatio > 0.0) {
      double rowsPerSecond = b.flowsPerSecond * b.anomalyRatio / b.scenarios.size();
      for (Scenario scenario : b.scenarios) {
        double from = startMillis - Episode.spanSeconds(scenario) * 1000.0;
        queue.add(new EpisodeScheduler(scenario, root.split(), profile, rowsPerSecond, from,
            nextOrder++));
      }
    }
  }

  /** A builder with the defaults described on its setters. */
  public static Builder builder() {
    return new Builder();
  }

  /** Always true: the stream is endless; callers take as many flows as they need. */
  @Override
  public boolean hasNext() {
    return true;
  }

  /** The next flow in timestamp order. */
  @Override
  public FlowRecord next() {
    while (true) {
      TimedSource source = queue.poll();
      FlowRecord flow;
      if (source == normal) {
        flow = normal.emit();
        queue.add(normal);
      } else if (source instanceof Episode) {
        Episode episode = (Episode) source;
        flow = episode.emit();
        if (!episode.finished()) {
          queue.add(episode);
        }
      } else {
        EpisodeScheduler scheduler = (EpisodeScheduler) source;
        queue.add(scheduler.startEpisode(plan, nextOrder++));
        queue.add(scheduler);
        continue;
      }
      if (flow.timestampMillis() >= startMillis) {
        return flow;
      }
    }
  }

  /** Settings for a {@link TrafficSimulator}. Mutable, not thread-safe; build once configured. */
  public static final class Builder {
    private long seed = 42;
    private double anomalyRatio = 0.05;
    private Set<Scenario> scenarios = EnumSet.allOf(Scenario.class);
    private long startMillis = DEFAULT_START_MILLIS;
    private double flowsPerSecond = 50.0;
    private int clients = 200;

    private Builder() {}

    /** Seed of every random choice, including the address plan; default 42. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Expected share of anomalous rows, in [0, 1]; default 0.05. */
    public Builder anomalyRatio(double anomalyRatio) {
      if (!(anomalyRatio >= 0.0 && anomalyRatio <= 1.0)) {
        throw new IllegalArgumentException("anomalyRatio must be in [0, 1], got " + anomalyRatio);
      }
      this.anomalyRatio = anomalyRatio;
      return this;
    }

    /** Scenarios to inject, sharing the anomalous rows equally; default all of them. */
    public Builder scenarios(Collection<Scenario> scenarios) {
      Objects.requireNonNull(scenarios, "scenarios");
      List<Scenario> list = new ArrayList<>(scenarios);
      if (list.contains(null)) {
        throw new IllegalArgumentException("scenarios must not contain null");
      }
      this.scenarios = list.isEmpty() ? EnumSet.noneOf(Scenario.class) : EnumSet.copyOf(list);
      return this;
    }

    /** Event time of the stream's start, epoch milliseconds; default 2026-01-05T00:00:00Z (a Monday). */
    public Builder startMillis(long startMillis) {
      this.startMillis = startMillis;
      return this;
    }

    /** Weekly mean of all flows per second of event time; default 50. */
    public Builder flowsPerSecond(double flowsPerSecond) {
      if (!(flowsPerSecond > 0.0) || Double.isInfinite(flowsPerSecond)) {
        throw new IllegalArgumentException("flowsPerSecond must be positive and finite, got " + flowsPerSecond);
      }
      this.flowsPerSecond = flowsPerSecond;
      return this;
    }

    /** Number of internal client hosts; default 200. */
    public Builder clients(int clients) {
      if (clients < 1 || clients > 50_000) {
        throw new IllegalArgumentException("clients must be in [1, 50000], got " + clients);
      }
      this.clients = clients;
      return this;
    }

    /**
     * The simulator.
     *
     * @throws IllegalArgumentException if anomalies are asked for but no scenario is enabled
     */
    public TrafficSimulator build() {
      if (anomalyRatio > 0.0 && scenarios.isEmpty()) {
        throw new IllegalArgumentException("anomalyRatio is " + anomalyRatio
            + " but no scenario is enabled");
      }
      return new TrafficSimulator(this);
    }
  }
}
