package io.phase.p2p.kad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.phase.p2p.host.Host;
import io.phase.p2p.kad.routing.PeerInfo;
import io.phase.p2p.kad.store.NamespacedValidator;
import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.peer.PeerId;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many {@link KadService}s on loopback over real TCP + Noise + Yamux in one JVM, sharing two event
 * loop threads: every provider lookup must find its provider within ⌈log2 N⌉ hops. N is 200 by
 * default (about a minute); {@code -Dphase.kad.scale.nodes=N} for another size (docs/benchmarks.md,
 * "DHT lookups"). Latencies are printed, not asserted.
 */
@Timeout(value = 900, unit = TimeUnit.SECONDS)
class KadScaleTest {
  private static final Logger LOG = LoggerFactory.getLogger(KadScaleTest.class);
  private static final int LOOKUPS = 50;

  @Test
  void everyProviderLookupSucceedsWithinLogNHops() throws Exception {
    int n = Integer.getInteger("phase.kad.scale.nodes", 200);
    Random random = new Random(42);
    EventLoopGroup loops = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    Map<PeerId, List<Multiaddr>> book = new ConcurrentHashMap<>();
    List<Host> hosts = new ArrayList<>();
    List<KadService> services = new ArrayList<>();
    KadServiceConfig.Builder base =
        KadServiceConfig.builder()
            .kad(
                KadConfig.builder()
                    .queryTimeout(Duration.ofSeconds(10))
                    .lookupDeadline(Duration.ofSeconds(60))
                    .build());
    try {
      long startNanos = System.nanoTime();
      for (int i = 0; i < n; i++) {
        Host h =
            Host.builder()
                .eventLoopGroup(loops)
                .listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))
                .build();
        hosts.add(h);
        book.put(h.peerId(), h.listenAddresses());
        List<Multiaddr> bootstrap = new ArrayList<>();
        if (i > 0) {
          Host via = hosts.get(random.nextInt(i));
          bootstrap.add(via.listenAddresses().get(0).withP2p(via.peerId()));
        }
        KadServiceConfig cfg =
            KadServiceConfig.builder().kad(base.build().kad()).bootstrap(bootstrap).build();
        KadService s =
            new KadService(
                h,
                cfg,
                p -> book.getOrDefault(p, List.of()),
                h::listenAddresses,
                new NamespacedValidator(Map.of()),
                KadScheduler.of(timers),
                Clock.systemUTC());
        services.add(s);
        s.start();
        s.joined().get(60, TimeUnit.SECONDS);
      }
      // One self lookup each (what the first refresh does) so early joiners learn later ones.
      for (KadService s : services) {
        s.node().bootstrap(List.of()).get(60, TimeUnit.SECONDS);
      }
      double setupS = (System.nanoTime() - startNanos) / 1e9;

      int bound = 32 - Integer.numberOfLeadingZeros(n - 1); // ceil(log2 n)
      List<Double> millis = new ArrayList<>();
      int[] hopCounts = new int[bound + 2];
      for (int i = 0; i < LOOKUPS; i++) {
        KadService provider = services.get(random.nextInt(n));
        KadService asker = services.get(random.nextInt(n));
        while (asker == provider) {
          asker = services.get(random.nextInt(n));
        }
        byte[] key = ("/scale/key/" + i).getBytes(StandardCharsets.UTF_8);
        assertTrue(provider.provide(key).get(60, TimeUnit.SECONDS) > 0);
        long t0 = System.nanoTime();
        KadNode.ProvidersResult r = asker.node().findProviders(key, 1).get(60, TimeUnit.SECONDS);
        millis.add((System.nanoTime() - t0) / 1e6);
        assertEquals(
            List.of(provider.node().localPeer()),
            r.providers().stream().map(PeerInfo::id).toList(),
            "lookup " + i);
        int hops = r.lookup().hops();
        assertTrue(hops <= bound, "lookup " + i + " took " + hops + " hops > ceil(log2 " + n + ")");
        hopCounts[hops]++;
      }
      Collections.sort(millis);
      String summary =
          String.format(
              "kad_scale nodes=%d lookups=%d setup_s=%.1f hops_histogram=%s hop_bound=%d"
                  + " p50_ms=%.1f p90_ms=%.1f max_ms=%.1f",
              n,
              LOOKUPS,
              setupS,
              Arrays.toString(hopCounts),
              bound,
              millis.get(millis.size() / 2),
              millis.get((int) Math.ceil(millis.size() * 0.9) - 1),
              millis.get(millis.size() - 1));
      System.out.println(summary);
      LOG.info(summary);
    } finally {
      services.forEach(KadService::close);
      for (Host h : hosts) {
        h.close(Duration.ofMillis(200));
      }
      timers.shutdownNow();
      loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }
  }
}
