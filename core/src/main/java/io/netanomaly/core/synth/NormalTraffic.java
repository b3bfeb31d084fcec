package io.netanomaly.core.synth;

import static io.netanomaly.core.synth.Distributions.ephemeralPort;
import static io.netanomaly.core.synth.Distributions.logUniform;
import static io.netanomaly.core.synth.Distributions.lognormal;
import static io.netanomaly.core.synth.Distributions.pareto;
import static io.netanomaly.core.synth.Distributions.pick;
import static io.netanomaly.core.synth.Distributions.uniform;
import static io.netanomaly.core.synth.Distributions.uniformInt;

import io.netanomaly.core.schema.FlowRecord;
import java.util.SplittableRandom;

/**
 * The benign background: a Poisson stream of flows whose rate follows the {@link ActivityProfile},
 * each drawn from a service mix (web over TLS and QUIC dominant, DNS, mail, directory, file
 * sharing, databases, remote administration, NTP, ping) with per-service heavy-tailed sizes and
 * durations. Mutable, not thread-safe.
 */
final class NormalTraffic extends TimedSource {
  static final String NORMAL = "normal";

  private static final int HTTPS = 0, HTTP = 1, QUIC = 2, DNS_INTERNAL = 3, DNS_PUBLIC = 4,
      DNS_FORWARD = 5, NTP = 6, SSH = 7, SMTP_SUBMIT = 8, SMTP_RELAY = 9, IMAPS = 10, LDAP = 11,
      KERBEROS = 12, SMB = 13, RDP = 14, DATABASE = 15, INTRANET = 16, PING = 17;
  /** Relative share of flows per service, indexed by the constants above. */
  private static final double[] SERVICE_WEIGHTS = {
      38, 5, 5, 15, 1, 3, 1.5, 2, 1, 1, 3, 3, 2, 4, 1, 7, 3, 1.5};

  private final SplittableRandom rng;
  private final AddressPlan plan;
  private final ActivityProfile profile;
  private final double flowsPerSecond;
  private final double[] serviceCumulative = new double[SERVICE_WEIGHTS.length];
  private final FlowCounts counts = new FlowCounts();

  /**
   * @param flowsPerSecond weekly mean rate of normal flows
   * @param fromMillis the first flow comes after this instant
   */
  NormalTraffic(SplittableRandom rng, AddressPlan plan, ActivityProfile profile,
      double flowsPerSecond, double fromMillis, long order) {
    super(fromMillis, order);
    this.rng = rng;
    this.plan = plan;
    this.profile = profile;
    this.flowsPerSecond = flowsPerSecond;
    double sum = 0;
    for (int i = 0; i < SERVICE_WEIGHTS.length; i++) {
      sum += SERVICE_WEIGHTS[i];
      serviceCumulative[i] = sum;
    }
    advance();
  }

  private void advance() {
    nextMillis = profile.advance(nextMillis, Distributions.exponential(rng, 1.0) / flowsPerSecond);
  }

  /** The flow at {@link #nextMillis}; moves {@link #nextMillis} to the following arrival. */
  FlowRecord emit() {
    FlowRecord flow = flow(nextMillis);
    advance();
    return flow;
  }

