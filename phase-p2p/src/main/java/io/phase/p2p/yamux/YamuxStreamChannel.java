package io.phase.p2p.yamux;

import io.netty.buffer.ByteBuf;
import io.netty.channel.AbstractChannel;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.socket.ChannelOutputShutdownEvent;
import io.netty.channel.socket.ChannelOutputShutdownException;
import io.netty.channel.socket.DuplexChannel;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;

/**
 * One yamux stream as a Netty child channel of the connection. Reading ({@code read()} or
 * auto-read) hands buffered data to the pipeline and returns credit to the peer, so a slow reader
 * back-pressures the sender. Writes are sent only within the peer's window; {@link #isWritable()}
 * turns false while the window is exhausted or the connection is congested. {@link
 * #shutdownOutput()} sends FIN after queued data, {@link #close()} sends FIN (or RST when unsent
 * data is dropped), {@link #reset()} sends RST. A peer's FIN fires {@link
 * ChannelInputShutdownEvent}; once both directions are finished the channel closes itself.
 */
public final class YamuxStreamChannel extends AbstractChannel implements DuplexChannel {
  private static final ChannelMetadata METADATA = new ChannelMetadata(false, 16);
  private static final int WINDOW_WRITABILITY = 1;
  private static final int PARENT_WRITABILITY = 2;

  /** Data pieces smaller than this are copied into a shared buffer instead of sliced. */
  private static final int COPY_THRESHOLD = 8 * 1024;

  private static final int COALESCE_CAPACITY = 16 * 1024;

  private final YamuxSession session;
  private final int streamId;
  private final boolean outbound;
  private final int initialWindowSize;
  private final YamuxStreamChannelConfig config;
  private final ArrayDeque<ByteBuf> inbound = new ArrayDeque<>();
  private ByteBuf coalesceTail;

  private long sendWindow = YamuxFrames.INITIAL_WINDOW;
  private long receiveWindow;
  private int receiveWindowSize;
  private int unreportedCredit;
  private long epochStartNanos = System.nanoTime();

  private boolean open = true;
  private boolean readPending;
  private boolean delivering;
  private boolean remoteFin;
  private boolean inputShutdownLocal;
  private boolean inputShutdownFired;
  private boolean outputShutdown;
  private boolean finSent;
  private ChannelPromise finPromise;
  private boolean resetRequested;
  private boolean resetReceived;
  private boolean sessionClosed;
  private boolean dropUnsentOnClose;

  YamuxStreamChannel(
      Channel parent, YamuxSession session, int streamId, boolean outbound, int receiveWindow) {
    super(parent);
    this.session = session;
    this.streamId = streamId;
    this.outbound = outbound;
    this.initialWindowSize = receiveWindow;
    this.receiveWindowSize = receiveWindow;
    this.receiveWindow = receiveWindow;
    this.config = new YamuxStreamChannelConfig(this);
  }

  /** The yamux stream id (odd when opened by the dialer, even when opened by the listener). */
  public int streamId() {
    return streamId;
  }

  /** Whether this side opened the stream. */
  public boolean isOutbound() {
    return outbound;
  }

  /** Whether the stream ended by a reset, sent or received. */
  public boolean isReset() {
    return resetReceived || resetRequested;
  }

  /** Whether the peer reset the stream. */
  public boolean isResetByPeer() {
    return resetReceived;
  }

  /**
   * Current receive window of this stream: the initial window, possibly grown by auto-tuning. Event
   * loop only.
   */
  int receiveWindowSize() {
    return receiveWindowSize;
  }

  /** Bytes the peer may still send before this side grants more window. Event loop only. */
  long receiveWindow() {
    return receiveWindow;
  }

  /** Bytes received and not yet delivered to the pipeline. Event loop only. */
  long bufferedBytes() {
    long bytes = 0;
    for (ByteBuf buf : inbound) {
      bytes += buf.readableBytes();
    }
    return bytes;
  }

  /** Bytes this side may still send before the peer grants more window. Event loop only. */
  long sendWindow() {
    return sendWindow;
  }

