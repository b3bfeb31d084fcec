package io.netanomaly.stream.simulate;

import io.netanomaly.core.schema.FlowRecord;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * A TCP server that streams flows as JSON Lines ({@link FlowLineEncoder}) to every connected
 * client: one generator, fanned out. Each client receives the stream from the moment it connects;
 * every client sees the lines in the same order, each line once.
 *
 * <p><b>Pacing.</b> The generator emits {@code rate} flows per second ({@link Pacer}; 0 = as fast
 * as the fastest client takes them). It starts when {@code waitForClients} clients are connected
 * and pauses while none is, so no flow is generated for nobody: a client that reconnects carries on
 * where the stream stopped.
 *
 * <p><b>Slow clients.</b> Each client has a bounded queue of {@code clientQueueLines} lines written
 * by its own thread. A client whose queue is full is waited for (back-pressure, no loss), but only
 * for {@code slowClientMillis}: a client that has not drained to half its queue by then, while
 * another client's queue is at least half empty, is disconnected with a notice, so one slow client
 * delays the others at most that long. When every client is slow (one client, or all equally
 * slow) nobody is dropped and the stream runs at the pace of the fastest.
 *
 * <p><b>End.</b> With {@code count > 0} the server stops after that many flows: it refuses new
 * clients, lets each connected client drain its queue (up to {@link #DRAIN_MILLIS}) and closes the
 * connections, so a client sees end-of-stream after the last complete line. {@link #close()}
 * stops at once. Binds 127.0.0.1 unless told otherwise. Thread-safe.
 */
public final class SimulatorServer implements AutoCloseable {
  /** Longest a finishing server waits for a client to take its queued lines, milliseconds. */
  public static final long DRAIN_MILLIS = 10_000;

  private final Iterator<FlowRecord> flows;
  private final String host;
  private final int requestedPort;
  private final double rate;
  private final long count;
  private final int waitForClients;
  private final int clientQueueLines;
  private final long slowClientNanos;
  private final Consumer<String> notices;
  private final List<Client> clients = new CopyOnWriteArrayList<>();
  private final Object arrivals = new Object();
  private final AtomicLong sent = new AtomicLong();
  private final CountDownLatch done = new CountDownLatch(1);
  private volatile boolean closed;
  private ServerSocket server;
  private Thread generator;

  private SimulatorServer(Builder b, Iterator<FlowRecord> flows) {
    this.flows = Objects.requireNonNull(flows, "flows");
    this.host = b.host;
    this.requestedPort = b.port;
    this.rate = b.rate;
    this.count = b.count;
    this.waitForClients = b.waitForClients;
    this.clientQueueLines = b.clientQueueLines;
    this.slowClientNanos = TimeUnit.MILLISECONDS.toNanos(b.slowClientMillis);
    this.notices = b.notices;
  }

  /** A builder: 127.0.0.1, port 9999, rate 0, endless, one client to start, 8,192-line queues. */
  public static Builder builder() {
    return new Builder();
  }

  /** Binds the port and starts accepting clients and generating (once enough clients are connected). */
  public synchronized void start() throws IOException {
    if (server != null) {
      throw new IllegalStateException("already started");
    }
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(InetAddress.getByName(host), requestedPort));
    server = s;
    Thread acceptor = new Thread(this::accept, "simulate-accept");
    acceptor.setDaemon(true);
    acceptor.start();
    generator = new Thread(this::generate, "simulate-generator");
    generator.setDaemon(true);
    generator.start();
  }

  /** The bound port (the actual one when 0 was asked for). */
  public int port() {
    return server.getLocalPort();
  }

  /** Flows generated so far. */
  public long sent() {
    return sent.get();
  }

  /** Clients connected now. */
  public int clients() {
    return clients.size();
  }

  /**
   * Waits until the server has finished: {@code count} flows sent and every client drained and
   * disconnected, or {@link #close()}.
   *
   * @return true when finished, false on timeout
   */
  public boolean awaitFinished(long timeout, TimeUnit unit) throws InterruptedException {
    return done.await(timeout, unit);
  }

  /** Stops at once: no more flows, clients disconnected, port released. Idempotent. */
  @Override
  public void close() {
    closed = true;
    synchronized (arrivals) {
      arrivals.notifyAll();
    }
    closeServerSocket();
    for (Client c : clients) {
      c.disconnect();
    }
    Thread g = generator;
    if (g != null) {
      g.interrupt();
      try {
        g.join(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    done.countDown();
  }

  private void accept() {
    while (!closed) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      try {
        socket.setTcpNoDelay(true);
        socket.shutdownInput(); // clients only listen
      } catch (IOException e) {
        closeQuietly(socket);
        continue;
      }
      Client c = new Client(socket);
      clients.add(c);
      c.writer.start();
      notices.accept("client " + c.name + " connected (" + clients.size() + " connected)");
      synchronized (arrivals) {
        arrivals.notifyAll();
      }
    }
  }

  private void generate() {
    FlowLineEncoder encoder = new FlowLineEncoder();
    Pacer pacer = new Pacer(rate);
    try {
      if (!awaitClients(waitForClients)) {
        return;
      }
      pacer.restart();
      while (!closed && (count == 0 || sent.get() < count)) {
        if (clients.isEmpty()) {
          notices.accept("no client connected; pausing after " + sent.get() + " flows");
          if (!awaitClients(1)) {
            return;
          }
          pacer.restart();
        }
        pacer.awaitNext();
        deliver(encoder.encode(flows.next()));
        sent.incrementAndGet();
      }
      if (!closed) {
        finish();
      }
    } catch (InterruptedException e) {
      // close()
    } finally {
      done.countDown();
    }
  }

  private boolean awaitClients(int n) throws InterruptedException {
    synchronized (arrivals) {
      while (!closed && clients.size() < n) {
        arrivals.wait(100);
      }
    }
    return !closed;
  }

  /**
   * Queues the line for every client. A full client is waited for; one that stays full for
   * {@code slowClientMillis} while another client keeps up is dropped.
   */
  private void deliver(byte[] line) throws InterruptedException {
    List<Client> pending = clients;
    while (!closed) {
      List<Client> full = null;
      for (Client c : pending) {
        if (c.queue.offer(line)) {
          // a client that hovers near full is still behind; it has caught up once half drained
          if (c.fullSinceNanos != 0 && c.queue.remainingCapacity() >= clientQueueLines / 2) {
            c.fullSinceNanos = 0;
          }
        } else {
          if (full == null) {
            full = new ArrayList<>(2);
          }
          full.add(c);
        }
      }
      if (full == null) {
        return;
      }
      long now = System.nanoTime();
      boolean someoneKeepsUp = false;
      for (Client c : clients) {
        if (!full.contains(c) && c.queue.remainingCapacity() >= clientQueueLines / 2) {
          someoneKeepsUp = true;
          break;
        }
      }
      for (Client c : full) {
        if (c.fullSinceNanos == 0) {
          c.fullSinceNanos = now;
        } else if (someoneKeepsUp && now - c.fullSinceNanos > slowClientNanos) {
          notices.accept("client " + c.name + " dropped: its queue of " + clientQueueLines
              + " lines stayed full for " + TimeUnit.NANOSECONDS.toMillis(slowClientNanos)
              + " ms while another client kept up");
          c.disconnect();
        }
      }
      LockSupport.parkNanos(200_000); // wait for the full clients to take more
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      full.removeIf(c -> c.dead);
      pending = full;
      if (pending.isEmpty()) {
        return;
      }
    }
  }

  private void finish() throws InterruptedException {
    closeServerSocket();
    for (Client c : clients) {
      c.finishing = true;
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_MILLIS);
    for (Client c : clients) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      c.writer.join(Math.max(1, left));
      if (c.writer.isAlive()) {
        notices.accept("client " + c.name + " did not take its last lines in time; disconnected");
        c.disconnect();
      }
    }
    notices.accept("sent " + sent.get() + " flows; done");
  }

  private void closeServerSocket() {
    ServerSocket s = server;
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // already closed
      }
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }

  /** One connected client: its queue and the thread that writes it. */
  private final class Client {
    final Socket socket;
    final String name;
    final ArrayBlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(clientQueueLines);
    final Thread writer;
    volatile boolean finishing;
    volatile boolean dead;
    long fullSinceNanos; // generator thread only

    Client(Socket socket) {
      this.socket = socket;
      this.name = socket.getRemoteSocketAddress().toString().replaceFirst("^/", "");
      this.writer = new Thread(this::write, "simulate-client-" + name);
      this.writer.setDaemon(true);
    }

    void write() {
      List<byte[]> drained = new ArrayList<>(256);
      String reason = "disconnected";
      try (OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16)) {
        while (!dead) {
          byte[] line = queue.poll(50, TimeUnit.MILLISECONDS);
          if (line == null) {
            out.flush();
            if (finishing && queue.isEmpty()) {
              reason = "finished";
              break;
            }
            continue;
          }
          out.write(line);
          queue.drainTo(drained, 255);
          for (byte[] l : drained) {
            out.write(l);
          }
          drained.clear();
          if (queue.isEmpty()) {
            out.flush();
          }
        }
      } catch (SocketException e) {
        reason = dead ? "dropped" : "disconnected (" + e.getMessage() + ")";
      } catch (IOException e) {
        reason = "disconnected (" + e.getMessage() + ")";
      } catch (InterruptedException e) {
        reason = "stopped";
      } finally {
        dead = true;
        clients.remove(this);
        closeQuietly(socket);
        if (!closed && !reason.equals("finished") && !reason.equals("dropped")) {
          notices.accept("client " + name + " " + reason + " (" + clients.size() + " connected)");
        }
      }
    }

    void disconnect() {
      dead = true;
      clients.remove(this);
      closeQuietly(socket);
    }
  }

  /** Settings of a {@link SimulatorServer}; mutable, not thread-safe. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 9999;
    private double rate;
    private long count;
    private int waitForClients = 1;
    private int clientQueueLines = 8_192;
    private long slowClientMillis = 1_000;
    private Consumer<String> notices = s -> { };

    private Builder() {}

    /** Address to bind (default 127.0.0.1: loopback only). */
    public Builder host(String h) {
      this.host = Objects.requireNonNull(h, "host");
      return this;
    }

    /** Port to bind, 0 for any free one (default 9999). */
    public Builder port(int p) {
      if (p < 0 || p > 65535) {
        throw new IllegalArgumentException("port must be 0..65535: " + p);
      }
      this.port = p;
      return this;
    }

    /** Flows per second, 0 for as fast as possible (default 0). */
    public Builder rate(double perSecond) {
      new Pacer(perSecond); // validates
      this.rate = perSecond;
      return this;
    }

    /** Flows to send before finishing, 0 for endless (default). */
    public Builder count(long n) {
      if (n < 0) {
        throw new IllegalArgumentException("count must be >= 0: " + n);
      }
      this.count = n;
      return this;
    }

    /** Clients that must be connected before the first flow (default 1). */
    public Builder waitForClients(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("waitForClients must be >= 1: " + n);
      }
      this.waitForClients = n;
      return this;
    }

    /** Lines queued per client before it counts as slow (default 8,192; at least 2). */
    public Builder clientQueueLines(int n) {
      if (n < 2) {
        throw new IllegalArgumentException("clientQueueLines must be >= 2: " + n);
      }
      this.clientQueueLines = n;
      return this;
    }

    /**
     * How long a client's queue may stay full, while another client keeps up, before the client
     * is dropped; milliseconds (default 1,000). Until then the generator waits for it.
     */
    public Builder slowClientMillis(long millis) {
      if (millis < 0) {
        throw new IllegalArgumentException("slowClientMillis must be >= 0: " + millis);
      }
      this.slowClientMillis = millis;
      return this;
    }

    /** Receives notices (client connected, dropped, paused, done), one line each. */
    public Builder notices(Consumer<String> n) {
      this.notices = Objects.requireNonNull(n, "notices");
      return this;
    }

    /** The server over {@code flows} (taken from by one thread); call {@link SimulatorServer#start()}. */
    public SimulatorServer build(Iterator<FlowRecord> flows) {
      return new SimulatorServer(this, flows);
    }
  }
}
