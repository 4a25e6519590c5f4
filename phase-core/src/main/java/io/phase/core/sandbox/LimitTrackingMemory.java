package io.phase.core.sandbox;

import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.types.DataSegment;
import com.dylibso.chicory.wasm.types.MemoryLimits;

/**
 * A guest memory whose maximum is the host's cap, and which remembers when the guest asked to grow
 * past it. Chicory answers such a {@code memory.grow} with -1 and the guest usually traps or exits
 * soon after; this flag is how the sandbox tells "memory limit" from an ordinary trap.
 */
final class LimitTrackingMemory implements Memory {
  private final ByteArrayMemory delegate;
  private volatile boolean growthRefused;

  LimitTrackingMemory(MemoryLimits limits) {
    this.delegate = new ByteArrayMemory(limits);
  }

  boolean growthRefused() {
    return growthRefused;
  }

  @Override
  public int grow(int size) {
    int previous = delegate.grow(size);
    if (previous < 0) {
      growthRefused = true;
    }
    return previous;
  }

  @Override
  public int pages() {
    return delegate.pages();
  }

  @Override
  public int initialPages() {
    return delegate.initialPages();
  }

  @Override
  public int maximumPages() {
    return delegate.maximumPages();
  }

  @Override
  public boolean shared() {
    return delegate.shared();
  }

  @Override
  public Object lock(int address) {
    return delegate.lock(address);
  }

  @Override
  public int waitOn(int address, int expected, long timeout) {
    return delegate.waitOn(address, expected, timeout);
  }

  @Override
  public int waitOn(int address, long expected, long timeout) {
    return delegate.waitOn(address, expected, timeout);
  }

  @Override
  public int notify(int address, int maxThreads) {
    return delegate.notify(address, maxThreads);
  }

  @Override
  public void initialize(Instance instance, DataSegment[] dataSegments) {
    delegate.initialize(instance, dataSegments);
  }

  @Override
  public void initPassiveSegment(int segmentId, int dest, int offset, int size) {
    delegate.initPassiveSegment(segmentId, dest, offset, size);
  }

  @Override
  public void write(int address, byte[] data, int offset, int size) {
    delegate.write(address, data, offset, size);
  }

  @Override
  public byte read(int address) {
    return delegate.read(address);
  }

  @Override
  public byte[] readBytes(int address, int length) {
    return delegate.readBytes(address, length);
  }

  @Override
  public void writeI32(int address, int data) {
    delegate.writeI32(address, data);
  }

  @Override
  public int readInt(int address) {
    return delegate.readInt(address);
  }

  @Override
  public void writeLong(int address, long data) {
    delegate.writeLong(address, data);
  }

  @Override
  public long readLong(int address) {
    return delegate.readLong(address);
  }

  @Override
  public void writeShort(int address, short data) {
    delegate.writeShort(address, data);
  }

  @Override
  public short readShort(int address) {
    return delegate.readShort(address);
  }

  @Override
  public long readU16(int address) {
    return delegate.readU16(address);
  }

  @Override
  public void writeByte(int address, byte data) {
    delegate.writeByte(address, data);
  }

  @Override
  public void writeF32(int address, float data) {
    delegate.writeF32(address, data);
  }

  @Override
  public long readF32(int address) {
    return delegate.readF32(address);
  }

  @Override
  public float readFloat(int address) {
    return delegate.readFloat(address);
  }

  @Override
  public void writeF64(int address, double data) {
    delegate.writeF64(address, data);
  }

  @Override
  public double readDouble(int address) {
    return delegate.readDouble(address);
  }

  @Override
  public long readF64(int address) {
    return delegate.readF64(address);
  }

  @Override
  public void zero() {
    delegate.zero();
  }

  @Override
  public void fill(byte value, int fromIndex, int toIndex) {
    delegate.fill(value, fromIndex, toIndex);
  }

  @Override
  public void copy(int dest, int src, int size) {
    delegate.copy(dest, src, size);
  }

  @Override
  public void drop(int segment) {
    delegate.drop(segment);
  }
}
