package io.phase.p2p.multiformats;

/**
 * The multibase encodings Phase reads and writes: {@code b} (RFC 4648 base32, lowercase, no
 * padding; the default for CIDv1) and {@code z} (base58btc). Other prefixes are rejected.
 */
public final class Multibase {

  /** Longest multibase text accepted by {@link #decode(String)}. */
  public static final int MAX_ENCODED_LENGTH = 1024;

  private static final char BASE32_PREFIX = 'b';
  private static final char BASE58_PREFIX = 'z';
  private static final String BASE32_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";

  private Multibase() {}

  /** Encodes bytes as {@code 'b' + base32 lowercase}, without padding. */
  public static String encodeBase32(byte[] data) {
    StringBuilder out = new StringBuilder(1 + (data.length * 8 + 4) / 5);
    out.append(BASE32_PREFIX);
    int buffer = 0;
    int bits = 0;
    for (byte b : data) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(BASE32_ALPHABET.charAt((buffer >>> (bits - 5)) & 0x1f));
        bits -= 5;
      }
    }
    if (bits > 0) {
      out.append(BASE32_ALPHABET.charAt((buffer << (5 - bits)) & 0x1f));
    }
    return out.toString();
  }

  /** Encodes bytes as {@code 'z' + base58btc}. */
  public static String encodeBase58(byte[] data) {
    return BASE58_PREFIX + Base58.encode(data);
  }

  /**
   * Decodes multibase text with prefix {@code b} or {@code z}.
   *
   * @throws IllegalArgumentException on an unsupported prefix, bad characters, padding, or non-zero
   *     trailing bits
   */
  public static byte[] decode(String text) {
    if (text.length() < 2) {
      throw new IllegalArgumentException("multibase text too short");
    }
    if (text.length() > MAX_ENCODED_LENGTH) {
      throw new IllegalArgumentException(
          "multibase text too long: " + text.length() + " chars, max " + MAX_ENCODED_LENGTH);
    }
    char prefix = text.charAt(0);
    String body = text.substring(1);
    return switch (prefix) {
      case BASE32_PREFIX -> decodeBase32(body);
      case BASE58_PREFIX -> Base58.decode(body);
      default ->
          throw new IllegalArgumentException(
              "unsupported multibase prefix '" + printable(prefix) + "' (expected 'b' or 'z')");
    };
  }

  private static byte[] decodeBase32(String body) {
    int remainder = body.length() % 8;
    if (remainder == 1 || remainder == 3 || remainder == 6) {
      throw new IllegalArgumentException("invalid base32 length " + body.length());
    }
    byte[] out = new byte[body.length() * 5 / 8];
    int buffer = 0;
    int bits = 0;
    int n = 0;
    for (int i = 0; i < body.length(); i++) {
      int value = BASE32_ALPHABET.indexOf(body.charAt(i));
      if (value < 0) {
        throw new IllegalArgumentException(
            "invalid base32 character '" + printable(body.charAt(i)) + "' at index " + (i + 1));
      }
      buffer = (buffer << 5) | value;
      bits += 5;
      if (bits >= 8) {
        out[n++] = (byte) (buffer >>> (bits - 8));
        bits -= 8;
      }
    }
    if ((buffer & ((1 << bits) - 1)) != 0) {
      throw new IllegalArgumentException("non-canonical base32: trailing bits are not zero");
    }
    return out;
  }

  private static String printable(char c) {
    return c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c);
  }
}
