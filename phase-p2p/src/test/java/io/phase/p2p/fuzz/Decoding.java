package io.phase.p2p.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.function.Function;

/**
 * The two properties every decoder of hostile bytes must have, as reusable checks:
 *
 * <ol>
 *   <li>{@link #decodeOrReject}: it returns a value or throws one of its <em>documented</em>
 *       rejection exceptions; anything else (NullPointerException, IndexOutOfBounds, ...) escapes
 *       and Jazzer reports it as a finding.
 *   <li>{@link #assertRoundTrip} / {@link #assertCanonical}: whatever it accepts re-encodes to
 *       something it decodes to an equal value (and, for strict formats, to the very same bytes).
 * </ol>
 *
 * A new message codec (Identify, Kademlia, ...) gets a fuzz target by combining the two; see
 * docs/fuzzing.md.
 */
final class Decoding {
  /** A decoder under test. */
  @FunctionalInterface
  interface Decoder<I, T> {
    T decode(I input) throws Exception;
  }

  private Decoding() {}

  /**
   * Runs {@code decoder} on {@code input}: returns its value, or empty if it threw one of the
   * {@code documented} exception types. Any other exception propagates (a finding).
   */
  @SafeVarargs
  static <I, T> Optional<T> decodeOrReject(
      I input, Decoder<I, T> decoder, Class<? extends Exception>... documented) throws Exception {
    try {
      T value = decoder.decode(input);
      if (value == null) {
        throw new AssertionError("decoder returned null instead of rejecting the input");
      }
      return Optional.of(value);
    } catch (Exception e) {
      for (Class<? extends Exception> type : documented) {
        if (type.isInstance(e)) {
          return Optional.empty();
        }
      }
      throw e;
    }
  }

  /** Encodes {@code value} and checks that it decodes back to an equal value. */
  static <E, T> void assertRoundTrip(T value, Function<T, E> encode, Decoder<E, T> decode)
      throws Exception {
    E encoded = encode.apply(value);
    T again = decode.decode(encoded);
    assertEquals(value, again, () -> "round trip changed the value; encoded form: " + encoded);
  }

  /**
   * For strict binary formats: an accepted input is the canonical encoding of its value, so
   * re-encoding gives back exactly the input bytes.
   */
  static <T> void assertCanonical(byte[] input, T value, Function<T, byte[]> encode) {
    assertArrayEquals(input, encode.apply(value), () -> "accepted a non-canonical encoding");
  }
}
