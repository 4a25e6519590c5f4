package io.phase.p2p.multiaddr;

import io.phase.p2p.text.PrintableText;
import java.util.Locale;

/** The multiaddr protocols this implementation understands, with their multicodec codes. */
public enum Protocol {
  IP4(0x04, "ip4", 4),
  TCP(0x06, "tcp", 2),
  IP6(0x29, "ip6", 16),
  DNS(0x35, "dns", Protocol.VARIABLE),
  DNS4(0x36, "dns4", Protocol.VARIABLE),
  DNS6(0x37, "dns6", Protocol.VARIABLE),
  DNSADDR(0x38, "dnsaddr", Protocol.VARIABLE),
  UDP(0x0111, "udp", 2),
  P2P(0x01a5, "p2p", Protocol.VARIABLE),
  QUIC_V1(0x01cd, "quic-v1", 0);

  /** Marks a length-prefixed value. */
  static final int VARIABLE = -1;

  private final int code;
  private final String protocolName;
  private final int size;

  Protocol(int code, String protocolName, int size) {
    this.code = code;
    this.protocolName = protocolName;
    this.size = size;
  }

  /** The multicodec code, as written (varint) in the binary form. */
  public int code() {
    return code;
  }

  /** The name used in the text form, e.g. {@code quic-v1}. */
  public String protocolName() {
    return protocolName;
  }

  /** Whether the protocol carries a value ({@code quic-v1} does not). */
  public boolean hasValue() {
    return size != 0;
  }

  int size() {
    return size;
  }

  static Protocol byCode(long code) {
    for (Protocol p : values()) {
      if (p.code == code) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown multiaddr protocol code 0x" + Long.toHexString(code));
  }

  static Protocol byName(String name) {
    if ("ipfs".equals(name)) {
      return P2P;
    }
    for (Protocol p : values()) {
      if (p.protocolName.equals(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown multiaddr protocol \"" + PrintableText.printable(name) + "\"");
  }

  @Override
  public String toString() {
    return protocolName.toLowerCase(Locale.ROOT);
  }
}
