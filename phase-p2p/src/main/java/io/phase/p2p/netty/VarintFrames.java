package io.phase.p2p.netty;

import io.netty.buffer.ByteBuf;

/**
 * Unsigned-varint length-prefixed frames in a Netty buffer, as multistream-select, Identify and
 * Kademlia frame their messages. Nothing is consumed until a whole frame is there; a non-minimal
 * prefix, or a length over the caller's maximum, is refused as soon as the prefix is read, before
 * any body is buffered.
 */
public final class VarintFrames {
  /** The longest prefix read: five bytes hold any {@code int} length. */
  public static final int MAX_PREFIX_BYTES = 5;

  private VarintFrames() {}

  /** A frame longer than the caller allows (the prefix itself was well-formed so far). */
  public static final class FrameTooLongException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    FrameTooLongException(String message) {
      super(message);
    }
  }

  /**
   * The body length of the frame at {@code in}'s reader index, or -1 while its prefix is
   * incomplete. Consumes nothing.
   *
   * @throws FrameTooLongException if the length exceeds {@code maxBodyBytes}
   * @throws IllegalArgumentException if the prefix is non-minimal or longer than {@link
   *     #MAX_PREFIX_BYTES}
   */
  public static long peekLength(ByteBuf in, int maxBodyBytes) {
    int start = in.readerIndex();
    long length = 0;
    for (int i = 0; i < MAX_PREFIX_BYTES; i++) {
      if (start + i >= in.writerIndex()) {
        return -1;
      }
      int b = in.getUnsignedByte(start + i);
      length |= (long) (b & 0x7f) << (7 * i);
      if ((b & 0x80) == 0) {
        if (b == 0 && i > 0) {
          throw new IllegalArgumentException("non-minimal length prefix");
        }
        if (length > maxBodyBytes) {
          throw new FrameTooLongException(
              "frame of " + length + " bytes exceeds the maximum of " + maxBodyBytes);
        }
        return length;
      }
    }
    throw new IllegalArgumentException("length prefix longer than " + MAX_PREFIX_BYTES + " bytes");
  }

  /**
   * The body of the frame at {@code in}'s reader index, consuming the frame; null, consuming
   * nothing, while the frame is incomplete.
   *
   * @throws IllegalArgumentException as {@link #peekLength}
   */
  public static byte[] read(ByteBuf in, int maxBodyBytes) {
    long length = peekLength(in, maxBodyBytes);
    if (length < 0) {
      return null;
    }
    int prefix = prefixLength(length);
    if (in.readableBytes() < prefix + length) {
      return null;
    }
    in.skipBytes(prefix);
    byte[] body = new byte[(int) length];
    in.readBytes(body);
    return body;
  }

  /** Bytes of the minimal prefix for a body of {@code length} bytes. */
  public static int prefixLength(long length) {
    int n = 1;
    while ((length >>>= 7) != 0) {
      n++;
    }
    return n;
  }
}
