package io.phase.p2p.mss;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.phase.p2p.netty.VarintFrames;
import java.nio.charset.StandardCharsets;

/**
 * Wire format of multistream-select messages: an unsigned varint length, then that many bytes
 * ending in {@code '\n'}. Decoding is strict and bounded.
 */
public final class MultistreamCodec {
  /** The protocol id of multistream-select itself, sent as the first message by both sides. */
  public static final String PROTOCOL_ID = "/multistream/1.0.0";

  /** Reply sent for an unsupported proposal. */
  public static final String NA = "na";

  /** Largest accepted message, including the trailing newline. */
  public static final int MAX_MESSAGE_BYTES = 1024;

  private MultistreamCodec() {}

  /** Checks that {@code protocolId} can be sent as one message; throws if not. */
  public static void validateProtocolId(String protocolId) {
    if (protocolId == null || protocolId.isEmpty()) {
      throw new IllegalArgumentException("protocol id must not be empty");
    }
    if (protocolId.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("protocol id must not contain a newline");
    }
    if (protocolId.getBytes(StandardCharsets.UTF_8).length + 1 > MAX_MESSAGE_BYTES) {
      throw new IllegalArgumentException(
          "protocol id longer than " + (MAX_MESSAGE_BYTES - 1) + " bytes");
    }
  }

  /** Appends one encoded message for {@code text} to {@code out}. */
  public static void write(ByteBuf out, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    int length = bytes.length + 1;
    if (length > MAX_MESSAGE_BYTES) {
      throw new IllegalArgumentException("multistream message too long: " + length);
    }
    writeUvarint(out, length);
    out.writeBytes(bytes);
    out.writeByte('\n');
  }

  /** Encodes the given messages back to back into a new buffer. */
  public static ByteBuf encode(ByteBufAllocator alloc, String... texts) {
    ByteBuf out = alloc.buffer(64);
    for (String text : texts) {
      write(out, text);
    }
    return out;
  }

  /**
   * Reads one message from {@code in}. Returns {@code null} and leaves the reader index unchanged
   * if the message is not complete yet.
   *
   * @throws MultistreamException if the bytes cannot be a valid message
   */
  public static String read(ByteBuf in) throws MultistreamException {
    long length;
    try {
      length = VarintFrames.peekLength(in, MAX_MESSAGE_BYTES);
    } catch (IllegalArgumentException e) {
      throw new MultistreamException(e.getMessage());
    }
    if (length < 0) {
      return null;
    }
    if (length < 2) {
      throw new MultistreamException("empty message");
    }
    int len = (int) length;
    int index = in.readerIndex() + VarintFrames.prefixLength(length);
    if (in.writerIndex() - index < len) {
      return null;
    }
    if (in.getByte(index + len - 1) != '\n') {
      throw new MultistreamException("message does not end with a newline");
    }
    String text = in.toString(index, len - 1, StandardCharsets.UTF_8);
    if (text.indexOf('\n') >= 0) {
      throw new MultistreamException("message contains more than one line");
    }
    in.readerIndex(index + len);
    return text;
  }

  private static void writeUvarint(ByteBuf out, int value) {
    while ((value & ~0x7f) != 0) {
      out.writeByte((value & 0x7f) | 0x80);
      value >>>= 7;
    }
    out.writeByte(value);
  }
}
