package io.phase.p2p.kad;

import io.phase.p2p.kad.routing.PeerInfo;
import io.phase.p2p.kad.wire.KadMessage;
import io.phase.p2p.kad.wire.KadMessageException;
import io.phase.p2p.kad.wire.MessageCodec;
import io.phase.p2p.peer.PeerId;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-process network of {@link KadNode}s. Every message goes through {@link MessageCodec} both
 * ways and is handled on a small thread pool, honouring the inbound permits; offline or unknown
 * peers fail like an unreachable host.
 */
final class InMemoryKadNetwork implements AutoCloseable {

  private final Map<PeerId, KadNode> nodes = new ConcurrentHashMap<>();
  private final Set<PeerId> offline = ConcurrentHashMap.newKeySet();
  private final ExecutorService pool = Executors.newFixedThreadPool(3);
  final AtomicLong requests = new AtomicLong();

  void register(KadNode node) {
    nodes.put(node.localPeer(), node);
  }

  void setOffline(PeerId peer, boolean isOffline) {
    if (isOffline) {
      offline.add(peer);
    } else {
      offline.remove(peer);
    }
  }

  /** The network as seen by {@code self}. */
  KadNetwork endpoint(PeerInfo self) {
    return new KadNetwork() {
      @Override
      public CompletableFuture<KadMessage> request(
          PeerInfo peer, KadMessage msg, Duration timeout) {
        return CompletableFuture.supplyAsync(
                () ->
                    deliver(self, peer, msg)
                        .orElseThrow(
                            () ->
                                new CompletionException(new IllegalStateException("no response"))),
                pool)
            .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
      }

      @Override
      public CompletableFuture<Void> send(PeerInfo peer, KadMessage msg, Duration timeout) {
        return CompletableFuture.runAsync(() -> deliver(self, peer, msg), pool)
            .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
      }
    };
  }

  private Optional<KadMessage> deliver(PeerInfo from, PeerInfo to, KadMessage msg) {
    requests.incrementAndGet();
    KadNode target = nodes.get(to.id());
    if (target == null || offline.contains(to.id()) || offline.contains(from.id())) {
      throw new CompletionException(new ConnectException("unreachable: " + to.id()));
    }
    if (!target.inboundPermits().tryAcquire()) {
      throw new CompletionException(new IllegalStateException("too many inbound requests"));
    }
    try {
      KadMessage request = MessageCodec.decode(MessageCodec.encode(msg));
      Optional<KadMessage> response = target.handleInbound(from, request);
      if (response.isEmpty()) {
        return response;
      }
      return Optional.of(MessageCodec.decode(MessageCodec.encode(response.get())));
    } catch (KadMessageException e) {
      throw new CompletionException(e);
    } finally {
      target.inboundPermits().release();
    }
  }

  @Override
  public void close() throws InterruptedException {
    pool.shutdownNow();
    pool.awaitTermination(10, TimeUnit.SECONDS);
  }
}
