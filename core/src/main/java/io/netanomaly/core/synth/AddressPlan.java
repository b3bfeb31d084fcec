package io.netanomaly.core.synth;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The simulated network's addresses, fixed for a seed: internal clients on 10.20.0.0/14 with
 * unequal activity (a few busy hosts, many quiet ones), internal servers by role on 10.0.0.0/16,
 * and a pool of external servers whose popularity follows a Zipf law (a handful of CDNs and cloud
 * front ends take most connections). Immutable after construction; reading it is thread-safe.
 */
final class AddressPlan {
  /** Public resolvers clients sometimes query directly. */
  static final String[] PUBLIC_RESOLVERS = {"8.8.8.8", "8.8.4.4", "1.1.1.1", "9.9.9.9", "208.67.222.222"};
  /** First octets of widely used, routable unicast space (no private, test or multicast ranges). */
  private static final int[] PUBLIC_FIRST_OCTETS = {
      3, 8, 13, 17, 18, 20, 23, 31, 34, 35, 40, 44, 45, 46, 51, 52, 54, 62, 63, 64, 66, 69, 74, 77,
      78, 80, 81, 82, 85, 87, 88, 91, 93, 95, 104, 107, 108, 130, 134, 137, 138, 139, 140, 141, 142,
      143, 144, 146, 147, 151, 152, 155, 157, 159, 162, 164, 165, 167, 170, 176, 178, 185, 188, 193,
      194, 195, 199, 204, 205, 206, 207, 208, 209, 212, 213, 216, 217};
  private static final int EXTERNAL_SERVERS = 400;

  final String[] clients;
  private final double[] clientActivity;
  final String[] dnsResolvers;
  final String[] domainControllers;
  final String[] fileServers;
  final String mailServer;
  final String[] intranetServers;
  final String[] appServers;
  final String[] databaseServers;
  final String[] sshServers;
  final String[] rdpHosts;
  final String ntpServer;
  final String[] webServers;
  final String ftpServer;
  final String[] externalServers;
  private final double[] externalPopularity;
  private final String[][] roles;
  /** Every address of the plan, so that unfamiliar ones can avoid them. */
  private final Set<String> known = new HashSet<>();

  AddressPlan(SplittableRandom rng, int clientCount) {
    Set<String> taken = known;
    clients = new String[clientCount];
    clientActivity = new double[clientCount];
    double activity = 0;
    for (int i = 0; i < clientCount; i++) {
      String ip;
      do {
        ip = "10." + (20 + rng.nextInt(4)) + "." + rng.nextInt(0, 64) + "." + rng.nextInt(10, 250);
      } while (!taken.add(ip));
      clients[i] = ip;
      activity += Distributions.lognormal(rng, 1.0, 1.0);
      clientActivity[i] = activity;
    }
    dnsResolvers = servers(rng, taken, 0, 2);
    domainControllers = servers(rng, taken, 0, 2);
    ntpServer = servers(rng, taken, 0, 1)[0];
    mailServer = servers(rng, taken, 1, 1)[0];
    fileServers = servers(rng, taken, 2, 3);
    intranetServers = servers(rng, taken, 3, 2);
    webServers = servers(rng, taken, 4, 3);
    ftpServer = servers(rng, taken, 4, 1)[0];
    appServers = servers(rng, taken, 10, 6);
    databaseServers = servers(rng, taken, 20, 3);
    sshServers = servers(rng, taken, 30, 6);
    rdpHosts = servers(rng, taken, 40, 3);

    roles = new String[][] {dnsResolvers, domainControllers, fileServers, intranetServers,
        webServers, appServers, databaseServers, sshServers, rdpHosts};
    externalServers = new String[EXTERNAL_SERVERS];
    externalPopularity = new double[EXTERNAL_SERVERS];
    double popularity = 0;
    for (int i = 0; i < EXTERNAL_SERVERS; i++) {
      String ip;
      do {
        ip = randomPublic(rng);
      } while (!taken.add(ip));
      externalServers[i] = ip;
      popularity += 1.0 / (i + 1); // Zipf, exponent 1
      externalPopularity[i] = popularity;
    }
  }

  private String[] servers(SplittableRandom rng, Set<String> taken, int subnet, int count) {
    String[] out = new String[count];
    for (int i = 0; i < count; i++) {
      String ip;
      do {
        ip = "10.0." + subnet + "." + rng.nextInt(2, 250);
      } while (!taken.add(ip));
      out[i] = ip;
    }
    return out;
  }

  /** A client, busier hosts more often. */
  String client(SplittableRandom rng) {
    return clients[Distributions.pickCumulative(rng, clientActivity)];
  }

  /** A client chosen uniformly: compromised hosts are not necessarily the busy ones. */
  String anyClient(SplittableRandom rng) {
    return clients[rng.nextInt(clients.length)];
  }

  /** An external server, popular ones more often. */
  String externalServer(SplittableRandom rng) {
    return externalServers[Distributions.pickCumulative(rng, externalPopularity)];
  }

  /** An internal server of any role. */
  String anyInternalServer(SplittableRandom rng) {
    return Distributions.pick(rng, roles[rng.nextInt(roles.length)]);
  }

  /** A public address outside the usual server pool: an attacker, a drop site, a C2 server. */
  String unfamiliarExternal(SplittableRandom rng) {
    String ip;
    do {
      ip = randomPublic(rng);
    } while (known.contains(ip));
    return ip;
  }

  private static String randomPublic(SplittableRandom rng) {
    return Distributions.pick(rng, PUBLIC_FIRST_OCTETS) + "." + rng.nextInt(256) + "."
        + rng.nextInt(256) + "." + rng.nextInt(1, 255);
  }
}