  private FlowRecord flow(double t) {
    switch (Distributions.pickCumulative(rng, serviceCumulative)) {
      case HTTPS:
        return web(t, plan.client(rng), plan.externalServer(rng), 443, 1.0);
      case HTTP:
        return web(t, plan.client(rng), plan.externalServer(rng), 80, 0.4);
      case QUIC: {
        double sent = lognormal(rng, 4_000, 1.1, 1_200, 5e6);
        double received = lognormal(rng, 60_000, 1.8, 1_200, 2e9);
        double duration = lognormal(rng, 5, 1.3, 0.05, 3_600);
        counts.udp(sent, received, uniform(rng, 1_150, 1_350));
        return counts.record(t, plan.client(rng), plan.externalServer(rng), ephemeralPort(rng), 443,
            "UDP", duration, "", 0, NORMAL);
      }
      case DNS_INTERNAL:
        return dns(t, plan.client(rng), pick(rng, plan.dnsResolvers));
      case DNS_PUBLIC:
        return dns(t, plan.client(rng), pick(rng, AddressPlan.PUBLIC_RESOLVERS));
      case DNS_FORWARD:
        return dns(t, pick(rng, plan.dnsResolvers), pick(rng, AddressPlan.PUBLIC_RESOLVERS));
      case NTP: {
        boolean internal = rng.nextDouble() < 0.7;
        String src = internal ? plan.client(rng) : plan.ntpServer;
        String dst = internal ? plan.ntpServer : plan.externalServer(rng);
        counts.udp(76, 76, 76);
        return counts.record(t, src, dst, internal ? ephemeralPort(rng) : 123, 123, "UDP",
            lognormal(rng, 0.02, 0.6, 0.0005, 1), "", 0, NORMAL);
      }
      case SSH: {
        boolean copy = rng.nextDouble() < 0.1;
        double sent = copy ? pareto(rng, 1e6, 1.2, 4e9) : lognormal(rng, 40_000, 2.0, 2_000, 5e8);
        double received = lognormal(rng, 120_000, 2.2, 2_500, 2e9);
        double duration = copy ? sent / lognormal(rng, 20e6, 0.8) + uniform(rng, 1, 5)
            : lognormal(rng, 180, 1.6, 1, 8 * 3_600);
        return tcp(t, plan.client(rng), pick(rng, plan.sshServers), 22, sent, received, duration);
      }
      case SMTP_SUBMIT:
        return tcp(t, plan.client(rng), plan.mailServer, 587, lognormal(rng, 30_000, 1.5, 800, 5e7),
            lognormal(rng, 2_000, 0.4, 600, 20_000), lognormal(rng, 1.0, 0.8, 0.05, 300));
      case SMTP_RELAY:
        return tcp(t, plan.mailServer, plan.externalServer(rng), 25,
            lognormal(rng, 25_000, 1.5, 800, 5e7), lognormal(rng, 1_800, 0.4, 600, 20_000),
            lognormal(rng, 1.5, 0.9, 0.05, 600));
      case IMAPS:
        return tcp(t, plan.client(rng), plan.mailServer, 993, lognormal(rng, 3_000, 1.0, 600, 1e6),
            lognormal(rng, 40_000, 2.0, 1_000, 5e8), lognormal(rng, 30, 2.0, 0.1, 8 * 3_600));
      case LDAP:
        return tcp(t, plan.client(rng), pick(rng, plan.domainControllers),
            rng.nextDouble() < 0.8 ? 389 : 636, lognormal(rng, 1_500, 0.8, 200, 1e6),
            lognormal(rng, 4_000, 1.0, 200, 1e7), lognormal(rng, 0.2, 1.0, 0.002, 600));
      case KERBEROS:
        return tcp(t, plan.client(rng), pick(rng, plan.domainControllers), 88,
            lognormal(rng, 1_600, 0.3, 400, 20_000), lognormal(rng, 1_700, 0.3, 400, 20_000),
            lognormal(rng, 0.02, 0.8, 0.001, 5));
      case SMB:
        return tcp(t, plan.client(rng), pick(rng, plan.fileServers), 445,
            lognormal(rng, 4_000, 1.6, 300, 2e9), lognormal(rng, 60_000, 2.5, 300, 4e9),
            lognormal(rng, 10, 2.0, 0.01, 8 * 3_600));
      case RDP:
        return tcp(t, plan.client(rng), pick(rng, plan.rdpHosts), 3389,
            lognormal(rng, 300_000, 1.5, 5_000, 1e9), lognormal(rng, 5e6, 1.5, 20_000, 4e9),
            lognormal(rng, 900, 1.2, 5, 8 * 3_600));
      case DATABASE: {
        int db = rng.nextInt(plan.databaseServers.length);
        int port = db == plan.databaseServers.length - 1 ? 3306 : 5432;
        return tcp(t, pick(rng, plan.appServers), plan.databaseServers[db], port,
            lognormal(rng, 1_200, 1.0, 100, 5e7), lognormal(rng, 6_000, 1.8, 100, 1e9),
            lognormal(rng, 0.05, 1.2, 0.0005, 600));
      }
      case INTRANET:
        return web(t, plan.client(rng), pick(rng, plan.intranetServers), 443, 0.5);
      case PING:
        return ping(t);
      default:
        throw new IllegalStateException("service index out of range");
    }
  }

