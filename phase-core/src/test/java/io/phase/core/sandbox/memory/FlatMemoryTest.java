package io.phase.core.sandbox.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.WasmRuntimeException;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import java.util.Arrays;
import java.util.Objects;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class FlatMemoryTest {
  static final int PAGE = Memory.PAGE_SIZE;

  @Test
  void accessesUpToTheLastByteSucceedAndOnePastTraps() {
    var m = new FlatMemory(1, 4);
    m.writeI32(PAGE - 4, 0x11223344);
    assertEquals(0x11223344, m.readInt(PAGE - 4));
    assertEquals(0x44, m.read(PAGE - 4), "little-endian");
    m.writeLong(PAGE - 8, -2L);
    assertEquals(-2L, m.readLong(PAGE - 8));
    m.writeShort(PAGE - 2, (short) -3);
    assertEquals(-3, m.readShort(PAGE - 2));
    assertEquals(0xFFFDL, m.readU16(PAGE - 2));
    m.writeF64(PAGE - 8, 1.5);
    assertEquals(1.5, m.readDouble(PAGE - 8));
    m.writeF32(PAGE - 4, 2.5f);
    assertEquals(2.5f, m.readFloat(PAGE - 4));
    m.writeByte(PAGE - 1, (byte) 7);
    assertEquals(7, m.read(PAGE - 1));

    assertThrows(WasmRuntimeException.class, () -> m.readInt(PAGE - 3));
    assertThrows(WasmRuntimeException.class, () -> m.writeI32(PAGE - 3, 1));
    assertThrows(WasmRuntimeException.class, () -> m.readLong(PAGE - 7));
    assertThrows(WasmRuntimeException.class, () -> m.writeLong(PAGE - 1, 1));
    assertThrows(WasmRuntimeException.class, () -> m.readShort(PAGE - 1));
    assertThrows(WasmRuntimeException.class, () -> m.read(PAGE));
    assertThrows(WasmRuntimeException.class, () -> m.writeByte(PAGE, (byte) 1));
    assertThrows(WasmRuntimeException.class, () -> m.readDouble(PAGE - 4));
    assertThrows(WasmRuntimeException.class, () -> m.readFloat(PAGE - 2));
    // Chicory hands negative addresses through when base + offset overflowed.
    assertThrows(WasmRuntimeException.class, () -> m.readInt(-1));
    assertThrows(WasmRuntimeException.class, () -> m.read(Integer.MIN_VALUE));
    assertThrows(WasmRuntimeException.class, () -> m.readBytes(PAGE - 1, 2));
    assertThrows(WasmRuntimeException.class, () -> m.write(PAGE - 1, new byte[2]));
  }

  @Test
  void spareCapacityStaysInvisibleToTheGuest() {
    var m = new FlatMemory(1, 64);
    assertEquals(1, m.grow(1));
    assertEquals(2, m.pages());
    // Growth keeps spare capacity, but the guest sees exactly the pages it asked for.
    assertThrows(WasmRuntimeException.class, () -> m.readInt(2 * PAGE));
    assertThrows(WasmRuntimeException.class, () -> m.writeByte(2 * PAGE, (byte) 1));
    assertThrows(WasmRuntimeException.class, () -> m.fill((byte) 1, 0, 2 * PAGE + 1));
    assertThrows(WasmRuntimeException.class, () -> m.copy(PAGE, PAGE + 1, PAGE));
  }

  @Test
  void zeroPageMemoryTrapsOnEveryAccess() {
    var m = new FlatMemory(0, 1);
    assertThrows(WasmRuntimeException.class, () -> m.read(0));
    assertThrows(WasmRuntimeException.class, () -> m.readInt(0));
    assertThrows(WasmRuntimeException.class, () -> m.readLong(0));
    m.fill((byte) 1, 0, 0); // zero-length at the end is allowed
    assertEquals(0, m.grow(1));
    assertEquals(0, m.readInt(0));
  }

  @Test
  void growKeepsDataReturnsOldSizeAndRecordsRefusals() {
    var m = new FlatMemory(1, 10);
    m.writeI32(100, 42);
    for (int p = 1; p < 10; p++) {
      assertEquals(p, m.grow(1));
      m.writeI32(p * PAGE, p);
    }
    assertEquals(42, m.readInt(100));
    for (int p = 1; p < 10; p++) {
      assertEquals(p, m.readInt(p * PAGE));
    }
    assertEquals(10, m.grow(0));
    assertFalse(m.growRefused());
    assertEquals(-1, m.grow(1));
    assertTrue(m.growRefused());
    assertEquals(10, m.pages());
    assertEquals(-1, m.grow(-1));
    assertEquals(-1, m.grow(Integer.MAX_VALUE));
  }

  @Test
  void copyHandlesOverlapBothWaysAndFillIsBounded() {
    var m = new FlatMemory(1, 1);
    byte[] data = {1, 2, 3, 4, 5, 6, 7, 8};
    m.write(10, data);
    m.copy(12, 10, 8); // dest after src, overlapping
    assertArrayEquals(new byte[] {1, 2, 1, 2, 3, 4, 5, 6, 7, 8}, m.readBytes(10, 10));
    m.copy(10, 12, 8); // dest before src, overlapping
    assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, m.readBytes(10, 8));
    m.fill((byte) 9, 0, PAGE);
    assertEquals(9, m.read(PAGE - 1));
    assertThrows(WasmRuntimeException.class, () -> m.fill((byte) 1, 5, 4));
    m.zero();
    assertEquals(0, m.readLong(PAGE - 8));
  }

  @Test
  void rawAccessCanBeTurnedOff() {
    assumeTrue("false".equals(System.getProperty("phase.sandbox.raw-memory")));
    assertFalse(RawAccess.AVAILABLE, "-Dphase.sandbox.raw-memory=false must select checked views");
  }

  @Test
  void rawAccessIsOnWhereItIsSafeAndQuiet() {
    String arch = System.getProperty("os.arch");
    assumeTrue(
        Runtime.version().feature() < 24 && ("amd64".equals(arch) || "aarch64".equals(arch)),
        "JDK 17-23 on x86-64 or AArch64 only");
    assumeTrue(!"false".equals(System.getProperty("phase.sandbox.raw-memory")));
    assertTrue(RawAccess.AVAILABLE, "the unchecked path should be in use on " + arch);
  }

  @Test
  void limitsAreValidated() {
    assertThrows(IllegalArgumentException.class, () -> new FlatMemory(2, 1));
    assertThrows(IllegalArgumentException.class, () -> new FlatMemory(-1, 1));
    assertThrows(
        IllegalArgumentException.class, () -> new FlatMemory(0, Memory.RUNTIME_MAX_PAGES + 1));
    assertFalse(new FlatMemory(0, 0).shared());
  }

  /**
   * Drives our memory and Chicory's reference memory through the same random operations, with
   * addresses clustered at the edges (0, the end, past the end, negative), and requires identical
   * results and identical traps: the bounds check is the sandbox boundary.
   */
  @Test
  void behavesExactlyLikeChicorysMemoryUnderRandomAccess() {
    Random random = new Random(20261124);
    for (int round = 0; round < 20; round++) {
      int initial = random.nextInt(3);
      int maximum = initial + 1 + random.nextInt(6);
      var ours = new FlatMemory(initial, maximum);
      var reference = new ByteArrayMemory(new MemoryLimits(initial, maximum));
      for (int op = 0; op < 20_000; op++) {
        int addr = address(random, reference.pages() * PAGE);
        int kind = random.nextInt(20);
        long value = random.nextLong();
        String what = "round " + round + " op " + op + " kind " + kind + " addr " + addr;
        switch (kind) {
          case 0 -> {
            int delta = random.nextInt(8) == 0 ? -1 : random.nextInt(3);
            same(what, m -> m.grow(delta), ours, reference);
          }
          case 1 -> same(what, m -> m.read(addr), ours, reference);
          case 2 -> same(what, m -> m.readShort(addr), ours, reference);
          case 3 -> same(what, m -> m.readInt(addr), ours, reference);
          case 4 -> same(what, m -> m.readLong(addr), ours, reference);
          case 5 -> same(what, m -> m.readU16(addr), ours, reference);
          case 6 -> same(what, m -> Float.floatToRawIntBits(m.readFloat(addr)), ours, reference);
          case 7 ->
              same(what, m -> Double.doubleToRawLongBits(m.readDouble(addr)), ours, reference);
          case 8 -> same(what, m -> run(() -> m.writeByte(addr, (byte) value)), ours, reference);
          case 9 -> same(what, m -> run(() -> m.writeShort(addr, (short) value)), ours, reference);
          case 10, 11 -> same(what, m -> run(() -> m.writeI32(addr, (int) value)), ours, reference);
          case 12 -> same(what, m -> run(() -> m.writeLong(addr, value)), ours, reference);
          case 13 ->
              same(
                  what,
                  m -> run(() -> m.writeF32(addr, Float.intBitsToFloat((int) value))),
                  ours,
                  reference);
          case 14 ->
              same(
                  what,
                  m -> run(() -> m.writeF64(addr, Double.longBitsToDouble(value))),
                  ours,
                  reference);
          case 15 -> {
            int length = random.nextInt(300) - 2;
            same(what, m -> Arrays.hashCode(m.readBytes(addr, length)), ours, reference);
          }
          case 16 -> {
            byte[] data = new byte[random.nextInt(300)];
            random.nextBytes(data);
            same(what, m -> run(() -> m.write(addr, data)), ours, reference);
          }
          case 17 -> {
            int to = addr + random.nextInt(300) - 2;
            same(what, m -> run(() -> m.fill((byte) value, addr, to)), ours, reference);
          }
          case 18 -> {
            int src = address(random, reference.pages() * PAGE);
            int length = random.nextInt(300) - 2;
            same(what, m -> run(() -> m.copy(addr, src, length)), ours, reference);
          }
          default -> same(what, Memory::pages, ours, reference);
        }
      }
      int size = reference.pages() * PAGE;
      assertArrayEquals(reference.readBytes(0, size), ours.readBytes(0, size), "round " + round);
    }
  }

  /** An address near 0, near the end, past it, negative, or anywhere. */
  private static int address(Random random, int size) {
    return switch (random.nextInt(6)) {
      case 0 -> random.nextInt(16);
      case 1, 2 -> size - 12 + random.nextInt(24);
      case 3 -> -1 - random.nextInt(16);
      case 4 ->
          random.nextBoolean()
              ? Integer.MIN_VALUE + random.nextInt(8)
              : Integer.MAX_VALUE - random.nextInt(8);
      default -> size == 0 ? 0 : random.nextInt(size);
    };
  }

  private static Object run(Runnable action) {
    action.run();
    return "done";
  }

  /** Applies {@code op} to both memories: equal results, or a trap from both. */
  private static void same(
      String what, Function<Memory, Object> op, Memory ours, Memory reference) {
    Object expected;
    try {
      expected = op.apply(reference);
    } catch (WasmRuntimeException e) {
      assertThrows(WasmRuntimeException.class, () -> op.apply(ours), what + ": must trap");
      return;
    }
    Object actual;
    try {
      actual = op.apply(ours);
    } catch (WasmRuntimeException e) {
      throw new AssertionError(what + ": trapped, but Chicory's memory gave " + expected, e);
    }
    assertTrue(Objects.equals(expected, actual), what + ": " + expected + " != " + actual);
  }
}
