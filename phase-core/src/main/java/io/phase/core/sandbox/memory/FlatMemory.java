package io.phase.core.sandbox.memory;

import static com.dylibso.chicory.runtime.ConstantEvaluators.computeConstantValue;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.WasmRuntimeException;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.UninstantiableException;
import com.dylibso.chicory.wasm.types.ActiveDataSegment;
import com.dylibso.chicory.wasm.types.DataSegment;
import com.dylibso.chicory.wasm.types.PassiveDataSegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A guest's linear memory as one flat {@code byte[]}: every load and store is one bounds check
 * against the guest-visible size and one little-endian array access.
 *
 * <p>Chicory's own memory keeps 64 KiB pages in an array of arrays, so each access first loads the
 * page, which costs guests about a third of their speed in load-heavy code (measured in
 * docs/benchmarks.md). Here the backing array grows by copying, with spare capacity so that a guest
 * growing a page at a time copies in amortised linear time; the guest never sees past {@link
 * #pages()}. The memory records whether a {@code memory.grow} was refused at the cap, so a later
 * trap can be reported as the memory limit it is. Unshared memories only: the sandbox runs one
 * guest thread and refuses modules that declare shared memory.
 */
public final class FlatMemory implements Memory {
  private static final VarHandle SHORT =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle FLOAT =
      MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle DOUBLE =
      MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

  private static final boolean RAW = RawAccess.AVAILABLE;

  /** Spare capacity added on growth, as a fraction of the new size (1/4). */
  private static final int SPARE_SHIFT = 2;

  private final int initialPages;
  private final int maximumPages;
  private byte[] bytes;
  private int size;
  private boolean growRefused;
  private DataSegment[] dataSegments;

  /**
   * @param initialPages pages the guest starts with
   * @param maximumPages pages it may grow to, already clamped to the operator's cap
   */
  public FlatMemory(int initialPages, int maximumPages) {
    if (initialPages < 0 || maximumPages < initialPages || maximumPages > RUNTIME_MAX_PAGES) {
      throw new IllegalArgumentException(
          "invalid memory limits: initial " + initialPages + ", maximum " + maximumPages);
    }
    this.initialPages = initialPages;
    this.maximumPages = maximumPages;
    this.size = initialPages * PAGE_SIZE;
    this.bytes = new byte[size];
  }

  /** Whether the guest asked to grow past its maximum (or the host could not supply the bytes). */
  public boolean growRefused() {
    return growRefused;
  }

  @Override
  public int pages() {
    return size / PAGE_SIZE;
  }

  @Override
  public int grow(int delta) {
    int before = pages();
    long after = (long) before + delta;
    if (delta < 0 || after > maximumPages) {
      growRefused = true;
      return -1;
    }
    int newSize = (int) (after * PAGE_SIZE);
    if (newSize > bytes.length) {
      long wanted = (long) newSize + ((long) newSize >> SPARE_SHIFT);
      int capacity = (int) Math.min(wanted, (long) maximumPages * PAGE_SIZE);
      try {
        bytes = Arrays.copyOf(bytes, capacity);
      } catch (OutOfMemoryError e) {
        // One failed allocation leaves the heap as it was; the guest sees a refused grow.
        growRefused = true;
        return -1;
      }
    }
    size = newSize;
    return before;
  }

  @Override
  public int initialPages() {
    return initialPages;
  }

  @Override
  public int maximumPages() {
    return maximumPages;
  }

  @Override
  public boolean shared() {
    return false;
  }

  @Override
  @SuppressWarnings("removal")
  public Object lock(int address) {
    throw new UnsupportedOperationException("shared memory is not supported");
  }

  @Override
  @SuppressWarnings("removal")
  public int waitOn(int address, int expected, long timeout) {
    throw new ChicoryException("Attempt to wait on a non-shared memory, not supported.");
  }

  @Override
  @SuppressWarnings("removal")
  public int waitOn(int address, long expected, long timeout) {
    throw new ChicoryException("Attempt to wait on a non-shared memory, not supported.");
  }

  @Override
  @SuppressWarnings("removal")
  public int notify(int address, int maxThreads) {
    return 0;
  }

  @Override
  public void initialize(Instance instance, DataSegment[] segments) {
    initialize(instance, segments, 0);
  }

  @Override
  public void initialize(Instance instance, DataSegment[] segments, int memoryIndex) {
    this.dataSegments = segments;
    if (segments == null) {
      return;
    }
    for (DataSegment s : segments) {
      if (s instanceof ActiveDataSegment segment) {
        if (segment.index() != memoryIndex) {
          continue;
        }
        byte[] data = segment.data();
        int offset = (int) computeConstantValue(instance, segment.offsetInstructions())[0];
        if (outside(offset, data.length)) {
          throw new UninstantiableException(outOfBounds(offset, data.length, size));
        }
        System.arraycopy(data, 0, bytes, offset, data.length);
      } else if (!(s instanceof PassiveDataSegment)) {
        throw new ChicoryException("Data segment should be active or passive: " + s);
      }
    }
  }

  @Override
  public void initPassiveSegment(int segmentId, int dest, int offset, int size) {
    write(dest, dataSegments[segmentId].data(), offset, size);
  }

  @Override
  public void drop(int segment) {
    dataSegments[segment] = PassiveDataSegment.EMPTY;
  }

  /** Whether [addr, addr + length) leaves the guest-visible memory (negative values do). */
  private boolean outside(int addr, int length) {
    return addr < 0 || length < 0 || (long) addr + length > size;
  }

  /**
   * Traps unless the {@code width}-byte access at {@code addr} lies inside the guest-visible
   * memory. Every load and store passes here first; with {@link RawAccess} it is the only check.
   */
  private void checkAccess(int addr, int width) {
    if (addr < 0 || addr > size - width) {
      throw trap(addr, width, size);
    }
  }

  /** Traps unless [addr, addr + length) lies inside the guest-visible memory. */
  private void checkRange(int addr, int length) {
    if (outside(addr, length)) {
      throw trap(addr, length, size);
    }
  }

  private static WasmRuntimeException trap(int addr, int length, int limit) {
    return new WasmRuntimeException(outOfBounds(addr, length, limit));
  }

  /** Chicory's wording, so traps read the same whichever memory a guest ran on. */
  private static String outOfBounds(int addr, int length, int limit) {
    return "out of bounds memory access: attempted to access address: "
        + addr
        + " but limit is: "
        + limit
        + " and size: "
        + length;
  }

  @Override
  public void write(int addr, byte[] data, int offset, int length) {
    if (offset < 0 || length < 0 || (long) offset + length > data.length) {
      throw trap(offset, length, data.length);
    }
    checkRange(addr, length);
    System.arraycopy(data, offset, bytes, addr, length);
  }

  @Override
  public byte[] readBytes(int addr, int length) {
    checkRange(addr, length);
    return Arrays.copyOfRange(bytes, addr, addr + length);
  }

  @Override
  public byte read(int addr) {
    checkAccess(addr, 1);
    return bytes[addr];
  }

  @Override
  public void writeByte(int addr, byte data) {
    checkAccess(addr, 1);
    bytes[addr] = data;
  }

  @Override
  public short readShort(int addr) {
    checkAccess(addr, 2);
    return RAW ? RawAccess.getShort(bytes, addr) : (short) SHORT.get(bytes, addr);
  }

  @Override
  public long readU16(int addr) {
    return readShort(addr) & 0xFFFFL;
  }

  @Override
  public void writeShort(int addr, short data) {
    checkAccess(addr, 2);
    if (RAW) {
      RawAccess.putShort(bytes, addr, data);
    } else {
      SHORT.set(bytes, addr, data);
    }
  }

  @Override
  public int readInt(int addr) {
    checkAccess(addr, 4);
    return RAW ? RawAccess.getInt(bytes, addr) : (int) INT.get(bytes, addr);
  }

  @Override
  public void writeI32(int addr, int data) {
    checkAccess(addr, 4);
    if (RAW) {
      RawAccess.putInt(bytes, addr, data);
    } else {
      INT.set(bytes, addr, data);
    }
  }

  @Override
  public long readLong(int addr) {
    checkAccess(addr, 8);
    return RAW ? RawAccess.getLong(bytes, addr) : (long) LONG.get(bytes, addr);
  }

  @Override
  public void writeLong(int addr, long data) {
    checkAccess(addr, 8);
    if (RAW) {
      RawAccess.putLong(bytes, addr, data);
    } else {
      LONG.set(bytes, addr, data);
    }
  }

  @Override
  public float readFloat(int addr) {
    checkAccess(addr, 4);
    return RAW ? RawAccess.getFloat(bytes, addr) : (float) FLOAT.get(bytes, addr);
  }

  @Override
  public long readF32(int addr) {
    return readInt(addr);
  }

  @Override
  public void writeF32(int addr, float data) {
    checkAccess(addr, 4);
    if (RAW) {
      RawAccess.putFloat(bytes, addr, data);
    } else {
      FLOAT.set(bytes, addr, data);
    }
  }

  @Override
  public double readDouble(int addr) {
    checkAccess(addr, 8);
    return RAW ? RawAccess.getDouble(bytes, addr) : (double) DOUBLE.get(bytes, addr);
  }

  @Override
  public long readF64(int addr) {
    return readLong(addr);
  }

  @Override
  public void writeF64(int addr, double data) {
    checkAccess(addr, 8);
    if (RAW) {
      RawAccess.putDouble(bytes, addr, data);
    } else {
      DOUBLE.set(bytes, addr, data);
    }
  }

  @Override
  public void zero() {
    Arrays.fill(bytes, 0, size, (byte) 0);
  }

  @Override
  public void fill(byte value, int fromIndex, int toIndex) {
    int length = toIndex - fromIndex;
    checkRange(fromIndex, length);
    Arrays.fill(bytes, fromIndex, toIndex, value);
  }

  @Override
  public void copy(int dest, int src, int length) {
    checkRange(dest, length);
    checkRange(src, length);
    // System.arraycopy copies overlapping ranges as if through a temporary, as memory.copy must.
    System.arraycopy(bytes, src, bytes, dest, length);
  }
}
