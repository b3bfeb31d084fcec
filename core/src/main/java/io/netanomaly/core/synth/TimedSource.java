package io.netanomaly.core.synth;

/**
 * Something in the simulator's event queue: the normal traffic process, a scenario's episode
 * scheduler or a running episode. The queue orders by {@link #nextMillis}, then by
 * {@link #order} (creation order) so that ties resolve the same way on every run. Mutable, not
 * thread-safe; {@link #nextMillis} changes only while the source is out of the queue.
 */
abstract class TimedSource {
  /** Event time of this source's next event, epoch milliseconds with a fraction. */
  double nextMillis;
  /** Creation rank, the tie-breaker between equal times. */
  final long order;

  TimedSource(double nextMillis, long order) {
    this.nextMillis = nextMillis;
    this.order = order;
  }
}
