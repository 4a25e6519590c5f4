package io.phase.core.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * Collects the bytes of a stream read to end of stream, for transports that push data as it
 * arrives. Refuses the chunk that would take the total past the cap, so it never holds more than
 * the cap.
 */
public final class EofCollector {
  private final int cap;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

  /** A collector that accepts at most {@code cap} bytes in total. */
  public EofCollector(int cap) {
    if (cap < 0) {
      throw new IllegalArgumentException("cap must not be negative");
    }
    this.cap = cap;
  }

  /**
   * Appends {@code length} bytes of {@code data} from {@code offset}.
   *
   * @throws ProtocolException if the total would exceed the cap
   */
  public void append(byte[] data, int offset, int length) {
    check(length);
    bytes.write(data, offset, length);
  }

  /** Appends and consumes the remaining bytes of {@code data}. */
  public void append(ByteBuffer data) {
    int length = data.remaining();
    check(length);
    byte[] chunk = new byte[length];
    data.get(chunk);
    bytes.writeBytes(chunk);
  }

  /** Bytes collected so far. */
  public int size() {
    return bytes.size();
  }

  /** Everything collected, once the stream has ended. */
  public byte[] toByteArray() {
    return bytes.toByteArray();
  }

  private void check(int length) {
    if ((long) bytes.size() + length > cap) {
      throw new ProtocolException(
          "message exceeds the limit of " + cap + " bytes before end of stream");
    }
  }
}
