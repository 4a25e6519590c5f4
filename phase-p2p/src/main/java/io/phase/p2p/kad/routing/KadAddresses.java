package io.phase.p2p.kad.routing;

import io.phase.p2p.multiaddr.Component;
import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.multiaddr.Protocol;
import io.phase.p2p.peer.PeerId;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/** Address hygiene for peers learnt from the DHT: dialability, {@code /p2p/} stripping, caps. */
public final class KadAddresses {

  private KadAddresses() {}

  /**
   * Whether an address could be dialed by a libp2p host: {@code ip4|ip6|dns|dns4|dns6} followed by
   * {@code tcp/<port>} or {@code udp/<port>/quic-v1}, with a non-zero port and an IP that is not
   * unspecified ({@code 0.0.0.0}, {@code ::}) or multicast. A trailing {@code /p2p/} is ignored.
   */
  public static boolean isDialable(Multiaddr addr) {
    List<Component> c = addr.components();
    if (c.get(c.size() - 1).protocol() == Protocol.P2P) {
      // Strip by hand: Multiaddr.withoutP2p() cannot represent an address that is only /p2p/<id>.
      c = c.subList(0, c.size() - 1);
    }
    if (c.size() < 2 || c.size() > 3) {
      return false;
    }
    Protocol host = c.get(0).protocol();
    switch (host) {
      case IP4, IP6 -> {
        if (!isUsableIp(c.get(0).value())) {
          return false;
        }
      }
      case DNS, DNS4, DNS6 -> {}
      default -> {
        return false;
      }
    }
    Component transport = c.get(1);
    if ("0".equals(transport.value())) {
      return false;
    }
    if (c.size() == 2) {
      return transport.protocol() == Protocol.TCP;
    }
    return transport.protocol() == Protocol.UDP && c.get(2).protocol() == Protocol.QUIC_V1;
  }

  private static boolean isUsableIp(String literal) {
    try {
      // The value is a canonical IP literal, so no name resolution takes place.
      InetAddress ip = InetAddress.getByName(literal);
      return !ip.isAnyLocalAddress() && !ip.isMulticastAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * Cleans a peer's address list: strips a {@code /p2p/} suffix naming {@code peer}, drops
   * addresses naming another peer or failing {@code dialable}, removes duplicates (first occurrence
   * wins) and keeps at most {@code max}.
   */
  public static List<Multiaddr> sanitize(
      PeerId peer, List<Multiaddr> addrs, int max, Predicate<Multiaddr> dialable) {
    Set<Multiaddr> out = new LinkedHashSet<>();
    for (Multiaddr a : addrs) {
      if (out.size() >= max) {
        break;
      }
      Optional<PeerId> named;
      try {
        named = a.peerId();
      } catch (IllegalArgumentException e) {
        continue;
      }
      if (named.isPresent() && !named.get().equals(peer)) {
        continue;
      }
      if (named.isPresent() && a.components().size() == 1) {
        continue;
      }
      Multiaddr bare = a.withoutP2p();
      if (dialable.test(bare)) {
        out.add(bare);
      }
    }
    return new ArrayList<>(out);
  }
}
