package io.phase.p2p.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * A heap allocator that remembers every buffer it hands out, so a fuzz target can check that the
 * code under test released all of them ({@link #assertAllReleased}) and allocated no more than a
 * bound derived from the input size ({@link #assertAllocatedAtMost}). One instance per fuzz
 * iteration; not thread-safe (Netty's {@code EmbeddedChannel} runs everything on the caller).
 */
final class TrackingAllocator extends AbstractByteBufAllocator {
  private final List<ByteBuf> buffers = new ArrayList<>();
  private long allocatedBytes;

  TrackingAllocator() {
    super(false);
  }

  @Override
  protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
    ByteBuf buf = new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
    buffers.add(buf);
    allocatedBytes += initialCapacity;
    return buf;
  }

  @Override
  protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
    // Heap only: the code under test must not care, and heap buffers need no cleaner.
    return newHeapBuffer(initialCapacity, maxCapacity);
  }

  @Override
  public boolean isDirectBufferPooled() {
    return false;
  }

  /** Sum of the initial capacities of every buffer allocated so far. */
  long allocatedBytes() {
    return allocatedBytes;
  }

  /** Wraps {@code data} in a buffer from this allocator (so its release is tracked too). */
  ByteBuf copyOf(byte[] data, int offset, int length) {
    return heapBuffer(Math.max(length, 1), Math.max(length, 1)).writeBytes(data, offset, length);
  }

  /** Fails if the code under test allocated more than {@code limit} bytes in total. */
  void assertAllocatedAtMost(long limit, String what) {
    assertTrue(
        allocatedBytes <= limit,
        () -> what + " allocated " + allocatedBytes + " bytes, bound is " + limit);
  }

  /** Fails if any buffer from this allocator is still referenced. */
  void assertAllReleased() {
    int leaked = 0;
    long leakedBytes = 0;
    for (ByteBuf buf : buffers) {
      if (buf.refCnt() != 0) {
        leaked++;
        leakedBytes += buf.capacity();
      }
    }
    if (leaked > 0) {
      fail(leaked + " of " + buffers.size() + " buffers (" + leakedBytes + " bytes) not released");
    }
  }
}
