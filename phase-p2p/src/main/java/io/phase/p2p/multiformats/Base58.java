package io.phase.p2p.multiformats;

import java.util.Arrays;

/**
 * Base58 with the Bitcoin alphabet ({@code base58btc}), as used for libp2p peer ids.
 *
 * <p>Decoding is quadratic in the input length, so inputs longer than {@link #MAX_ENCODED_LENGTH}
 * characters are rejected before any work is done.
 */
public final class Base58 {

  /** Longest text accepted by {@link #decode(String)}; far above any peer id or multihash. */
  public static final int MAX_ENCODED_LENGTH = 1024;

  /** Longest input accepted by {@link #encode(byte[])}. */
  public static final int MAX_DECODED_LENGTH = 512;

  private static final char[] ALPHABET =
      "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".toCharArray();
  private static final int[] INDEXES = new int[128];

  static {
    Arrays.fill(INDEXES, -1);
    for (int i = 0; i < ALPHABET.length; i++) {
      INDEXES[ALPHABET[i]] = i;
    }
  }

  private Base58() {}

  /** Encodes bytes as base58btc text; each leading zero byte becomes a leading {@code '1'}. */
  public static String encode(byte[] input) {
    if (input.length > MAX_DECODED_LENGTH) {
      throw new IllegalArgumentException(
          "base58 input too long: " + input.length + " bytes, max " + MAX_DECODED_LENGTH);
    }
    int zeros = 0;
    while (zeros < input.length && input[zeros] == 0) {
      zeros++;
    }
    // log(256)/log(58) < 1.366, so 138/100 digits per byte is enough.
    char[] digits = new char[input.length * 138 / 100 + 1];
    int length = 0;
    for (int i = zeros; i < input.length; i++) {
      int carry = input[i] & 0xff;
      for (int j = 0; j < length; j++) {
        carry += (digits[j] & 0xff) << 8;
        digits[j] = (char) (carry % 58);
        carry /= 58;
      }
      while (carry > 0) {
        digits[length++] = (char) (carry % 58);
        carry /= 58;
      }
    }
    StringBuilder out = new StringBuilder(zeros + length);
    for (int i = 0; i < zeros; i++) {
      out.append('1');
    }
    for (int i = length - 1; i >= 0; i--) {
      out.append(ALPHABET[digits[i]]);
    }
    return out.toString();
  }

  /**
   * Decodes base58btc text.
   *
   * @throws IllegalArgumentException if the text is empty, too long or has a character outside the
   *     alphabet
   */
  public static byte[] decode(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("base58 text is empty");
    }
    if (text.length() > MAX_ENCODED_LENGTH) {
      throw new IllegalArgumentException(
          "base58 text too long: " + text.length() + " chars, max " + MAX_ENCODED_LENGTH);
    }
    int zeros = 0;
    while (zeros < text.length() && text.charAt(zeros) == '1') {
      zeros++;
    }
    // log(58)/log(256) < 0.733
    byte[] bytes = new byte[text.length() * 733 / 1000 + 1];
    int length = 0;
    for (int i = zeros; i < text.length(); i++) {
      char c = text.charAt(i);
      int digit = c < 128 ? INDEXES[c] : -1;
      if (digit < 0) {
        throw new IllegalArgumentException("invalid base58 character at index " + i);
      }
      int carry = digit;
      for (int j = 0; j < length; j++) {
        carry += (bytes[j] & 0xff) * 58;
        bytes[j] = (byte) carry;
        carry >>>= 8;
      }
      while (carry > 0) {
        bytes[length++] = (byte) carry;
        carry >>>= 8;
      }
    }
    byte[] out = new byte[zeros + length];
    for (int i = 0; i < length; i++) {
      out[zeros + i] = bytes[length - 1 - i];
    }
    return out;
  }
}
