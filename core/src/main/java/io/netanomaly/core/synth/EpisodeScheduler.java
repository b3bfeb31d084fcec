package io.netanomaly.core.synth;

import java.util.SplittableRandom;

/**
 * Decides when episodes of one scenario begin so that the scenario's flows make up a fixed share
 * of all rows. Credit, in rows, accrues at the scenario's row rate (which follows the
 * {@link ActivityProfile} like normal traffic, so the share holds at every hour); an episode
 * starts when the credit reaches a jittered threshold and costs its row count. Because credit is
 * bounded, the scenario's row count stays within about one episode of its target at any point in
 * the stream, instead of drifting as a Poisson count of whole episodes would. Mutable, not
 * thread-safe.
 */
final class EpisodeScheduler extends TimedSource {
  final Scenario scenario;
  private final SplittableRandom rng;
  private final ActivityProfile profile;
  private final double rowsPerIntensity;
  private final double meanRows;
  private final double lagMillis;
  private double credit;
  private double threshold;

  /**
   * @param rowsPerSecond weekly mean rate of this scenario's rows
   * @param fromMillis when the scheduler starts accruing credit (before the stream's start, so
   *     long episodes are already under way when it begins)
   */
  EpisodeScheduler(Scenario scenario, SplittableRandom rng, ActivityProfile profile,
      double rowsPerSecond, double fromMillis, long order) {
    super(fromMillis, order);
    this.scenario = scenario;
    this.rng = rng;
    this.profile = profile;
    this.rowsPerIntensity = rowsPerSecond;
    this.meanRows = Episode.meanRows(scenario);
    this.lagMillis = Episode.lagSeconds(scenario) * 1000.0;
    // a random phase, as if the process had been running for a long time
    this.credit = -Distributions.uniform(rng, 0, meanRows);
    this.threshold = drawThreshold();
    scheduleNext();
  }

  private double drawThreshold() {
    return Distributions.uniform(rng, -0.2, 0.2) * meanRows;
  }

  private void scheduleNext() {
    if (credit < threshold) {
      // credit accrues at the rate in force when the episode's flows will be emitted, so
      // long episodes keep their share while the daily rate rises or falls
      nextMillis = profile.advance(nextMillis + lagMillis, (threshold - credit) / rowsPerIntensity)
          - lagMillis;
    }
  }

  /** Starts an episode at {@link #nextMillis} and schedules the next one. */
  Episode startEpisode(AddressPlan plan, long episodeOrder) {
    Episode episode = Episode.start(scenario, nextMillis, episodeOrder, rng.split(), plan);
    credit = threshold - episode.rows;
    threshold = drawThreshold();
    scheduleNext();
    return episode;
  }
}
