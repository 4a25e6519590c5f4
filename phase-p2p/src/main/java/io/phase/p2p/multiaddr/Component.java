package io.phase.p2p.multiaddr;

import io.phase.p2p.peer.PeerId;
import io.phase.p2p.text.PrintableText;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One protocol of a multiaddr with its value in canonical text form ({@code ""} for protocols
 * without a value). Build with {@link #of}, which validates and canonicalises.
 */
public record Component(Protocol protocol, String value) {
  private static final int MAX_DNS_LENGTH = 253;

  /** Validating constructor; use {@link #of} to also canonicalise. */
  public Component {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(value, "value");
  }

  /** Parses and canonicalises a value given in text form. */
  public static Component of(Protocol protocol, String text) {
    return fromBytes(protocol, valueToBytes(protocol, text));
  }

  /** The binary value (without any length prefix). */
  byte[] valueBytes() {
    return valueToBytes(protocol, value);
  }

  static Component fromBytes(Protocol protocol, byte[] raw) {
    return new Component(protocol, bytesToText(protocol, raw));
  }

  private static byte[] valueToBytes(Protocol protocol, String text) {
    return switch (protocol) {
      case IP4 -> IpAddresses.parseIp4(text);
      case IP6 -> IpAddresses.parseIp6(text);
      case TCP, UDP -> {
        int port = parsePort(protocol, text);
        yield new byte[] {(byte) (port >> 8), (byte) port};
      }
      case DNS, DNS4, DNS6, DNSADDR -> {
        validateDnsName(protocol, text);
        yield text.getBytes(StandardCharsets.US_ASCII);
      }
      case P2P -> PeerId.parse(text).toBytes();
      case QUIC_V1 -> {
        if (!text.isEmpty()) {
          throw new IllegalArgumentException("quic-v1 takes no value");
        }
        yield new byte[0];
      }
    };
  }

  private static String bytesToText(Protocol protocol, byte[] raw) {
    if (protocol.size() != Protocol.VARIABLE && raw.length != protocol.size()) {
      throw new IllegalArgumentException(
          protocol + " value must be " + protocol.size() + " bytes, got " + raw.length);
    }
    return switch (protocol) {
      case IP4 -> IpAddresses.formatIp4(raw);
      case IP6 -> IpAddresses.formatIp6(raw);
      case TCP, UDP -> Integer.toString(((raw[0] & 0xff) << 8) | (raw[1] & 0xff));
      case DNS, DNS4, DNS6, DNSADDR -> {
        String name = new String(raw, StandardCharsets.US_ASCII);
        validateDnsName(protocol, name);
        yield name;
      }
      case P2P -> PeerId.fromBytes(raw).toBase58();
      case QUIC_V1 -> "";
    };
  }

  private static int parsePort(Protocol protocol, String text) {
    if (text.isEmpty() || text.length() > 5 || (text.length() > 1 && text.charAt(0) == '0')) {
      throw badPort(protocol, text);
    }
    int port = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        throw badPort(protocol, text);
      }
      port = port * 10 + (c - '0');
    }
    if (port > 65535) {
      throw badPort(protocol, text);
    }
    return port;
  }

  private static IllegalArgumentException badPort(Protocol protocol, String text) {
    return new IllegalArgumentException(
        "invalid " + protocol + " port \"" + PrintableText.printable(text) + "\"");
  }

  private static void validateDnsName(Protocol protocol, String name) {
    if (name.isEmpty() || name.length() > MAX_DNS_LENGTH) {
      throw new IllegalArgumentException(
          protocol + " name must be 1.." + MAX_DNS_LENGTH + " characters");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '.'
              || c == '_';
      if (!ok) {
        throw new IllegalArgumentException(
            "invalid " + protocol + " name \"" + PrintableText.printable(name) + "\"");
      }
    }
  }

  @Override
  public String toString() {
    return protocol.hasValue() ? "/" + protocol + "/" + value : "/" + protocol;
  }
}
