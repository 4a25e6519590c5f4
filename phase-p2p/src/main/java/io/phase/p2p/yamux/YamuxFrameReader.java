package io.phase.p2p.yamux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Parses yamux frames as bytes arrive: a 12-byte header (possibly split across reads, then gathered
 * in a small buffer of its own) and, for a data frame, its payload, handed to the stream piece by
 * piece without ever holding the whole frame. What a frame means is the {@link Handler}'s business.
 * One per session, event loop only; {@link #release()} frees the header buffer.
 */
final class YamuxFrameReader {

  /** What the session does with each frame. */
  interface Handler {
    /**
     * A frame header, its version checked. For a data frame with a payload, returns the stream the
     * payload goes to (null to discard it); other frames are complete with their header.
     */
    YamuxStreamChannel onFrame(int type, int flags, long streamId, long length)
        throws YamuxException;

    /** The payload of the last data frame has been delivered to {@code stream} (may be null). */
    void onDataEnd(YamuxStreamChannel stream, int flags);

    /** True once the session is closed: the rest of the input is dropped. */
    boolean isClosed();
  }

  private final Handler handler;
  private ByteBuf headerBuf;
  private long dataRemaining;
  private YamuxStreamChannel dataStream;
  private int dataFlags;

  YamuxFrameReader(Handler handler) {
    this.handler = handler;
    // A plain heap array: 12 bytes, owned by this reader, not worth pooling.
    this.headerBuf = Unpooled.wrappedBuffer(new byte[YamuxFrames.HEADER_LENGTH]).clear();
  }

  /** Consumes {@code in} (the caller releases it). */
  void read(ByteBuf in) throws YamuxException {
    while (in.isReadable() && !handler.isClosed()) {
      if (dataRemaining > 0) {
        int n = (int) Math.min(dataRemaining, in.readableBytes());
        if (dataStream != null) {
          dataStream.onData(in, n);
        } else {
          in.skipBytes(n);
        }
        dataRemaining -= n;
        if (dataRemaining == 0) {
          YamuxStreamChannel stream = dataStream;
          dataStream = null;
          handler.onDataEnd(stream, dataFlags);
        }
        continue;
      }
      if (!headerBuf.isReadable() && in.readableBytes() >= YamuxFrames.HEADER_LENGTH) {
        onHeader(in);
      } else {
        int n = Math.min(headerBuf.writableBytes(), in.readableBytes());
        headerBuf.writeBytes(in, n);
        if (!headerBuf.isWritable()) {
          onHeader(headerBuf);
          headerBuf.clear();
        }
      }
    }
  }

  private void onHeader(ByteBuf buf) throws YamuxException {
    int version = buf.readUnsignedByte();
    int type = buf.readUnsignedByte();
    int flags = buf.readUnsignedShort();
    long streamId = buf.readUnsignedInt();
    long length = buf.readUnsignedInt();
    if (version != YamuxFrames.VERSION) {
      throw new YamuxException("unsupported yamux version " + version);
    }
    YamuxStreamChannel sink = handler.onFrame(type, flags, streamId, length);
    if (type == YamuxFrames.TYPE_DATA && length > 0) {
      dataRemaining = length;
      dataStream = sink;
      dataFlags = flags;
    }
  }

  void release() {
    if (headerBuf != null) {
      headerBuf.release();
      headerBuf = null;
    }
  }
}
