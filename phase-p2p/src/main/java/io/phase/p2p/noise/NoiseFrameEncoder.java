package io.phase.p2p.noise;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.PromiseNotifier;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;

/**
 * Encrypts outbound bytes into Noise transport messages. Written bytes are copied into one heap
 * buffer per connection (length prefix, plaintext, room for the tag) until a flush or a full
 * message ({@value #MAX_PLAINTEXT} bytes), sealed there in place, and copied once into an I/O
 * buffer for the socket; so small writes share one message and each byte is copied twice (into the
 * buffer, out to the socket) whatever kind of buffer it came in. The heap buffer is reused for the
 * messages of one burst and released at the flush. The write's promise completes when the message
 * holding its last byte has been written.
 */
final class NoiseFrameEncoder extends ChannelOutboundHandlerAdapter {
  /** Largest plaintext per message: 65535 minus the tag. */
  static final int MAX_PLAINTEXT = 65535 - CipherState.TAG_LENGTH;

  private static final int PREFIX = 2;
  private static final int MAX_MESSAGE = PREFIX + MAX_PLAINTEXT + CipherState.TAG_LENGTH;

  /** Smallest buffer to start a message in; it grows (to {@link #MAX_MESSAGE}) as writes come. */
  private static final int MIN_INITIAL = 256;

  private final CipherState cipher;

  /** Prefix slot and plaintext of the message being collected, or null when nothing is pending. */
  private ByteBuf pending;

  /**
   * The last sealed message's buffer, kept for the next message; released at a flush unless full
   * messages were sent since the previous one (a bulk sender keeps it, an idle connection not).
   */
  private ByteBuf spare;

  private boolean sentFullMessage;

  /** Promises of writes whose last byte is in {@link #pending}. */
  private final List<ChannelPromise> waiting = new ArrayList<>();

  NoiseFrameEncoder(CipherState cipher) {
    this.cipher = cipher;
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    discard(new ClosedChannelException());
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (!(msg instanceof ByteBuf buf)) {
      ReferenceCountUtil.release(msg);
      promise.setFailure(new UnsupportedOperationException("noise transport writes ByteBuf only"));
      return;
    }
    try {
      if (!buf.isReadable()) {
        if (pending == null) {
          ctx.write(Unpooled.EMPTY_BUFFER, promise);
        } else {
          await(promise);
        }
        return;
      }
      while (buf.isReadable()) {
        if (pending == null) {
          pending = newMessage(ctx, buf.readableBytes());
        }
        int n = Math.min(PREFIX + MAX_PLAINTEXT - pending.writerIndex(), buf.readableBytes());
        pending.writeBytes(buf, n);
        if (!buf.isReadable()) {
          await(promise);
        }
        if (pending.writerIndex() == PREFIX + MAX_PLAINTEXT) {
          seal(ctx);
        }
      }
    } catch (RuntimeException e) {
      promise.tryFailure(e);
      throw e;
    } finally {
      buf.release();
    }
  }

  @Override
  public void flush(ChannelHandlerContext ctx) {
    if (pending != null) {
      seal(ctx);
    }
    if (!sentFullMessage) {
      releaseSpare();
    }
    sentFullMessage = false;
    ctx.flush();
  }

  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
    discard(new ClosedChannelException());
    ctx.close(promise);
  }

  private void await(ChannelPromise promise) {
    if (!promise.isVoid()) {
      waiting.add(promise);
    }
  }

  private ByteBuf newMessage(ChannelHandlerContext ctx, int firstWrite) {
    if (spare != null) {
      ByteBuf reused = spare;
      spare = null;
      return reused.clear().writerIndex(PREFIX);
    }
    int initial =
        Math.min(MAX_MESSAGE, Math.max(MIN_INITIAL, PREFIX + firstWrite + CipherState.TAG_LENGTH));
    ByteBuf buf = ctx.alloc().heapBuffer(initial, MAX_MESSAGE);
    if (!buf.hasArray()) {
      buf.release();
      buf = Unpooled.buffer(initial, MAX_MESSAGE);
    }
    return buf.writerIndex(PREFIX);
  }

  /** Seals the pending message in place, copies it into an I/O buffer and writes that. */
  private void seal(ChannelHandlerContext ctx) {
    ByteBuf plain = pending;
    pending = null;
    ChannelPromise promise = takeWaiting(ctx);
    ByteBuf out = null;
    try {
      int n = plain.writerIndex() - PREFIX;
      sentFullMessage |= n == MAX_PLAINTEXT;
      plain.ensureWritable(CipherState.TAG_LENGTH);
      int sealed = cipher.encryptInPlace(plain.array(), plain.arrayOffset() + PREFIX, n);
      plain.setShort(0, sealed);
      out = ctx.alloc().ioBuffer(PREFIX + sealed, PREFIX + sealed);
      out.writeBytes(plain.array(), plain.arrayOffset(), PREFIX + sealed);
    } catch (RuntimeException e) {
      plain.release();
      if (out != null) {
        out.release();
      }
      promise.tryFailure(e);
      throw e;
    }
    releaseSpare();
    spare = plain;
    ctx.write(out, promise);
  }

  private ChannelPromise takeWaiting(ChannelHandlerContext ctx) {
    int count = waiting.size();
    if (count == 0) {
      return ctx.voidPromise();
    }
    if (count == 1) {
      ChannelPromise only = waiting.get(0);
      waiting.clear();
      return only;
    }
    ChannelPromise all = ctx.newPromise();
    all.addListener(new PromiseNotifier<>(waiting.toArray(new ChannelPromise[0])));
    waiting.clear();
    return all;
  }

  private void releaseSpare() {
    if (spare != null) {
      spare.release();
      spare = null;
    }
  }

  private void discard(Throwable cause) {
    releaseSpare();
    if (pending != null) {
      pending.release();
      pending = null;
    }
    for (ChannelPromise p : waiting) {
      p.tryFailure(cause);
    }
    waiting.clear();
  }
}
