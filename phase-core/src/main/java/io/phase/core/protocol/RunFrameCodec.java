package io.phase.core.protocol;

import io.phase.core.protocol.RunMessage.Output;
import io.phase.core.protocol.RunMessage.Sender;
import io.phase.core.protocol.RunMessage.Type;
import io.phase.core.receipt.OutputKind;
import io.phase.p2p.bytes.Bytes;
import io.phase.p2p.multiformats.Varint;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Frames of {@code /phase/job-run/1.0.0}: {@code uvarint(length) || type (1 byte) || body}, where
 * {@code length} counts the type byte and the body. Bodies are JSON for control frames, raw bytes
 * for data chunks, and {@code u64be seq || u8 kind || bytes} for OUTPUT. Each type has its own body
 * cap ({@link Type#maxBody()}); nothing larger than {@link #MAX_FRAME_LENGTH} is ever buffered.
 */
public final class RunFrameCodec {

  /** Largest {@code length} of any frame: an OUTPUT frame with a full chunk. */
  public static final int MAX_FRAME_LENGTH = 1 + Output.HEADER_BYTES + RunMessage.MAX_CHUNK_BYTES;

  private RunFrameCodec() {}

  /** The complete frame of {@code message}, length prefix included. */
  public static byte[] encode(RunMessage message) {
    byte[] body = body(message);
    Type type = message.type();
    if (body.length > type.maxBody()) {
      throw new IllegalArgumentException(
          type + " body is " + body.length + " bytes, over its cap of " + type.maxBody());
    }
    int length = 1 + body.length;
    byte[] frame = new byte[Varint.encodedLength(length) + length];
    int pos = Varint.write(length, frame, 0);
    frame[pos++] = (byte) type.code();
    System.arraycopy(body, 0, frame, pos, body.length);
    return frame;
  }

  private static byte[] body(RunMessage message) {
    if (message instanceof RunMessage.ModuleData m) {
      return m.data().unsafeArray();
    }
    if (message instanceof RunMessage.StdinData m) {
      return m.data().unsafeArray();
    }
    if (message instanceof RunMessage.WorkspaceData m) {
      return m.data().unsafeArray();
    }
    if (message instanceof RunMessage.OutputTreeData m) {
      return m.data().unsafeArray();
    }
    if (message instanceof Output o) {
      ByteBuffer b = ByteBuffer.allocate(Output.HEADER_BYTES + o.data().length());
      b.putLong(o.seq()).put((byte) o.kind().ordinal()).put(o.data().unsafeArray());
      return b.array();
    }
    return RunBodies.encode(message);
  }

  /**
   * Decodes one frame payload (type byte and body, without the length prefix) sent by {@code from}.
   *
   * @throws ProtocolException if the type is unknown, sent by the wrong side, over its cap, or the
   *     body is malformed
   */
  public static RunMessage decodePayload(byte[] payload, Sender from) {
    if (payload.length == 0) {
      throw new ProtocolException("empty frame (no type byte)");
    }
    Type type = checkType(payload[0] & 0xff, payload.length - 1, from);
    byte[] body = Arrays.copyOfRange(payload, 1, payload.length);
    return switch (type.body()) {
      case RAW -> raw(type, body);
      case OUTPUT -> output(body);
      case JSON -> RunBodies.decode(type, body);
    };
  }

  static Type checkType(int code, long bodyLength, Sender from) {
    Type type = Type.ofCode(code);
    if (type == null) {
      throw new ProtocolException(String.format("unknown frame type 0x%02x", code));
    }
    if (type.sender() != from) {
      throw new ProtocolException(
          type
              + " frames are sent by the "
              + type.sender().name().toLowerCase()
              + ", not the "
              + from.name().toLowerCase());
    }
    if (bodyLength > type.maxBody()) {
      throw new ProtocolException(
          type + " frame body of " + bodyLength + " bytes exceeds its cap of " + type.maxBody());
    }
    return type;
  }

  private static RunMessage raw(Type type, byte[] body) {
    return switch (type) {
      case MODULE_DATA -> new RunMessage.ModuleData(Bytes.wrapOwned(body));
      case STDIN_DATA -> new RunMessage.StdinData(Bytes.wrapOwned(body));
      case WORKSPACE_DATA -> new RunMessage.WorkspaceData(Bytes.wrapOwned(body));
      case OUTPUT_TREE -> new RunMessage.OutputTreeData(Bytes.wrapOwned(body));
      default -> throw new IllegalStateException(type + " is not a data frame");
    };
  }

  private static Output output(byte[] body) {
    if (body.length <= Output.HEADER_BYTES) {
      throw new ProtocolException("OUTPUT frame must hold seq, kind and at least one byte");
    }
    ByteBuffer b = ByteBuffer.wrap(body);
    long seq = b.getLong();
    if (seq < 0) {
      throw new ProtocolException("OUTPUT.seq is above 2^63-1");
    }
    int kind = b.get() & 0xff;
    if (kind >= OutputKind.values().length) {
      throw new ProtocolException("OUTPUT.kind must be 0 (stdout) or 1 (stderr), got " + kind);
    }
    byte[] data = Arrays.copyOfRange(body, Output.HEADER_BYTES, body.length);
    return new Output(seq, OutputKind.values()[kind], Bytes.wrapOwned(data));
  }

  /** A decoder for the frames one side receives from the other. */
  public static Decoder decoder(Sender from) {
    return new Decoder(from);
  }

  /**
   * Incremental decoder: feed bytes as they arrive, get whole messages out. Buffers at most one
   * frame ({@link #MAX_FRAME_LENGTH} bytes). After an error it refuses all further input: the
   * stream must be reset.
   */
  public static final class Decoder {
    private final Sender from;
    private final byte[] lengthBytes = new byte[Varint.MAX_BYTES];
    private int lengthFill;
    private byte[] payload;
    private int payloadFill;
    private String failure;

    private Decoder(Sender from) {
      this.from = from;
    }

    /**
     * Consumes all of {@code in} and returns the messages completed by it, in order.
     *
     * @throws ProtocolException on the first bad frame; the decoder is then unusable
     */
    public List<RunMessage> feed(ByteBuffer in) {
      if (failure != null) {
        throw new ProtocolException("decoder already failed: " + failure);
      }
      List<RunMessage> out = new ArrayList<>();
      try {
        while (in.hasRemaining()) {
          if (payload == null) {
            readLength(in);
          } else {
            int n = Math.min(in.remaining(), payload.length - payloadFill);
            if (payloadFill == 0 && n > 0) {
              int code = in.get(in.position()) & 0xff;
              checkType(code, payload.length - 1L, from);
            }
            in.get(payload, payloadFill, n);
            payloadFill += n;
            if (payloadFill == payload.length) {
              byte[] complete = payload;
              payload = null;
              payloadFill = 0;
              out.add(decodePayload(complete, from));
            }
          }
        }
      } catch (ProtocolException e) {
        failure = e.getMessage();
        throw e;
      }
      return out;
    }

    /** Convenience for {@link #feed(ByteBuffer)} over an array. */
    public List<RunMessage> feed(byte[] bytes) {
      return feed(ByteBuffer.wrap(bytes));
    }

    /** True if no partial frame is buffered: end of stream here is clean. */
    public boolean atFrameBoundary() {
      return payload == null && lengthFill == 0;
    }

    /**
     * Call at end of stream.
     *
     * @throws ProtocolException if the stream ended inside a frame
     */
    public void finish() {
      if (!atFrameBoundary()) {
        failure = "stream ended inside a frame";
        throw new ProtocolException(failure);
      }
    }

    private void readLength(ByteBuffer in) {
      lengthBytes[lengthFill++] = in.get();
      if ((lengthBytes[lengthFill - 1] & 0x80) != 0) {
        if (lengthFill == Varint.MAX_BYTES) {
          throw new ProtocolException("frame length varint longer than " + Varint.MAX_BYTES);
        }
        return;
      }
      long length;
      try {
        length = Varint.decode(lengthBytes, 0, lengthFill).value();
      } catch (IllegalArgumentException e) {
        throw new ProtocolException("bad frame length: " + e.getMessage());
      }
      lengthFill = 0;
      if (length == 0) {
        throw new ProtocolException("empty frame (no type byte)");
      }
      if (length > MAX_FRAME_LENGTH) {
        throw new ProtocolException(
            "frame of " + length + " bytes exceeds the maximum of " + MAX_FRAME_LENGTH);
      }
      payload = new byte[(int) length];
      payloadFill = 0;
    }
  }
}
