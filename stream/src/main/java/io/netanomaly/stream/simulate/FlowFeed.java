package io.netanomaly.stream.simulate;

import io.netanomaly.core.schema.FlowRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.function.BooleanSupplier;

/** Writes paced flows as JSON Lines to one stream ({@code simulate --out -}). Stateless. */
public final class FlowFeed {
  private FlowFeed() {}

  /**
   * Writes flows until {@code count} are written (0 = endless), {@code stopped} says so, or the
   * stream fails. Paced lines are flushed one by one so a reader sees them live; unpaced output
   * is buffered by the caller's stream.
   *
   * @param rate flows per second, 0 for as fast as possible
   * @return flows written
   */
  public static long write(Iterator<FlowRecord> flows, OutputStream out, double rate, long count,
      BooleanSupplier stopped) throws IOException {
    FlowLineEncoder encoder = new FlowLineEncoder();
    Pacer pacer = new Pacer(rate);
    long n = 0;
    while ((count == 0 || n < count) && !stopped.getAsBoolean()) {
      pacer.awaitNext();
      out.write(encoder.encode(flows.next()));
      if (rate > 0) {
        out.flush();
      }
      n++;
    }
    out.flush();
    return n;
  }
}
