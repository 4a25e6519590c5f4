package io.phase.p2p.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.phase.p2p.host.Host;
import java.util.Random;

/**
 * The benchmark protocols of {@code interop/lib/protocols.mjs}, served by a phase-p2p host.
 *
 * <ul>
 *   <li>{@value #SINK}: discards bytes until the remote half-closes, then writes the byte count as
 *       8 bytes big-endian and half-closes.
 *   <li>{@value #SOURCE}: reads an 8-byte big-endian count N (at most {@value #MAX_SOURCE_BYTES}),
 *       writes N bytes and half-closes; anything sent after the count is discarded.
 * </ul>
 */
final class BenchProtocols {
  static final String SINK = "/phase/sink/1.0.0";
  static final String SOURCE = "/phase/source/1.0.0";

  /** Most bytes one source request may ask for (as interop/ allows). */
  static final long MAX_SOURCE_BYTES = 16L * 1024 * 1024 * 1024;

  /** Size of the data chunks written by senders. */
  static final int CHUNK_SIZE = 64 * 1024;

  /** Random bytes written over and over by every sender; never released. */
  static final ByteBuf PATTERN;

  static {
    byte[] bytes = new byte[CHUNK_SIZE];
    new Random(1).nextBytes(bytes);
    PATTERN = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(bytes).asReadOnly());
  }

  private BenchProtocols() {}

  /** Serves sink and source on {@code host}. */
  static void serve(Host host) {
    host.setStreamHandler(SINK, s -> s.channel().pipeline().addLast(new SinkServerHandler()));
    host.setStreamHandler(SOURCE, s -> s.channel().pipeline().addLast(new SourceServerHandler()));
  }
}
