package io.phase.p2p.bytes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BytesTest {

  @Test
  void equalContentsAreEqualWithTheArrayHashCode() {
    Bytes a = Bytes.copyOf(new byte[] {1, 2, 3});
    Bytes b = Bytes.wrapOwned(new byte[] {1, 2, 3});
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertEquals(Arrays.hashCode(new byte[] {1, 2, 3}), a.hashCode());
    assertNotEquals(a, Bytes.copyOf(new byte[] {1, 2, 4}));
    assertNotEquals(a, Bytes.copyOf(new byte[] {1, 2}));
    assertNotEquals(a, new byte[] {1, 2, 3});
    Set<Bytes> set = new HashSet<>(Set.of(a));
    assertTrue(set.contains(b));
  }

  @Test
  void copyOfIsolatesFromTheCallersArrayAndToByteArrayFromTheValue() {
    byte[] source = {1, 2, 3};
    Bytes b = Bytes.copyOf(source);
    source[0] = 9;
    assertEquals(1, b.byteAt(0));
    byte[] out = b.toByteArray();
    out[1] = 9;
    assertEquals(2, b.byteAt(1));
    assertArrayEquals(new byte[] {1, 2, 3}, b.toByteArray());
    assertNotSame(b.toByteArray(), b.toByteArray());
  }

  @Test
  void rangeCopyTakesOnlyTheRangeAndChecksBounds() {
    byte[] source = {0, 1, 2, 3, 4};
    assertEquals(Bytes.copyOf(new byte[] {1, 2, 3}), Bytes.copyOf(source, 1, 3));
    assertEquals(Bytes.empty(), Bytes.copyOf(source, 5, 0));
    assertThrows(IndexOutOfBoundsException.class, () -> Bytes.copyOf(source, 3, 3));
    assertThrows(IndexOutOfBoundsException.class, () -> Bytes.copyOf(source, -1, 1));
  }

  @Test
  void wrapOwnedAndUnsafeArrayShareTheArrayWithoutACopy() {
    byte[] owned = new byte[256 * 1024];
    Bytes b = Bytes.wrapOwned(owned);
    assertSame(owned, b.unsafeArray());
    assertEquals(owned.length, b.length());
  }

  @Test
  void nullIsRefused() {
    assertThrows(NullPointerException.class, () -> Bytes.copyOf(null));
    assertThrows(NullPointerException.class, () -> Bytes.wrapOwned(null));
  }

  @Test
  void orderIsUnsignedLexicographicWithPrefixesFirst() {
    Bytes low = Bytes.copyOf(new byte[] {0x7f});
    Bytes high = Bytes.copyOf(new byte[] {(byte) 0x80});
    assertTrue(low.compareTo(high) < 0, "0x7f sorts before 0x80 (unsigned)");
    assertTrue(high.compareTo(low) > 0);
    assertTrue(Bytes.copyOf(new byte[] {1}).compareTo(Bytes.copyOf(new byte[] {1, 0})) < 0);
    assertEquals(0, Bytes.copyOf(new byte[] {5, 6}).compareTo(Bytes.wrapOwned(new byte[] {5, 6})));
  }

  @Test
  void toStringShowsTheLengthNeverTheContents() {
    assertEquals("3 bytes", Bytes.copyOf(new byte[] {'k', 'e', 'y'}).toString());
    assertEquals("0 bytes", Bytes.empty().toString());
    assertEquals("00ff10", Bytes.copyOf(new byte[] {0, (byte) 0xff, 0x10}).hex());
    assertTrue(Bytes.empty().isEmpty());
  }
}
