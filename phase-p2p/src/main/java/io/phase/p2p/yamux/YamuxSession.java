package io.phase.p2p.yamux;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import io.phase.p2p.errors.Causes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A yamux session: the last handler of a secured connection's pipeline. It parses frames as bytes
 * arrive (data payloads are handed to streams without waiting for the whole frame), owns the
 * streams of the connection, answers pings, and sends GoAway when the connection closes.
 *
 * <p>Inbound streams get {@code inboundStreamHandler} (typically a {@link
 * io.netty.channel.ChannelInitializer}) before they become active. Not sharable: one instance per
 * connection.
 */
public final class YamuxSession extends ChannelDuplexHandler implements YamuxFrameReader.Handler {
  private static final Logger LOG = LoggerFactory.getLogger(YamuxSession.class);
  private static final int MAX_OUTSTANDING_PINGS = 16;
  private static final long MAX_WINDOW = 0xFFFF_FFFFL;

  private final boolean client;
  private final YamuxConfig config;
  private final ChannelHandler inboundStreamHandler;
  private final IntObjectMap<YamuxStreamChannel> streams = new IntObjectHashMap<>();
  private final IntObjectMap<PendingPing> pings = new IntObjectHashMap<>();

  private final YamuxFrameReader reader = new YamuxFrameReader(this);
  private final ReceiveWindowTuner windows;

  private ChannelHandlerContext ctx;
  private long nextStreamId;
  private long lastRemoteStreamId;
  private int nextPingId;
  private boolean closed;
  private boolean goAwaySent;
  private boolean goAwayReceived;
  private boolean inRead;
  private boolean flushPending;

  private ScheduledFuture<?> keepAliveTask;
  private volatile long lastStreamChangeNanos = System.nanoTime();
  private int keepAlivePingId = -1;

  private boolean rttProbeSent;

  private record PendingPing(Promise<Long> promise, long sentNanos) {}

  /**
   * @param client true on the dialing side (odd stream ids), false on the listening side
   * @param config limits and tuning
   * @param inboundStreamHandler added to the pipeline of every accepted stream
   */
  public YamuxSession(boolean client, YamuxConfig config, ChannelHandler inboundStreamHandler) {
    this(client, config, inboundStreamHandler, WindowGrowthPool.unlimited());
  }

  /**
   * A session whose grown receive windows also count against {@code growthPool}, shared by the
   * sessions of one host.
   */
  public YamuxSession(
      boolean client,
      YamuxConfig config,
      ChannelHandler inboundStreamHandler,
      WindowGrowthPool growthPool) {
    this.client = client;
    this.config = config;
    this.inboundStreamHandler = inboundStreamHandler;
    this.windows = new ReceiveWindowTuner(config, growthPool);
    this.nextStreamId = client ? 1 : 2;
  }

  @Override
  public boolean isSharable() {
    return false;
  }

  // ---- public API (thread-safe) ----

  /**
   * Opens a new outbound stream whose pipeline starts with {@code handler}. Completes once the
   * stream is registered (its SYN is already queued); fails if the session is closing or the stream
   * limit is reached.
   */
  public Future<YamuxStreamChannel> openStream(ChannelHandler handler) {
    ChannelHandlerContext c = requireContext();
    Promise<YamuxStreamChannel> promise = c.executor().newPromise();
    if (c.executor().inEventLoop()) {
      openStream0(handler, promise);
    } else {
      c.executor().execute(() -> openStream0(handler, promise));
    }
    return promise;
  }

  /** Sends a ping; completes with the round-trip time in nanoseconds. */
  public Future<Long> ping() {
    ChannelHandlerContext c = requireContext();
    Promise<Long> promise = c.executor().newPromise();
    c.executor()
        .execute(
            () -> {
              if (closed) {
                promise.tryFailure(new YamuxException("session closed"));
              } else if (pings.size() >= MAX_OUTSTANDING_PINGS) {
                promise.tryFailure(new YamuxException("too many outstanding pings"));
              } else {
                sendPing(promise);
              }
            });
    return promise;
  }

  /**
   * Sends GoAway (normal termination): the peer must open no more streams, inbound SYNs are reset
   * from now on, existing streams continue. The connection stays open until closed.
   */
  public void goAway() {
    ChannelHandlerContext c = requireContext();
    c.executor().execute(() -> sendGoAway(YamuxFrames.GO_AWAY_NORMAL));
  }

  /**
   * {@link System#nanoTime()} when a stream was last opened or closed (or the session created): a
   * session with no stream has been idle since then.
   */
  public long lastStreamChangeNanos() {
    return lastStreamChangeNanos;
  }

  /** Number of open streams. Exact on the event loop, approximate elsewhere. */
  public int streamCount() {
    return streams.size();
  }

