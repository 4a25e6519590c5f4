package io.phase.p2p.kad;

import io.phase.p2p.kad.routing.KadAddresses;
import io.phase.p2p.kad.routing.PeerInfo;
import io.phase.p2p.kad.wire.KadMessage;
import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.peer.PeerId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects distinct provider peers from GET_PROVIDERS responses and stops the lookup once {@code
 * wanted} are known. Addresses are sanitised and capped. Not thread-safe (the lookup serialises
 * calls).
 */
final class ProviderCollector implements Lookup.Collector {

  private final int wanted;
  private final KadConfig config;
  private final Map<PeerId, PeerInfo> providers = new LinkedHashMap<>();
  private int firstHop = -1;

  ProviderCollector(int wanted, KadConfig config, List<PeerInfo> alreadyKnown) {
    this.wanted = wanted;
    this.config = config;
    for (PeerInfo p : alreadyKnown) {
      add(p);
    }
  }

  private void add(PeerInfo p) {
    if (providers.size() >= wanted) {
      return;
    }
    List<Multiaddr> addrs =
        KadAddresses.sanitize(p.id(), p.addrs(), config.maxAddrsPerPeer(), config.dialable());
    PeerInfo known = providers.get(p.id());
    if (known == null || known.addrs().isEmpty()) {
      providers.put(p.id(), new PeerInfo(p.id(), addrs));
    }
  }

  boolean satisfied() {
    return providers.size() >= wanted;
  }

  @Override
  public boolean onResponse(PeerInfo from, KadMessage response, int hop) {
    for (PeerInfo p : response.providerPeers()) {
      add(p);
    }
    if (firstHop < 0 && !providers.isEmpty()) {
      firstHop = hop;
    }
    return satisfied();
  }

  /** The providers found, in discovery order. */
  List<PeerInfo> providers() {
    return new ArrayList<>(providers.values());
  }

  /** Hop count of the first response that carried a provider, or -1. */
  int firstHop() {
    return firstHop;
  }
}
