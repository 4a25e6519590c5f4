package io.phase.core.sandbox.memory;

import java.lang.reflect.Field;
import java.nio.ByteOrder;
import java.util.Locale;
import java.util.Set;

/**
 * Unchecked little-endian loads and stores into a {@code byte[]} through {@code sun.misc.Unsafe},
 * for {@link FlatMemory}, which bounds-checks every address before calling here. Nothing else may
 * call these methods: an unchecked index reads or writes the host's heap.
 *
 * <p>Used only where it is safe and quiet: a little-endian CPU that allows unaligned access
 * (x86-64, AArch64), and a JDK before 24 or one started with {@code
 * --sun-misc-unsafe-memory-access=allow} (from JDK 24 the JVM otherwise warns on the first use of
 * Unsafe's memory methods, JEP 498; {@code ./phase} passes the option there). {@code
 * -Dphase.sandbox.raw-memory=false} turns it off; {@link FlatMemory} then uses checked {@code
 * VarHandle} views.
 */
public final class RawAccess {
  public static final boolean AVAILABLE;
  private static final sun.misc.Unsafe UNSAFE;
  private static final long BASE;

  static {
    sun.misc.Unsafe unsafe = null;
    long base = 0;
    if (wanted()) {
      try {
        Field field = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
        field.setAccessible(true);
        unsafe = (sun.misc.Unsafe) field.get(null);
        base = unsafe.arrayBaseOffset(byte[].class);
        if (unsafe.arrayIndexScale(byte[].class) != 1) {
          unsafe = null;
        }
      } catch (ReflectiveOperationException | RuntimeException e) {
        unsafe = null;
      }
    }
    UNSAFE = unsafe;
    BASE = base;
    AVAILABLE = unsafe != null;
  }

  private RawAccess() {}

  private static boolean wanted() {
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    return Boolean.parseBoolean(System.getProperty("phase.sandbox.raw-memory", "true"))
        && (Runtime.version().feature() < 24
            || "allow".equals(System.getProperty("sun.misc.unsafe.memory.access")))
        && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN
        && Set.of("amd64", "x86_64", "aarch64").contains(arch);
  }

  static short getShort(byte[] bytes, int index) {
    return UNSAFE.getShort(bytes, BASE + index);
  }

  static void putShort(byte[] bytes, int index, short value) {
    UNSAFE.putShort(bytes, BASE + index, value);
  }

  static int getInt(byte[] bytes, int index) {
    return UNSAFE.getInt(bytes, BASE + index);
  }

  static void putInt(byte[] bytes, int index, int value) {
    UNSAFE.putInt(bytes, BASE + index, value);
  }

  static long getLong(byte[] bytes, int index) {
    return UNSAFE.getLong(bytes, BASE + index);
  }

  static void putLong(byte[] bytes, int index, long value) {
    UNSAFE.putLong(bytes, BASE + index, value);
  }

  static float getFloat(byte[] bytes, int index) {
    return UNSAFE.getFloat(bytes, BASE + index);
  }

  static void putFloat(byte[] bytes, int index, float value) {
    UNSAFE.putFloat(bytes, BASE + index, value);
  }

  static double getDouble(byte[] bytes, int index) {
    return UNSAFE.getDouble(bytes, BASE + index);
  }

  static void putDouble(byte[] bytes, int index, double value) {
    UNSAFE.putDouble(bytes, BASE + index, value);
  }
}