  /** Web request over TCP: mostly page loads, sometimes large downloads or uploads. */
  private FlowRecord web(double t, String src, String dst, int port, double sizeScale) {
    double kind = rng.nextDouble();
    double sent;
    double received;
    double duration;
    if (kind < 0.03) {
      received = pareto(rng, 2e6, 1.2, 4e9);
      sent = lognormal(rng, 2_000, 0.8, 400, 1e6);
      duration = received / lognormal(rng, 4e6, 0.8) + lognormal(rng, 0.5, 0.8);
    } else if (kind < 0.04) {
      // cloud sync, form posts with attachments
      sent = pareto(rng, 200_000, 1.5, 5e7);
      received = lognormal(rng, 5_000, 0.8, 500, 1e6);
      duration = sent / lognormal(rng, 1.5e6, 0.8) + lognormal(rng, 0.5, 0.8);
    } else {
      sent = lognormal(rng, 1_800 * Math.sqrt(sizeScale), 1.0, 300, 1e6);
      received = lognormal(rng, 25_000 * sizeScale, 1.6, 300, 5e8);
      duration = lognormal(rng, 2, 1.3, 0.005, 3_600);
    }
    return tcp(t, src, dst, port, sent, received, duration);
  }

  private FlowRecord dns(double t, String src, String dst) {
    double query = uniform(rng, 55, 85);
    double r = rng.nextDouble();
    // a few answers are big (many records, DNSSEC); a few queries go unanswered
    double answer = r < 0.02 ? 0 : r < 0.07 ? uniform(rng, 200, 512) : query + uniform(rng, 16, 60);
    counts.udp(query, answer, 512);
    double duration = answer == 0 ? 0 : lognormal(rng, 0.015, 0.8, 0.0002, 2);
    return counts.record(t, src, dst, ephemeralPort(rng), 53, "UDP", duration, "", 0, NORMAL);
  }

  private FlowRecord ping(double t) {
    boolean external = rng.nextDouble() < 0.3;
    String src = plan.client(rng);
    String dst = external ? plan.externalServer(rng) : plan.anyInternalServer(rng);
    int size = rng.nextDouble() < 0.6 ? 84 : 60; // Linux and Windows echo sizes
    int packets = rng.nextDouble() < 0.7 ? 4 : uniformInt(rng, 1, 10);
    int replies = rng.nextDouble() < 0.05 ? 0 : packets;
    counts.exact((long) size * packets, (long) size * replies, packets, replies);
    double duration = replies == 0 ? packets - 1.0 : (packets - 1) + lognormal(rng, 0.01, 1.0, 0.0002, 0.5);
    return counts.record(t, src, dst, 0, 0, "ICMP", duration, "", 0, NORMAL);
  }

  private FlowRecord tcp(double t, String src, String dst, int port, double sent, double received,
      double duration) {
    double r = rng.nextDouble();
    String flags;
    if (r < 0.86) {
      flags = "SAPF";
      counts.tcp(rng, sent, received, 4, 2);
    } else if (r < 0.92) {
      flags = "SAPRF";
      counts.tcp(rng, sent, received, 5, 2);
    } else if (r < 0.95) {
      flags = "SAPR";
      counts.tcp(rng, sent, received, 3, 1);
    } else if (r < 0.985) {
      // opened and closed without data: health checks, speculative preconnects
      flags = "SAF";
      counts.tcp(rng, 0, 0, 4, 2);
      duration = logUniform(rng, 0.001, 30);
    } else {
      flags = "SAR";
      counts.tcp(rng, 0, 0, 3, 1);
      duration = logUniform(rng, 0.0005, 0.5);
    }
    return counts.record(t, src, dst, ephemeralPort(rng), port, "TCP", duration, flags, 0, NORMAL);
  }
}
