package io.phase.p2p.multiformats;

import java.nio.ByteBuffer;

/**
 * The multiformats unsigned varint: LEB128, at most 9 bytes (63 bits), minimal encoding only.
 *
 * <p>Decoders reject overlong (non-minimal) encodings such as {@code 80 00}, encodings longer than
 * 9 bytes and truncated input.
 */
public final class Varint {

  /** The longest valid encoding, in bytes. */
  public static final int MAX_BYTES = 9;

  private Varint() {}

  /** A decoded value and the number of bytes its encoding used. */
  public record Decoded(long value, int length) {}

  /** Number of bytes {@link #encode(long)} produces for {@code value}. */
  public static int encodedLength(long value) {
    requireEncodable(value);
    int n = 1;
    while ((value >>>= 7) != 0) {
      n++;
    }
    return n;
  }

  /** Encodes a value in {@code [0, 2^63)}. */
  public static byte[] encode(long value) {
    byte[] out = new byte[encodedLength(value)];
    write(value, out, 0);
    return out;
  }

  /**
   * Writes the encoding of {@code value} at {@code offset}; returns the number of bytes written.
   */
  public static int write(long value, byte[] out, int offset) {
    int n = encodedLength(value);
    for (int i = 0; i < n - 1; i++) {
      out[offset + i] = (byte) ((value & 0x7f) | 0x80);
      value >>>= 7;
    }
    out[offset + n - 1] = (byte) value;
    return n;
  }

  /**
   * Decodes one varint from {@code data[offset, limit)}.
   *
   * @throws IllegalArgumentException if the varint is truncated, non-minimal or too long
   */
  public static Decoded decode(byte[] data, int offset, int limit) {
    if (offset < 0 || limit > data.length || offset > limit) {
      throw new IndexOutOfBoundsException("bad range " + offset + ".." + limit);
    }
    long value = 0;
    for (int i = 0; i < MAX_BYTES; i++) {
      if (offset + i >= limit) {
        throw new IllegalArgumentException("truncated varint");
      }
      int b = data[offset + i] & 0xff;
      value |= (long) (b & 0x7f) << (7 * i);
      if ((b & 0x80) == 0) {
        if (b == 0 && i > 0) {
          throw new IllegalArgumentException("non-minimal varint encoding");
        }
        return new Decoded(value, i + 1);
      }
    }
    throw new IllegalArgumentException("varint longer than " + MAX_BYTES + " bytes");
  }

  /**
   * Reads one varint from a buffer for incremental framing.
   *
   * @return the value, consuming its bytes; or {@code -1} without consuming anything if the buffer
   *     does not yet hold a complete varint
   * @throws IllegalArgumentException if the bytes present are already invalid (non-minimal or
   *     longer than 9 bytes)
   */
  public static long read(ByteBuffer buffer) {
    int start = buffer.position();
    long value = 0;
    for (int i = 0; i < MAX_BYTES; i++) {
      if (start + i >= buffer.limit()) {
        return -1;
      }
      int b = buffer.get(start + i) & 0xff;
      value |= (long) (b & 0x7f) << (7 * i);
      if ((b & 0x80) == 0) {
        if (b == 0 && i > 0) {
          throw new IllegalArgumentException("non-minimal varint encoding");
        }
        buffer.position(start + i + 1);
        return value;
      }
    }
    throw new IllegalArgumentException("varint longer than " + MAX_BYTES + " bytes");
  }

  private static void requireEncodable(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("varint value out of range [0, 2^63): " + value);
    }
  }
}
