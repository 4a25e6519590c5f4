package io.phase.p2p.multiaddr;

import io.phase.p2p.bytes.Bytes;
import io.phase.p2p.multiformats.Varint;
import io.phase.p2p.peer.PeerId;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * An immutable multiaddr such as {@code /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW...}. Parsing (text and
 * binary) is strict: unknown protocols, bad values, trailing bytes and inputs over {@value
 * #MAX_LENGTH} bytes/characters are rejected with {@link IllegalArgumentException}. Equality is by
 * the binary form.
 */
public final class Multiaddr {
  /** Largest accepted binary form, and largest accepted text form. */
  public static final int MAX_LENGTH = 1024;

  /**
   * Longest text form accepted: every binary multiaddr of {@link #MAX_LENGTH} bytes must print to
   * text that parses back (base58 and ip6 text are longer than their bytes), so the text cap is
   * larger than the binary one; still bounded.
   */
  public static final int MAX_TEXT_LENGTH = 4 * MAX_LENGTH;

  private final List<Component> components;
  private final Bytes bytes;

  private Multiaddr(List<Component> components) {
    if (components.isEmpty()) {
      throw new IllegalArgumentException("empty multiaddr");
    }
    this.components = List.copyOf(components);
    ByteArrayOutputStream out = new ByteArrayOutputStream(32);
    for (Component c : components) {
      out.writeBytes(Varint.encode(c.protocol().code()));
      byte[] value = c.valueBytes();
      if (c.protocol().size() == Protocol.VARIABLE) {
        out.writeBytes(Varint.encode(value.length));
      }
      out.writeBytes(value);
    }
    if (out.size() > MAX_LENGTH) {
      throw new IllegalArgumentException("multiaddr longer than " + MAX_LENGTH + " bytes");
    }
    this.bytes = Bytes.wrapOwned(out.toByteArray());
  }

  /** Builds a multiaddr from components. */
  public static Multiaddr of(List<Component> components) {
    return new Multiaddr(components);
  }

  /** Parses the text form, e.g. {@code /ip4/1.2.3.4/tcp/4001}. */
  public static Multiaddr parse(String text) {
    if (text.length() > MAX_TEXT_LENGTH) {
      throw new IllegalArgumentException(
          "multiaddr text longer than " + MAX_TEXT_LENGTH + " chars");
    }
    if (!text.startsWith("/")) {
      throw new IllegalArgumentException("multiaddr must start with '/'");
    }
    String[] parts = text.substring(1).split("/", -1);
    List<Component> components = new ArrayList<>();
    for (int i = 0; i < parts.length; ) {
      String name = parts[i++];
      if (name.isEmpty()) {
        throw new IllegalArgumentException(
            i == parts.length ? "multiaddr has a trailing '/'" : "multiaddr has an empty protocol");
      }
      Protocol protocol = Protocol.byName(name);
      if (!protocol.hasValue()) {
        components.add(Component.of(protocol, ""));
        continue;
      }
      if (i >= parts.length) {
        throw new IllegalArgumentException("multiaddr protocol " + protocol + " needs a value");
      }
      components.add(Component.of(protocol, parts[i++]));
    }
    return new Multiaddr(components);
  }

  /** Decodes the binary form. */
  public static Multiaddr fromBytes(byte[] data) {
    if (data.length > MAX_LENGTH) {
      throw new IllegalArgumentException("multiaddr longer than " + MAX_LENGTH + " bytes");
    }
    List<Component> components = new ArrayList<>();
    int offset = 0;
    while (offset < data.length) {
      Varint.Decoded code = Varint.decode(data, offset, data.length);
      offset += code.length();
      Protocol protocol = Protocol.byCode(code.value());
      int size = protocol.size();
      if (size == Protocol.VARIABLE) {
        Varint.Decoded length = Varint.decode(data, offset, data.length);
        offset += length.length();
        if (length.value() > data.length - offset) {
          throw new IllegalArgumentException(
              "multiaddr " + protocol + " value of " + length.value() + " bytes is truncated");
        }
        size = (int) length.value();
      } else if (size > data.length - offset) {
        throw new IllegalArgumentException("multiaddr " + protocol + " value is truncated");
      }
      components.add(
          Component.fromBytes(protocol, Arrays.copyOfRange(data, offset, offset + size)));
      offset += size;
    }
    return new Multiaddr(components);
  }

  /** The multiaddr of a TCP socket address: {@code /ip4|ip6/<ip>/tcp/<port>}. */
  public static Multiaddr fromSocketAddress(InetSocketAddress address) {
    InetAddress ip = address.getAddress();
    if (ip == null) {
      throw new IllegalArgumentException("unresolved socket address " + address);
    }
    byte[] raw = ip.getAddress();
    Component host =
        raw.length == 4
            ? Component.fromBytes(Protocol.IP4, raw)
            : Component.fromBytes(Protocol.IP6, raw);
    return new Multiaddr(List.of(host, Component.of(Protocol.TCP, "" + address.getPort())));
  }

  /** The components in order. */
  public List<Component> components() {
    return components;
  }

  /** The binary form (a copy). */
  public byte[] toBytes() {
    return bytes.toByteArray();
  }

  /** This address followed by {@code other}. */
  public Multiaddr encapsulate(Multiaddr other) {
    List<Component> all = new ArrayList<>(components);
    all.addAll(other.components);
    return new Multiaddr(all);
  }

  /** The peer id of the last {@code /p2p/} component, if any. */
  public Optional<PeerId> peerId() {
    Component last = components.get(components.size() - 1);
    if (last.protocol() != Protocol.P2P) {
      return Optional.empty();
    }
    return Optional.of(PeerId.parse(last.value()));
  }

  /**
   * This address ending in {@code /p2p/<peerId>}. Returns {@code this} if it already names that
   * peer.
   *
   * @throws IllegalArgumentException if it already names a different peer
   */
  public Multiaddr withP2p(PeerId peerId) {
    Optional<PeerId> existing = peerId();
    if (existing.isPresent()) {
      if (existing.get().equals(peerId)) {
        return this;
      }
      throw new IllegalArgumentException(
          "multiaddr " + this + " already names peer " + existing.get());
    }
    List<Component> all = new ArrayList<>(components);
    all.add(new Component(Protocol.P2P, peerId.toBase58()));
    return new Multiaddr(all);
  }

  /**
   * This address without a trailing {@code /p2p/} component.
   *
   * @throws IllegalArgumentException if the address is only {@code /p2p/<id>} (nothing would
   *     remain)
   */
  public Multiaddr withoutP2p() {
    if (peerId().isEmpty()) {
      return this;
    }
    return new Multiaddr(components.subList(0, components.size() - 1));
  }

  /** Whether this is {@code /ip4|ip6/<ip>/tcp/<port>}, optionally followed by {@code /p2p/<id>}. */
  public boolean isTcp() {
    // Not via withoutP2p(): a bare /p2p/<id> has nothing left and is simply not TCP.
    List<Component> c =
        peerId().isPresent() ? components.subList(0, components.size() - 1) : components;
    return c.size() == 2
        && (c.get(0).protocol() == Protocol.IP4 || c.get(0).protocol() == Protocol.IP6)
        && c.get(1).protocol() == Protocol.TCP;
  }

  /**
   * The socket address of an {@link #isTcp() IP+TCP} multiaddr.
   *
   * @throws IllegalArgumentException for any other shape (including DNS names, which need a
   *     resolver)
   */
  public InetSocketAddress toSocketAddress() {
    if (!isTcp()) {
      throw new IllegalArgumentException("not an ip4/ip6 + tcp multiaddr: " + this);
    }
    byte[] ip = components.get(0).valueBytes();
    int port = Integer.parseInt(components.get(1).value());
    try {
      return new InetSocketAddress(InetAddress.getByAddress(ip), port);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("bad IP in " + this, e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Multiaddr m && bytes.equals(m.bytes);
  }

  @Override
  public int hashCode() {
    return bytes.hashCode();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Component c : components) {
      sb.append(c);
    }
    return sb.toString();
  }
}
