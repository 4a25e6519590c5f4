package io.phase.p2p.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Plain TCP sockets for the host: one NIO event loop group shared by listeners and dialed
 * connections, TCP_NODELAY, write-buffer marks sized for a multiplexed connection, and Netty's
 * pooled allocator.
 *
 * <p>Why the pooled allocator: every Noise message is one 64 KiB buffer on each side (socket reads
 * of up to 64 KiB, one sealed message per socket write). Netty 4.2's default adaptive allocator
 * pools only sizes up to about 16 KiB per thread and often serves 64 KiB requests with a fresh
 * allocation; for direct buffers on JDK 25 (no {@code Unsafe}) that is a new native memory segment
 * with a cleaner per message, which profiles showed as a large share of a bulk transfer's CPU. The
 * pooled allocator serves those sizes from its arenas.
 */
public final class TcpTransport implements AutoCloseable {
  private static final WriteBufferWaterMark WATER_MARK =
      new WriteBufferWaterMark(256 * 1024, 1024 * 1024);

  private final EventLoopGroup group;
  private final boolean ownsGroup;

  /**
   * @param threads event loop threads; 0 for Netty's default (twice the number of cores)
   */
  public TcpTransport(int threads) {
    this.group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
    this.ownsGroup = true;
  }

  /**
   * A transport on an event loop group owned by the caller (shared by several hosts, e.g. many
   * nodes in one test JVM): {@link #shutdown} leaves the group running.
   *
   * @param shared an NIO event loop group; the caller shuts it down after every user is closed
   */
  public TcpTransport(EventLoopGroup shared) {
    this.group = Objects.requireNonNull(shared, "shared");
    this.ownsGroup = false;
  }

  /** The event loops running all connections. */
  public EventLoopGroup group() {
    return group;
  }

  /** Binds a listening socket; every accepted connection is set up by {@code initializer}. */
  public ChannelFuture bind(
      InetSocketAddress address, ChannelInitializer<SocketChannel> initializer, int backlog) {
    return new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, backlog)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.SO_KEEPALIVE, true)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
        .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
        .childHandler(initializer)
        .bind(address);
  }

  /** Opens a connection set up by {@code initializer}, failing after {@code timeout}. */
  public ChannelFuture connect(
      InetSocketAddress address, ChannelInitializer<Channel> initializer, Duration timeout) {
    return new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_KEEPALIVE, true)
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
        .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(timeout.toMillis(), 600_000))
        .handler(initializer)
        .connect(address);
  }

  /** Stops the event loops (if owned), waiting at most {@code timeout}. */
  public void shutdown(Duration timeout) throws InterruptedException {
    if (!ownsGroup) {
      return;
    }
    group
        .shutdownGracefully(0, Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS)
        .await(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    shutdown(Duration.ofSeconds(5));
  }
}