  /** Aborts the stream: sends RST, drops queued data in both directions, closes the channel. */
  public ChannelFuture reset() {
    ChannelPromise promise = newPromise();
    runOnLoop(
        () -> {
          resetRequested = true;
          unsafe().close(promise);
        });
    return promise;
  }

  @Override
  public YamuxStreamChannelConfig config() {
    return config;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public boolean isActive() {
    return open;
  }

  @Override
  public ChannelMetadata metadata() {
    return METADATA;
  }

  @Override
  protected AbstractUnsafe newUnsafe() {
    return new StreamUnsafe();
  }

  @Override
  protected boolean isCompatible(EventLoop loop) {
    return true;
  }

  @Override
  protected SocketAddress localAddress0() {
    return parent().localAddress();
  }

  @Override
  protected SocketAddress remoteAddress0() {
    return parent().remoteAddress();
  }

  @Override
  protected void doBind(SocketAddress localAddress) {
    throw new UnsupportedOperationException("yamux streams cannot be bound");
  }

  @Override
  protected void doDisconnect() {
    throw new UnsupportedOperationException("yamux streams cannot be disconnected");
  }

  @Override
  protected Object filterOutboundMessage(Object msg) throws Exception {
    if (!(msg instanceof ByteBuf)) {
      throw new UnsupportedOperationException(
          "yamux streams accept ByteBuf only, got " + msg.getClass().getName());
    }
    if (outputShutdown) {
      throw new ChannelOutputShutdownException("stream output is shut down");
    }
    return msg;
  }

  @Override
  protected void doClose() {
    if (!open) {
      return;
    }
    open = false;
    releaseInbound();
    session.windows().release(receiveWindowSize - (long) initialWindowSize);
    receiveWindowSize = initialWindowSize;
    if (!sessionClosed && !resetReceived) {
      if (resetRequested || dropUnsentOnClose) {
        resetRequested = true;
        session.writeFrame(YamuxFrames.TYPE_WINDOW_UPDATE, YamuxFrames.FLAG_RST, streamId, 0);
        session.flush();
      } else if (!finSent) {
        finSent = true;
        session.writeFrame(YamuxFrames.TYPE_WINDOW_UPDATE, YamuxFrames.FLAG_FIN, streamId, 0);
        session.flush();
      }
    }
    if (finPromise != null && !finSent) {
      finPromise.tryFailure(new ClosedChannelException());
    }
    session.streamClosed(this);
  }

  @Override
  protected void doBeginRead() {
    if (!open) {
      return;
    }
    readPending = true;
    deliver();
  }

  @Override
  protected void doWrite(ChannelOutboundBuffer in) throws Exception {
    if (sessionClosed) {
      throw new ClosedChannelException();
    }
    boolean wrote = false;
    while (true) {
      Object msg = in.current();
      if (msg == null) {
        break;
      }
      ByteBuf buf = (ByteBuf) msg;
      int readable = buf.readableBytes();
      if (readable == 0) {
        in.remove();
        continue;
      }
      if (sendWindow <= 0) {
        break;
      }
      if (!parent().isWritable()) {
        // Push what is queued on the connection; if the socket takes it, keep going.
        session.flushNow();
        wrote = false;
        if (!parent().isWritable()) {
          break;
        }
      }
      int n = (int) Math.min(Math.min(readable, sendWindow), YamuxFrames.MAX_SEND_FRAME);
      session.writeData(streamId, buf.retainedSlice(buf.readerIndex(), n));
      sendWindow -= n;
      wrote = true;
      in.removeBytes(n);
    }
    in.setUserDefinedWritability(WINDOW_WRITABILITY, sendWindow > 0);
    if (in.isEmpty() && outputShutdown && !finSent) {
      sendFin();
    } else if (wrote) {
      session.flush();
    }
  }

  // ---- DuplexChannel ----

  @Override
  public boolean isInputShutdown() {
    return inputShutdownLocal || inputShutdownFired;
  }

  @Override
  public ChannelFuture shutdownInput() {
    return shutdownInput(newPromise());
  }

  @Override
  public ChannelFuture shutdownInput(ChannelPromise promise) {
    runOnLoop(
        () -> {
          inputShutdownLocal = true;
          releaseInbound();
          promise.trySuccess();
          closeIfFinished();
        });
    return promise;
  }

  @Override
  public boolean isOutputShutdown() {
    return outputShutdown;
  }

  @Override
  public ChannelFuture shutdownOutput() {
    return shutdownOutput(newPromise());
  }

  @Override
  public ChannelFuture shutdownOutput(ChannelPromise promise) {
    runOnLoop(() -> shutdownOutput0(promise));
    return promise;
  }

  @Override
  public boolean isShutdown() {
    return isInputShutdown() && isOutputShutdown();
  }

  @Override
  public ChannelFuture shutdown() {
    return shutdown(newPromise());
  }

  @Override
  public ChannelFuture shutdown(ChannelPromise promise) {
    ChannelPromise out = newPromise();
    shutdownInput();
    shutdownOutput(out);
    out.addListener(f -> complete(promise, f));
    return promise;
  }

  private void shutdownOutput0(ChannelPromise promise) {
    if (finSent) {
      promise.trySuccess();
      return;
    }
    if (!open) {
      promise.tryFailure(new ClosedChannelException());
      return;
    }
    if (finPromise != null) {
      finPromise.addListener(f -> complete(promise, f));
      return;
    }
    outputShutdown = true;
    finPromise = promise;
    unsafe().flush();
    ChannelOutboundBuffer buffer = unsafe().outboundBuffer();
    if (!finSent && open && (buffer == null || buffer.isEmpty())) {
      sendFin();
    }
  }

  private void sendFin() {
    finSent = true;
    session.writeFrame(YamuxFrames.TYPE_WINDOW_UPDATE, YamuxFrames.FLAG_FIN, streamId, 0);
    session.flush();
    if (finPromise != null) {
      finPromise.trySuccess();
    }
    pipeline().fireUserEventTriggered(ChannelOutputShutdownEvent.INSTANCE);
    closeIfFinished();
  }

  private void closeIfFinished() {
    if (open && finSent && (inputShutdownFired || inputShutdownLocal)) {
      unsafe().close(unsafe().voidPromise());
    }
  }

  // ---- called by the session, on the event loop ----

  /** Reserves receive window for an incoming data frame; false if the peer overran it. */
  boolean reserveReceive(long length) {
    if (length > receiveWindow) {
      return false;
    }
    receiveWindow -= length;
    return true;
  }

  boolean acceptsData() {
    return !remoteFin && !resetReceived;
  }

  void onData(ByteBuf in, int length) {
    if (!open || inputShutdownLocal) {
      in.skipBytes(length);
      return;
    }
    if (length >= COPY_THRESHOLD && length * 2L >= in.capacity()) {
      // A slice keeps its whole parent buffer alive: only slice when the piece is most of it, so
      // a peer cannot make an unread stream pin several times its receive window.
      coalesceTail = null;
      inbound.add(in.readRetainedSlice(length));
    } else if (length >= COPY_THRESHOLD) {
      coalesceTail = null;
      ByteBuf copy = parent().alloc().heapBuffer(length, length);
      copy.writeBytes(in, length);
      inbound.add(copy);
    } else {
      ByteBuf tail = coalesceTail;
      if (tail == null || inbound.peekLast() != tail || tail.writableBytes() < length) {
        tail = parent().alloc().heapBuffer(Math.max(length, COALESCE_CAPACITY));
        coalesceTail = tail;
        inbound.add(tail);
      }
      tail.writeBytes(in, length);
    }
    if (readPending) {
      deliver();
    }
  }

  void onRemoteFin() {
    remoteFin = true;
    if (readPending) {
      deliver();
    }
    if (inputShutdownLocal) {
      closeIfFinished();
    }
  }

  void onRemoteReset() {
    resetReceived = true;
    unsafe().close(unsafe().voidPromise());
  }

  void onWindowUpdate(long delta) {
    sendWindow += delta;
    if (sendWindow > 0) {
      ChannelOutboundBuffer buffer = unsafe().outboundBuffer();
      if (buffer != null) {
        buffer.setUserDefinedWritability(WINDOW_WRITABILITY, true);
        if (!buffer.isEmpty()) {
          ((StreamUnsafe) unsafe()).flushNow();
        }
      }
    }
  }

  void onParentWritabilityChanged(boolean writable) {
    ChannelOutboundBuffer buffer = unsafe().outboundBuffer();
    if (buffer != null) {
      buffer.setUserDefinedWritability(PARENT_WRITABILITY, writable);
      if (writable && !buffer.isEmpty()) {
        ((StreamUnsafe) unsafe()).flushNow();
      }
    }
  }

  void onSessionClosed() {
    sessionClosed = true;
    if (open) {
      unsafe().close(unsafe().voidPromise());
    }
  }

  private void deliver() {
    if (delivering) {
      return;
    }
    delivering = true;
    try {
      while (open && readPending) {
        if (inbound.isEmpty()) {
          if (remoteFin && !inputShutdownFired) {
            fireInputShutdown();
          }
          return;
        }
        readPending = false;
        int bytes = 0;
        ByteBuf buf;
        while (open && (buf = inbound.poll()) != null) {
          if (buf == coalesceTail) {
            coalesceTail = null;
          }
          bytes += buf.readableBytes();
          pipeline().fireChannelRead(buf);
        }
        returnCredit(bytes);
        pipeline().fireChannelReadComplete();
      }
    } finally {
      delivering = false;
    }
  }

  private void returnCredit(int bytes) {
    unreportedCredit += bytes;
    if (open && !remoteFin && unreportedCredit >= receiveWindowSize / 2) {
      // Growth only ever follows consumption by the application: the window grows here, when
      // credit for delivered bytes is returned, never while data waits unread.
      long now = System.nanoTime();
      int growth = session.windows().grow(receiveWindowSize, now - epochStartNanos);
      epochStartNanos = now;
      receiveWindowSize += growth;
      long delta = (long) unreportedCredit + growth;
      receiveWindow += delta;
      session.writeFrame(YamuxFrames.TYPE_WINDOW_UPDATE, 0, streamId, delta);
      // Now, not at the end of the read batch: the peer may already be waiting for this credit,
      // and the rest of the batch (more frames to open and deliver) would only delay it.
      session.flushNow();
      unreportedCredit = 0;
    }
  }

  private void fireInputShutdown() {
    inputShutdownFired = true;
    pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
    if (!config.isAllowHalfClosure()) {
      unsafe().close(unsafe().voidPromise());
      return;
    }
    pipeline().fireUserEventTriggered(ChannelInputShutdownReadComplete.INSTANCE);
    closeIfFinished();
  }

  private void releaseInbound() {
    ByteBuf buf;
    while ((buf = inbound.poll()) != null) {
      buf.release();
    }
    coalesceTail = null;
  }

  private static void complete(ChannelPromise promise, io.netty.util.concurrent.Future<?> f) {
    if (f.isSuccess()) {
      promise.trySuccess();
    } else {
      promise.tryFailure(f.cause());
    }
  }

  private void runOnLoop(Runnable task) {
    if (eventLoop().inEventLoop()) {
      task.run();
    } else {
      eventLoop().execute(task);
    }
  }

  @Override
  public String toString() {
    return "YamuxStream[id=" + streamId + ", conn=" + parent().id().asShortText() + "]";
  }

  private final class StreamUnsafe extends AbstractUnsafe {
    @Override
    public void connect(SocketAddress remote, SocketAddress local, ChannelPromise promise) {
      promise.setFailure(new UnsupportedOperationException("yamux streams cannot connect"));
    }

    @Override
    public void close(ChannelPromise promise) {
      ChannelOutboundBuffer buffer = outboundBuffer();
      // After our FIN nothing more could have been sent anyway: closing then is a normal end,
      // not an abort, whatever the buffer still holds.
      if (!finSent && buffer != null && buffer.totalPendingWriteBytes() > 0) {
        dropUnsentOnClose = true;
      }
      super.close(promise);
    }

    void flushNow() {
      flush0();
    }
  }
}
