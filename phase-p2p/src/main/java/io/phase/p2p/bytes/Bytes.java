package io.phase.p2p.bytes;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An immutable sequence of bytes with value semantics: equal when the contents are equal, ordered
 * by unsigned lexicographic comparison, shown as {@code "N bytes"}. Records and value classes use
 * it instead of a {@code byte[]} component, so they need no hand-written equals, hashCode or
 * toString.
 *
 * <p>{@link #copyOf(byte[])} copies its argument. {@link #wrapOwned(byte[])} does not: it is for
 * code that has just allocated the array (a decoder, a chunk reader) and hands it over for good.
 * {@link #unsafeArray()} returns the backing array, also without a copy, for hot paths that pass
 * the bytes on read-only (to a digest, a frame, a sink); everything else reads a copy through
 * {@link #toByteArray()}.
 */
public final class Bytes implements Comparable<Bytes> {

  private static final Bytes EMPTY = new Bytes(new byte[0]);

  private final byte[] array;

  private Bytes(byte[] array) {
    this.array = array;
  }

  /** A copy of {@code bytes}; later changes to {@code bytes} do not show. */
  public static Bytes copyOf(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    return bytes.length == 0 ? EMPTY : new Bytes(bytes.clone());
  }

  /** A copy of {@code length} bytes of {@code bytes} from {@code offset}. */
  public static Bytes copyOf(byte[] bytes, int offset, int length) {
    Objects.requireNonNull(bytes, "bytes");
    Objects.checkFromIndexSize(offset, length, bytes.length);
    return length == 0 ? EMPTY : new Bytes(Arrays.copyOfRange(bytes, offset, offset + length));
  }

  /**
   * {@code bytes} itself, without a copy. The caller gives up the array: neither it nor anyone it
   * shared the array with may change it afterwards.
   */
  public static Bytes wrapOwned(byte[] bytes) {
    return new Bytes(Objects.requireNonNull(bytes, "bytes"));
  }

  /** No bytes. */
  public static Bytes empty() {
    return EMPTY;
  }

  /** How many bytes. */
  public int length() {
    return array.length;
  }

  /** True when there are no bytes. */
  public boolean isEmpty() {
    return array.length == 0;
  }

  /** The byte at {@code index}. */
  public byte byteAt(int index) {
    return array[index];
  }

  /** A fresh copy of the bytes. */
  public byte[] toByteArray() {
    return array.clone();
  }

  /**
   * The backing array itself, not a copy, for hot paths that hand the bytes on read-only (to a
   * digest, a stream, a frame). The caller must not change it.
   */
  public byte[] unsafeArray() {
    return array;
  }

  /** The bytes as lowercase hex. */
  public String hex() {
    return HexFormat.of().formatHex(array);
  }

  /** Unsigned lexicographic order; a proper prefix sorts first. */
  @Override
  public int compareTo(Bytes other) {
    return Arrays.compareUnsigned(array, other.array);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bytes other && Arrays.equals(array, other.array);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(array);
  }

  /** {@code "N bytes"}: the length, never the contents (they may be large or secret). */
  @Override
  public String toString() {
    return array.length + " bytes";
  }
}
