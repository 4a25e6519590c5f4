package io.phase.p2p.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.ping.Ping;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Inbound admission: per-address pending share, silent-connection deadline, refusal summaries. */
class AdmissionTest {
  private static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");
  private static final InetAddress ATTACKER;

  static {
    try {
      ATTACKER = InetAddress.getByName("127.0.0.2");
    } catch (IOException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final List<Host> hosts = new ArrayList<>();
  private final List<Socket> sockets = new ArrayList<>();

  @AfterEach
  void close() {
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing
      }
    }
    hosts.forEach(h -> h.close(Duration.ofSeconds(2)));
  }

  private Host host(HostLimits limits) throws Exception {
    Host h = Host.builder().limits(limits).eventLoopThreads(2).listen(LOOPBACK).build();
    hosts.add(h);
    Ping.attach(h); // responder
    return h;
  }

  private static InetSocketAddress socketAddress(Host h) {
    return (InetSocketAddress) h.listenAddresses().get(0).toSocketAddress();
  }

  private Socket idleFrom(InetAddress local, InetSocketAddress target) throws IOException {
    Socket s = new Socket();
    sockets.add(s);
    s.bind(new InetSocketAddress(local, 0));
    s.connect(target, 2000);
    return s;
  }

  /**
   * Reads until EOF (true) or until {@code timeoutMs} passes with the socket still open (false).
   */
  private static boolean closedWithin(Socket s, long timeoutMs) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    InputStream in = s.getInputStream();
    byte[] buf = new byte[256];
    while (true) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        return false;
      }
      s.setSoTimeout((int) Math.max(1, left));
      try {
        if (in.read(buf) < 0) {
          return true;
        }
      } catch (SocketTimeoutException e) {
        return false;
      } catch (IOException e) {
        return true; // reset
      }
    }
  }

  @Test
  @Timeout(30)
  void oneAddressHoldsAtMostItsShareOfPendingHandshakes() throws Exception {
    Host server =
        host(
            HostLimits.DEFAULT
                .withHandshakeTimeout(Duration.ofSeconds(20))
                .withAdmission(64, 4, Duration.ofSeconds(20)));
    InetSocketAddress target = socketAddress(server);
    List<Socket> idle = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      idle.add(idleFrom(ATTACKER, target));
    }
    int closed = 0;
    for (Socket s : idle) {
      if (closedWithin(s, 300)) {
        closed++;
      }
    }
    assertEquals(8, closed, "12 idle connections from one address, share 4: 8 refused");
    assertEquals(4, server.pendingInboundFrom(ATTACKER));
    // Another address is still admitted: a full upgrade and ping from 127.0.0.1.
    Host client = host(HostLimits.DEFAULT);
    try (Ping ping = Ping.attach(client, Duration.ofSeconds(5))) {
      Connection c =
          client
              .dial(server.listenAddresses().get(0).withP2p(server.peerId()))
              .get(5, TimeUnit.SECONDS);
      assertEquals(1, ping.ping(c, 1).get(5, TimeUnit.SECONDS).size());
    }
    // Releasing the attacker's slots frees its share.
    for (Socket s : idle) {
      s.close();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (server.pendingInboundFrom(ATTACKER) != 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(0, server.pendingInboundFrom(ATTACKER));
  }

  @Test
  @Timeout(30)
  void silentConnectionIsClosedEarlyButAProgressingOneGetsTheFullDeadline() throws Exception {
    Host server =
        host(
            HostLimits.DEFAULT
                .withHandshakeTimeout(Duration.ofSeconds(8))
                .withAdmission(64, 16, Duration.ofMillis(800)));
    InetSocketAddress target = socketAddress(server);
    Socket silent = idleFrom(ATTACKER, target);
    Socket talking = idleFrom(ATTACKER, target);
    byte[] header = "/multistream/1.0.0\n".getBytes(StandardCharsets.US_ASCII);
    talking.getOutputStream().write(header.length);
    talking.getOutputStream().write(header);
    talking.getOutputStream().flush();
    long start = System.nanoTime();
    assertTrue(closedWithin(silent, 3000), "silent connection closed");
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertTrue(ms >= 500 && ms < 3000, "closed after about 800 ms, took " + ms);
    assertTrue(
        !closedWithin(talking, 2000), "a connection that sent bytes is still open at ~2.8 s");
    assertEquals(1, server.pendingInboundFrom(ATTACKER));
  }

  @Test
  void refusalsAreSummarisedAtMostOncePerIntervalWithCountAndTopAddress() {
    long[] now = {0};
    List<String> lines = new ArrayList<>();
    RefusalLog log = new RefusalLog(TimeUnit.SECONDS.toNanos(10), () -> now[0], lines::add);
    log.refused("pending_per_address", "127.0.0.2");
    assertEquals(1, lines.size(), "first refusal reported at once");
    assertTrue(lines.get(0).startsWith("connections_refused reason=pending_per_address refused=1"));
    for (int i = 0; i < 5000; i++) {
      now[0] += TimeUnit.MILLISECONDS.toNanos(1);
      log.refused("pending_per_address", i % 10 == 0 ? "10.0.0." + (i % 7) : "127.0.0.2");
    }
    // 5 s passed: still one line.
    assertEquals(1, lines.size(), lines.toString());
    now[0] += TimeUnit.SECONDS.toNanos(5);
    log.refused("pending_per_address", "127.0.0.2");
    assertEquals(2, lines.size());
    String line = lines.get(1);
    assertTrue(line.contains(" refused=5001 "), line);
    assertTrue(line.contains(" top_address=127.0.0.2 top_address_refused=4501 "), line);
    assertTrue(line.contains(" addresses=8 "), line);
    // Reasons have independent windows.
    log.refused("silent_timeout", "127.0.0.3");
    assertEquals(3, lines.size());
    // The tracked-address map is bounded.
    now[0] += TimeUnit.SECONDS.toNanos(11);
    for (int i = 0; i < 3 * RefusalLog.MAX_TRACKED_ADDRESSES; i++) {
      log.refused("max_connections", "10.1." + (i / 256) + "." + (i % 256));
    }
    now[0] += TimeUnit.SECONDS.toNanos(11);
    log.refused("max_connections", "10.9.9.9");
    String last = lines.get(lines.size() - 1);
    assertTrue(last.contains(" addresses=" + RefusalLog.MAX_TRACKED_ADDRESSES + " "), last);
  }

  /**
   * One address (127.0.0.2) holds and reopens idle connections and bursts about 1000 connections/s
   * for a few seconds, while another (127.0.0.1) dials anew and pings: at least 90% succeed.
   */
  @Test
  @Timeout(60)
  void pingsFromAnotherAddressSucceedWhileOneAddressFloodsConnections() throws Exception {
    Host server = host(HostLimits.DEFAULT);
    InetSocketAddress target = socketAddress(server);
    Multiaddr serverAddress = server.listenAddresses().get(0).withP2p(server.peerId());
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger opened = new AtomicInteger();
    List<Thread> attackers = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      Thread a =
          new Thread(
              () -> {
                // Each thread keeps up to 400 idle connections (reopening as the server closes
                // them) and opens about 500 per second.
                ArrayDeque<Socket> held = new ArrayDeque<>();
                long next = System.nanoTime();
                try {
                  while (!stop.get()) {
                    for (int i = 0; i < 5 && !stop.get(); i++) {
                      Socket s = new Socket();
                      try {
                        s.bind(new InetSocketAddress(ATTACKER, 0));
                        s.connect(target, 200);
                        opened.incrementAndGet();
                        held.addLast(s);
                      } catch (IOException e) {
                        s.close();
                      }
                      if (held.size() > 400) {
                        held.removeFirst().close();
                      }
                    }
                    next += TimeUnit.MILLISECONDS.toNanos(10);
                    long sleep = next - System.nanoTime();
                    if (sleep > 0) {
                      TimeUnit.NANOSECONDS.sleep(sleep);
                    }
                  }
                } catch (IOException | InterruptedException e) {
                  // stop
                } finally {
                  for (Socket s : held) {
                    try {
                      s.close();
                    } catch (IOException ignored) {
                      // closing
                    }
                  }
                }
              },
              "attacker-" + t);
      a.setDaemon(true);
      attackers.add(a);
      a.start();
    }
    int ok = 0;
    int tries = 20;
    try {
      Thread.sleep(1500); // let the attacker fill whatever it can
      Host client = host(HostLimits.DEFAULT);
      {
        Ping ping = Ping.attach(client, Duration.ofSeconds(3));
        for (int i = 0; i < tries; i++) {
          try {
            Connection c = client.dial(serverAddress).get(4, TimeUnit.SECONDS);
            ping.ping(c, 1).get(4, TimeUnit.SECONDS);
            ok++;
            c.channel().close().sync();
          } catch (Exception e) {
            // counted as a failure
          }
          Thread.sleep(100);
        }
      }
    } finally {
      stop.set(true);
      for (Thread a : attackers) {
        a.join(5000);
      }
    }
    System.out.println(
        "admission_attack_result opened=" + opened.get() + " pings_ok=" + ok + " tries=" + tries);
    assertTrue(opened.get() >= 1000, "the attack opened " + opened.get() + " connections");
    assertTrue(ok >= tries * 9 / 10, ok + " of " + tries + " pings succeeded under attack");
  }
}
