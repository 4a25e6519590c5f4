package io.phase.p2p.transport;

import io.phase.p2p.multiaddr.Multiaddr;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Turns a listen address on {@code 0.0.0.0} or {@code ::} into the addresses peers can actually
 * dial: one per address of each interface that is up (IPv6 link-local addresses are left out: they
 * are useless without a zone).
 */
public final class WildcardAddresses {
  private static final int MAX_ADDRESSES = 64;

  private WildcardAddresses() {}

  /**
   * @param requested the address asked to listen on (its IP family decides what is listed: the JDK
   *     reports a socket bound to {@code 0.0.0.0} as {@code ::})
   * @param bound the address actually bound (its port is used)
   */
  public static List<Multiaddr> expand(Multiaddr requested, Multiaddr bound) {
    if (!bound.isTcp() || !requested.isTcp()) {
      return List.of(bound);
    }
    InetSocketAddress socket = bound.toSocketAddress();
    InetAddress ip = requested.toSocketAddress().getAddress();
    if (!ip.isAnyLocalAddress()) {
      return List.of(bound);
    }
    boolean v6 = ip instanceof Inet6Address;
    List<Multiaddr> out = new ArrayList<>();
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp()) {
          continue;
        }
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          boolean family = v6 ? address instanceof Inet6Address : address instanceof Inet4Address;
          if (family && !address.isLinkLocalAddress() && out.size() < MAX_ADDRESSES) {
            out.add(
                Multiaddr.fromSocketAddress(
                    new InetSocketAddress(
                        address.getHostAddress().replaceAll("%.*$", ""), socket.getPort())));
          }
        }
      }
    } catch (SocketException e) {
      return List.of(bound);
    }
    out.sort((a, b) -> a.toString().compareTo(b.toString()));
    return out.isEmpty() ? List.of(bound) : out;
  }
}
