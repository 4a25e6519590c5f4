package io.phase.p2p.yamux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** Constants of the yamux wire format and a writer for its 12-byte header. */
final class YamuxFrames {
  static final int HEADER_LENGTH = 12;
  static final int VERSION = 0;

  static final int TYPE_DATA = 0;
  static final int TYPE_WINDOW_UPDATE = 1;
  static final int TYPE_PING = 2;
  static final int TYPE_GO_AWAY = 3;

  static final int FLAG_SYN = 1;
  static final int FLAG_ACK = 2;
  static final int FLAG_FIN = 4;
  static final int FLAG_RST = 8;
  static final int KNOWN_FLAGS = FLAG_SYN | FLAG_ACK | FLAG_FIN | FLAG_RST;

  static final int GO_AWAY_NORMAL = 0;
  static final int GO_AWAY_PROTOCOL_ERROR = 1;
  static final int GO_AWAY_INTERNAL_ERROR = 2;

  /** Initial per-stream window every yamux peer assumes. */
  static final int INITIAL_WINDOW = 256 * 1024;

  /** Largest data frame payload this implementation sends. */
  static final int MAX_SEND_FRAME = 64 * 1024;

  private YamuxFrames() {}

  /**
   * A frame header in a heap buffer: the next handler (Noise) copies it into its message anyway,
   * and a 12-byte direct buffer costs more to allocate and fill than it saves.
   */
  static ByteBuf header(ByteBufAllocator alloc, int type, int flags, int streamId, long length) {
    ByteBuf buf = alloc.heapBuffer(HEADER_LENGTH, HEADER_LENGTH);
    buf.writeByte(VERSION);
    buf.writeByte(type);
    buf.writeShort(flags);
    buf.writeInt(streamId);
    buf.writeInt((int) length);
    return buf;
  }

  static String typeName(int type) {
    return switch (type) {
      case TYPE_DATA -> "data";
      case TYPE_WINDOW_UPDATE -> "window_update";
      case TYPE_PING -> "ping";
      case TYPE_GO_AWAY -> "go_away";
      default -> "unknown(" + type + ")";
    };
  }
}
