package io.phase.p2p.multiaddr;

import io.phase.p2p.text.PrintableText;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Strict textual IPv4/IPv6 parsing (never a DNS lookup) and canonical formatting. */
final class IpAddresses {
  private IpAddresses() {}

  static byte[] parseIp4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      throw bad("ip4", text);
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) {
        throw bad("ip4", text);
      }
      int v = 0;
      for (int j = 0; j < p.length(); j++) {
        char c = p.charAt(j);
        if (c < '0' || c > '9') {
          throw bad("ip4", text);
        }
        v = v * 10 + (c - '0');
      }
      if (v > 255) {
        throw bad("ip4", text);
      }
      out[i] = (byte) v;
    }
    return out;
  }

  static byte[] parseIp6(String text) {
    if (text.isEmpty() || text.length() > 45 || text.indexOf(':') < 0) {
      throw bad("ip6", text);
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean ok =
          (c >= '0' && c <= '9')
              || (c >= 'a' && c <= 'f')
              || (c >= 'A' && c <= 'F')
              || c == ':'
              || c == '.';
      if (!ok) {
        throw bad("ip6", text);
      }
    }
    InetAddress address;
    try {
      // A literal containing ':' is parsed, never resolved.
      address = InetAddress.getByName(text);
    } catch (UnknownHostException | IllegalArgumentException e) {
      throw bad("ip6", text);
    }
    byte[] raw = address.getAddress();
    if (raw.length == 16) {
      return raw;
    }
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    System.arraycopy(raw, 0, mapped, 12, 4);
    return mapped;
  }

  static String formatIp4(byte[] b) {
    return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
  }

  /** RFC 5952 form: lowercase, leading zeros dropped, longest run of 2+ zero groups as "::". */
  static String formatIp6(byte[] b) {
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLen = 0;
    for (int i = 0; i < 8; ) {
      if (groups[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    if (bestLen < 2) {
      bestStart = -1;
    }
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(groups[i]));
    }
    return sb.toString();
  }

  private static IllegalArgumentException bad(String kind, String text) {
    return new IllegalArgumentException(
        "invalid " + kind + " address \"" + PrintableText.printable(text) + "\"");
  }
}