  /** Snapshot of the open streams; call on the event loop for an exact answer. */
  public List<YamuxStreamChannel> streams() {
    return new ArrayList<>(streams.values());
  }

  /** True once either side sent GoAway or the connection closed: no new streams possible. */
  public boolean isClosing() {
    return closed || goAwaySent || goAwayReceived;
  }

  // ---- pipeline events ----

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    long interval = config.keepAliveInterval().toNanos();
    if (interval > 0) {
      keepAliveTask =
          ctx.executor()
              .scheduleAtFixedRate(this::keepAlive, interval, interval, TimeUnit.NANOSECONDS);
    }
    if (!ctx.channel().config().isAutoRead()) {
      ctx.read();
    }
    if (ctx.channel().isActive()) {
      probeRtt();
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    probeRtt();
    ctx.fireChannelActive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    shutdown();
    reader.release();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (!(msg instanceof ByteBuf in)) {
      ctx.fireChannelRead(msg);
      return;
    }
    inRead = true;
    try {
      reader.read(in);
    } catch (YamuxException e) {
      protocolError(e);
    } finally {
      in.release();
      inRead = false;
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (flushPending) {
      flushPending = false;
      ctx.flush();
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    shutdown();
    ctx.fireChannelInactive();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    boolean writable = ctx.channel().isWritable();
    for (YamuxStreamChannel stream : streams()) {
      stream.onParentWritabilityChanged(writable);
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("yamux_connection_error conn={} error={}", ctx.channel().id(), cause.toString());
    ctx.close();
  }

  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
    if (!closed && ctx.channel().isActive()) {
      sendGoAway(YamuxFrames.GO_AWAY_NORMAL);
    }
    ctx.close(promise);
  }

  // ---- frames (YamuxFrameReader.Handler) ----

  @Override
  public YamuxStreamChannel onFrame(int type, int flags, long streamId, long length)
      throws YamuxException {
    switch (type) {
      case YamuxFrames.TYPE_DATA, YamuxFrames.TYPE_WINDOW_UPDATE -> {
        return onStreamFrame(type, flags, streamId, length);
      }
      case YamuxFrames.TYPE_PING -> onPing(flags, streamId, length);
      case YamuxFrames.TYPE_GO_AWAY -> onGoAway(streamId, length);
      default -> throw new YamuxException("unknown frame type " + type);
    }
    return null;
  }

  @Override
  public void onDataEnd(YamuxStreamChannel stream, int flags) {
    applyTerminalFlags(stream, flags);
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  /** Returns the stream a data frame's payload goes to (null: discarded). */
  private YamuxStreamChannel onStreamFrame(int type, int flags, long id, long length)
      throws YamuxException {
    if (id == 0) {
      throw new YamuxException(YamuxFrames.typeName(type) + " frame on stream 0");
    }
    YamuxStreamChannel stream = streams.get((int) id);
    // Peers (js-libp2p) send as much as the window allows in one frame: a grown window admits
    // frames up to its size. Payloads are streamed to the stream, never held whole.
    long frameLimit =
        stream == null
            ? config.maxFrameLength()
            : Math.max(config.maxFrameLength(), stream.receiveWindowSize());
    if (type == YamuxFrames.TYPE_DATA && length > frameLimit) {
      throw new YamuxException("data frame of " + length + " bytes exceeds " + frameLimit);
    }
    if ((flags & YamuxFrames.FLAG_SYN) != 0) {
      if (stream != null) {
        throw new YamuxException("SYN for open stream " + id);
      }
      if (isLocalId(id)) {
        throw new YamuxException("peer opened stream " + id + " with our id parity");
      }
      if (id <= lastRemoteStreamId) {
        throw new YamuxException("peer reused stream id " + id);
      }
      lastRemoteStreamId = id;
      stream = acceptStream((int) id);
    } else if (stream == null && (isLocalId(id) ? id >= nextStreamId : id > lastRemoteStreamId)) {
      throw new YamuxException("frame for unopened stream " + id);
    }
    if (type == YamuxFrames.TYPE_WINDOW_UPDATE) {
      if (stream != null && length > 0) {
        if (stream.sendWindow() + length > MAX_WINDOW) {
          throw new YamuxException("window update overflows the send window of stream " + id);
        }
        stream.onWindowUpdate(length);
      }
      applyTerminalFlags(stream, flags);
      return null;
    }
    if (stream != null && length > 0) {
      if (!stream.acceptsData()) {
        LOG.debug("yamux_data_after_fin conn={} stream={}", ctx.channel().id(), id);
        stream.reset();
        stream = null;
      } else if (!stream.reserveReceive(length)) {
        throw new YamuxException("peer overran the receive window of stream " + id);
      }
    }
    if (length == 0) {
      applyTerminalFlags(stream, flags);
    }
    return stream;
  }

  private static void applyTerminalFlags(YamuxStreamChannel stream, int flags) {
    if (stream == null) {
      return;
    }
    if ((flags & YamuxFrames.FLAG_RST) != 0) {
      stream.onRemoteReset();
    } else if ((flags & YamuxFrames.FLAG_FIN) != 0) {
      stream.onRemoteFin();
    }
  }

  private void onPing(int flags, long id, long opaque) throws YamuxException {
    if (id != 0) {
      throw new YamuxException("ping on stream " + id);
    }
    if ((flags & YamuxFrames.FLAG_SYN) != 0) {
      if (ctx.channel().isWritable()) {
        writeFrame(YamuxFrames.TYPE_PING, YamuxFrames.FLAG_ACK, 0, opaque);
        flush();
      } else {
        LOG.debug("yamux_ping_dropped conn={} reason=congested", ctx.channel().id());
      }
    } else if ((flags & YamuxFrames.FLAG_ACK) != 0) {
      int pingId = (int) opaque;
      if (pingId == keepAlivePingId) {
        keepAlivePingId = -1;
      }
      PendingPing pending = pings.remove(pingId);
      if (pending != null) {
        long rtt = Math.max(1, System.nanoTime() - pending.sentNanos());
        windows.onRtt(rtt);
        pending.promise().trySuccess(rtt);
      }
    }
  }

  private void onGoAway(long id, long code) throws YamuxException {
    if (id != 0) {
      throw new YamuxException("go away on stream " + id);
    }
    goAwayReceived = true;
    LOG.debug("yamux_go_away_received conn={} code={}", ctx.channel().id(), code);
  }

  private boolean isLocalId(long id) {
    return ((id & 1) == 1) == client;
  }

  // ---- streams ----

  private YamuxStreamChannel acceptStream(int id) {
    if (goAwaySent || streams.size() >= config.maxStreams()) {
      String reason = goAwaySent ? "going_away" : "stream_limit";
      if (!ctx.channel().isWritable()) {
        // A peer that keeps opening streams while it reads none of our refusals would make the
        // RSTs pile up in our outbound buffer: end the connection instead.
        LOG.info(
            "yamux_refusals_unread conn={} stream={} reason={} action=close",
            ctx.channel().id(),
            id,
            reason);
        sendGoAway(YamuxFrames.GO_AWAY_PROTOCOL_ERROR);
        ctx.close();
        return null;
      }
      // Debug only: a peer controls how often this happens.
      LOG.debug(
          "yamux_stream_refused conn={} stream={} reason={} open={}",
          ctx.channel().id(),
          id,
          reason,
          streams.size());
      writeFrame(YamuxFrames.TYPE_WINDOW_UPDATE, YamuxFrames.FLAG_RST, id, 0);
      flush();
      return null;
    }
    YamuxStreamChannel stream =
        new YamuxStreamChannel(ctx.channel(), this, id, false, config.receiveWindow());
    stream.pipeline().addLast(inboundStreamHandler);
    streams.put(id, stream);
    lastStreamChangeNanos = System.nanoTime();
    writeFrame(
        YamuxFrames.TYPE_WINDOW_UPDATE,
        YamuxFrames.FLAG_ACK,
        id,
        config.receiveWindow() - YamuxFrames.INITIAL_WINDOW);
    flush();
    register(stream, null);
    return stream;
  }

  private void openStream0(ChannelHandler handler, Promise<YamuxStreamChannel> promise) {
    if (isClosing()) {
      promise.tryFailure(new YamuxException("session is closing"));
      return;
    }
    if (streams.size() >= config.maxStreams()) {
      promise.tryFailure(new YamuxException("stream limit of " + config.maxStreams() + " reached"));
      return;
    }
    if (nextStreamId > MAX_WINDOW - 2) {
      promise.tryFailure(new YamuxException("stream ids exhausted"));
      return;
    }
    int id = (int) nextStreamId;
    nextStreamId += 2;
    YamuxStreamChannel stream =
        new YamuxStreamChannel(ctx.channel(), this, id, true, config.receiveWindow());
    stream.pipeline().addLast(handler);
    streams.put(id, stream);
    lastStreamChangeNanos = System.nanoTime();
    writeFrame(
        YamuxFrames.TYPE_WINDOW_UPDATE,
        YamuxFrames.FLAG_SYN,
        id,
        config.receiveWindow() - YamuxFrames.INITIAL_WINDOW);
    flush();
    register(stream, promise);
  }

  private void register(YamuxStreamChannel stream, Promise<YamuxStreamChannel> promise) {
    ChannelFuture registered = ctx.channel().eventLoop().register(stream);
    registered.addListener(
        f -> {
          if (f.isSuccess()) {
            stream.onParentWritabilityChanged(ctx.channel().isWritable());
            if (promise != null) {
              promise.trySuccess(stream);
            }
          } else {
            LOG.warn(
                "yamux_stream_register_failed conn={} stream={} error={}",
                ctx.channel().id(),
                stream.streamId(),
                Causes.rootMessage(f.cause()));
            streams.remove(stream.streamId());
            lastStreamChangeNanos = System.nanoTime();
            if (stream.isOpen()) {
              stream.unsafe().closeForcibly();
            }
            if (promise != null) {
              promise.tryFailure(f.cause());
            }
          }
        });
  }

  void streamClosed(YamuxStreamChannel stream) {
    streams.remove(stream.streamId());
    lastStreamChangeNanos = System.nanoTime();
  }

  // ---- receive-window auto-tuning ----

  /**
   * Sends one ping when the session starts so that window growth knows the round-trip time (later
   * pings, keep-alive or {@link #ping()}, refine it: the smallest sample is kept).
   */
  private void probeRtt() {
    if (rttProbeSent || closed || !config.autoTunesWindows()) {
      return;
    }
    rttProbeSent = true;
    sendPing(ctx.executor().newPromise());
  }

  /** The session's receive-window auto-tuning, which its streams consult. Event loop only. */
  ReceiveWindowTuner windows() {
    return windows;
  }

  /** Bytes of receive window held beyond the initial windows by open streams. Event loop only. */
  long receiveWindowGrowth() {
    return windows.growth();
  }

  /** Smallest measured round-trip time in nanoseconds, -1 before any. Event loop only. */
  long minRttNanos() {
    return windows.minRttNanos();
  }

  // ---- writing ----

  void writeFrame(int type, int flags, int streamId, long length) {
    if (closed) {
      return;
    }
    ctx.write(YamuxFrames.header(ctx.alloc(), type, flags, streamId, length), ctx.voidPromise());
  }

  void writeData(int streamId, ByteBuf data) {
    if (closed) {
      data.release();
      return;
    }
    ctx.write(
        YamuxFrames.header(ctx.alloc(), YamuxFrames.TYPE_DATA, 0, streamId, data.readableBytes()),
        ctx.voidPromise());
    ctx.write(data, ctx.voidPromise());
  }

  void flush() {
    if (closed) {
      return;
    }
    if (inRead) {
      flushPending = true;
    } else {
      ctx.flush();
    }
  }

  /** Flushes the connection now, even while a read is in progress. */
  void flushNow() {
    if (!closed) {
      flushPending = false;
      ctx.flush();
    }
  }

  private void sendGoAway(int code) {
    if (goAwaySent || closed) {
      return;
    }
    goAwaySent = true;
    writeFrame(YamuxFrames.TYPE_GO_AWAY, 0, 0, code);
    ctx.flush();
  }

  private void sendPing(Promise<Long> promise) {
    int id = nextPingId++;
    pings.put(id, new PendingPing(promise, System.nanoTime()));
    writeFrame(YamuxFrames.TYPE_PING, YamuxFrames.FLAG_SYN, 0, id & 0xFFFF_FFFFL);
    flush();
  }

  private void keepAlive() {
    if (closed) {
      return;
    }
    if (keepAlivePingId >= 0) {
      LOG.info(
          "yamux_keepalive_timeout conn={} interval_ms={}",
          ctx.channel().id(),
          config.keepAliveInterval().toMillis());
      ctx.close();
      return;
    }
    if (pings.size() >= MAX_OUTSTANDING_PINGS) {
      return;
    }
    keepAlivePingId = nextPingId;
    sendPing(ctx.executor().newPromise());
  }

  private void protocolError(YamuxException e) {
    LOG.warn(
        "yamux_protocol_error conn={} remote={} reason={}",
        ctx.channel().id(),
        ctx.channel().remoteAddress(),
        e.getMessage());
    if (!closed) {
      sendGoAway(YamuxFrames.GO_AWAY_PROTOCOL_ERROR);
      ctx.close();
    }
  }

  private void shutdown() {
    if (closed) {
      return;
    }
    closed = true;
    if (keepAliveTask != null) {
      keepAliveTask.cancel(false);
    }
    for (YamuxStreamChannel stream : streams()) {
      stream.onSessionClosed();
    }
    streams.clear();
    // Whatever streams still hold goes back to the host now, whether or not they close later.
    windows.returnAll();
    YamuxException cause = new YamuxException("session closed");
    for (PendingPing ping : pings.values()) {
      ping.promise().tryFailure(cause);
    }
    pings.clear();
  }

  private ChannelHandlerContext requireContext() {
    ChannelHandlerContext c = ctx;
    if (c == null) {
      throw new IllegalStateException("yamux session is not in a pipeline");
    }
    return c;
  }
}
