package io.phase.p2p.yamux;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Two yamux sessions over a real loopback TCP connection, without encryption. */
final class YamuxPair implements AutoCloseable {
  final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
  final Channel server;
  final Channel client;
  final YamuxSession clientSession;
  final YamuxSession serverSession;
  final Channel serverConnection;

  YamuxPair(YamuxConfig serverConfig, ChannelHandler serverStreamHandler) throws Exception {
    this(
        serverConfig,
        YamuxConfig.DEFAULT,
        serverStreamHandler,
        new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel ch) {}
        });
  }

  YamuxPair(
      YamuxConfig serverConfig,
      YamuxConfig clientConfig,
      ChannelHandler serverStreamHandler,
      ChannelHandler clientStreamHandler)
      throws Exception {
    this(
        serverConfig,
        clientConfig,
        serverStreamHandler,
        clientStreamHandler,
        WindowGrowthPool.unlimited());
  }

  /** A pair whose server session draws window growth from {@code serverPool}. */
  YamuxPair(
      YamuxConfig serverConfig,
      YamuxConfig clientConfig,
      ChannelHandler serverStreamHandler,
      ChannelHandler clientStreamHandler,
      WindowGrowthPool serverPool)
      throws Exception {
    CompletableFuture<YamuxSession> accepted = new CompletableFuture<>();
    CompletableFuture<Channel> acceptedConnection = new CompletableFuture<>();
    server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    YamuxSession s =
                        new YamuxSession(false, serverConfig, serverStreamHandler, serverPool);
                    ch.pipeline().addLast(s);
                    accepted.complete(s);
                    acceptedConnection.complete(ch);
                  }
                })
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .sync()
            .channel();
    clientSession = new YamuxSession(true, clientConfig, clientStreamHandler);
    client =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .handler(clientSession)
            .connect(server.localAddress())
            .sync()
            .channel();
    serverSession = accepted.get(5, TimeUnit.SECONDS);
    serverConnection = acceptedConnection.get(5, TimeUnit.SECONDS);
  }

  YamuxStreamChannel open(ChannelHandler handler) throws Exception {
    return clientSession.openStream(handler).get(5, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    client.close().sync();
    serverConnection.close().sync();
    server.close().sync();
    // A quiet period of 0 ends the loops as soon as no task is left; the timeout only bounds a loop
    // that keeps getting tasks. It must be long enough for the sessions' close tasks (which hand
    // window growth back to the host's pool) to run on a loaded machine: with 1 s they were
    // sometimes dropped.
    group.shutdownGracefully(0, 10, TimeUnit.SECONDS).sync();
  }
}
