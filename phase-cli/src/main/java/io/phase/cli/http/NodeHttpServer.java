package io.phase.cli.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.phase.core.node.WorkerNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code phase node --http}: the dashboard ({@code /}), its data as JSON ({@code /api/...}),
 * Prometheus metrics ({@code /metrics}) and a health check ({@code /healthz}), served by Netty's
 * HTTP/1.1 codec on one event loop of its own. Requests are bounded (request line, headers, no
 * body, a deadline per request, a cap on connections); answers are built on two worker threads,
 * never on the event loop. Owns its threads; {@link #close()} stops them.
 */
public final class NodeHttpServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeHttpServer.class);

  static final int MAX_INITIAL_LINE = 4096;
  static final int MAX_HEADER_BYTES = 8192;
  static final int MAX_CONNECTIONS = 64;
  static final long REQUEST_DEADLINE_MS = 10_000;
  static final int WORKER_THREADS = 2;
  static final int WORKER_QUEUE = 64;
  static final Duration WORKER_SEARCH_INTERVAL = Duration.ofSeconds(30);

  private final EventLoopGroup group;
  private final ThreadPoolExecutor workers;
  private final ScheduledExecutorService timers;
  private final Channel server;
  private final InetSocketAddress bound;

  private NodeHttpServer(
      EventLoopGroup group,
      ThreadPoolExecutor workers,
      ScheduledExecutorService timers,
      Channel server) {
    this.group = group;
    this.workers = workers;
    this.timers = timers;
    this.server = server;
    this.bound = (InetSocketAddress) server.localAddress();
  }

  /**
   * Starts serving {@code worker} on {@code settings.bind()}.
   *
   * @throws IOException if the address cannot be bound
   */
  public static NodeHttpServer start(HttpSettings settings, WorkerNode worker, String version)
      throws IOException {
    Instant startedAt = Instant.now();
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor workers =
        new ThreadPoolExecutor(
            WORKER_THREADS,
            WORKER_THREADS,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(WORKER_QUEUE),
            r -> {
              Thread t = new Thread(r, "phase-http-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    workers.allowCoreThreadTimeOut(true);
    ScheduledExecutorService timers =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "phase-http-timers");
              t.setDaemon(true);
              return t;
            });
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      KnownWorkers known = new KnownWorkers(worker.node(), timers, WORKER_SEARCH_INTERVAL);
      NodeView view = new NodeView(worker, known, version, startedAt);
      NodeMetrics metrics = new NodeMetrics(worker, version, startedAt);
      Routes routes =
          new Routes(view, metrics, new StaticAssets(), () -> worker.service().stats().draining());
      ConnectionLimiter limiter = new ConnectionLimiter(MAX_CONNECTIONS);
      Channel server =
          new ServerBootstrap()
              .group(group)
              .channel(NioServerSocketChannel.class)
              .option(ChannelOption.SO_BACKLOG, 128)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      ch.pipeline()
                          .addLast("limit", limiter)
                          .addLast(
                              "codec",
                              new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_BYTES, 8192))
                          .addLast("deadline", new RequestDeadline(REQUEST_DEADLINE_MS))
                          .addLast("aggregate", new HttpObjectAggregator(0))
                          .addLast(
                              "handler", new RequestHandler(routes, settings.token(), workers));
                    }
                  })
              .bind(settings.bind())
              .syncUninterruptibly()
              .channel();
      NodeHttpServer http = new NodeHttpServer(group, workers, timers, server);
      known.start();
      LOG.info(
          "http_listening url={} auth={}",
          http.url(),
          settings.token().isPresent() ? "token" : "loopback");
      return http;
    } catch (Exception e) { // bind failures are rethrown unchecked by Netty
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      workers.shutdownNow();
      timers.shutdownNow();
      throw new IOException("cannot serve HTTP on " + settings.bind() + ": " + e.getMessage(), e);
    }
  }

  /** The base URL, e.g. {@code http://127.0.0.1:9464/}. */
  public String url() {
    String host = bound.getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return "http://" + host + ":" + bound.getPort() + "/";
  }

  @Override
  public void close() {
    server.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    workers.shutdownNow();
    timers.shutdownNow();
    LOG.info("http_stopped");
  }
}
