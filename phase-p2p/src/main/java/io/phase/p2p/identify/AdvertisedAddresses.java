package io.phase.p2p.identify;

import io.phase.p2p.errors.Causes;
import io.phase.p2p.multiaddr.Multiaddr;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listen addresses worth announcing: a wildcard listen address ({@code 0.0.0.0}, {@code ::})
 * becomes one address per local interface address of that family (link-local IPv6 skipped, since a
 * multiaddr cannot carry its zone). The interface list is cached for {@link #CACHE_NANOS}.
 */
final class AdvertisedAddresses {
  private static final Logger LOG = LoggerFactory.getLogger(AdvertisedAddresses.class);
  private static final long CACHE_NANOS = 30_000_000_000L;

  private List<InetAddress> interfaces = List.of();
  private long interfacesReadAt;
  private boolean read;

  /** Expands {@code listening}, keeping order, without duplicates, at most {@code max}. */
  synchronized List<Multiaddr> expand(List<Multiaddr> listening, int max) {
    Set<Multiaddr> out = new LinkedHashSet<>();
    for (Multiaddr address : listening) {
      InetSocketAddress socket;
      try {
        socket = address.toSocketAddress();
      } catch (IllegalArgumentException e) {
        out.add(address);
        continue;
      }
      if (!socket.getAddress().isAnyLocalAddress()) {
        out.add(address);
        continue;
      }
      boolean v4 = socket.getAddress() instanceof Inet4Address;
      for (InetAddress ip : interfaceAddresses()) {
        if ((ip instanceof Inet4Address) == v4) {
          out.add(Multiaddr.fromSocketAddress(new InetSocketAddress(ip, socket.getPort())));
        }
      }
    }
    List<Multiaddr> list = new ArrayList<>(out);
    return List.copyOf(list.subList(0, Math.min(max, list.size())));
  }

  private List<InetAddress> interfaceAddresses() {
    long now = System.nanoTime();
    if (read && now - interfacesReadAt < CACHE_NANOS) {
      return interfaces;
    }
    List<InetAddress> found = new ArrayList<>();
    try {
      for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nif.isUp()) {
          continue;
        }
        for (InetAddress ip : Collections.list(nif.getInetAddresses())) {
          if (!ip.isLinkLocalAddress()) {
            found.add(ip);
          }
        }
      }
    } catch (SocketException e) {
      LOG.warn("interface_list_failed error={}", Causes.rootMessage(e));
    }
    interfaces = List.copyOf(found);
    interfacesReadAt = now;
    read = true;
    return interfaces;
  }
}
