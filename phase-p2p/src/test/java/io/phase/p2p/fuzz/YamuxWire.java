package io.phase.p2p.fuzz;

import java.util.ArrayList;
import java.util.List;

/**
 * A minimal, independent reading of a yamux byte stream (12-byte headers; data frames followed by
 * their payload), used to check what a session sent and to model what it was sent.
 */
final class YamuxWire {
  static final int DATA = 0;
  static final int WINDOW_UPDATE = 1;
  static final int PING = 2;
  static final int GO_AWAY = 3;
  static final int SYN = 1;
  static final int RST = 8;
  static final int INITIAL_WINDOW = 256 * 1024;

  /** One header; {@code payloadLength} is how much of a data payload was actually present. */
  record Frame(int version, int type, int flags, long streamId, long length, int payloadLength) {}

  private YamuxWire() {}

  /** Headers in {@code bytes}; a trailing partial header is ignored, a data payload may be cut. */
  static List<Frame> frames(byte[] bytes) {
    List<Frame> out = new ArrayList<>();
    int offset = 0;
    while (bytes.length - offset >= 12) {
      int version = bytes[offset] & 0xff;
      int type = bytes[offset + 1] & 0xff;
      int flags = ((bytes[offset + 2] & 0xff) << 8) | (bytes[offset + 3] & 0xff);
      long id = u32(bytes, offset + 4);
      long length = u32(bytes, offset + 8);
      offset += 12;
      int payload = 0;
      if (type == DATA) {
        payload = (int) Math.min(length, bytes.length - offset);
        offset += payload;
      }
      out.add(new Frame(version, type, flags, id, length, payload));
    }
    return out;
  }

  private static long u32(byte[] b, int i) {
    return ((long) (b[i] & 0xff) << 24)
        | ((b[i + 1] & 0xff) << 16)
        | ((b[i + 2] & 0xff) << 8)
        | (b[i + 3] & 0xff);
  }
}
