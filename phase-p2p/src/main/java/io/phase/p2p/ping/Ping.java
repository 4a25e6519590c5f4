package io.phase.p2p.ping;

import io.netty.handler.timeout.IdleStateHandler;
import io.phase.p2p.host.Connection;
import io.phase.p2p.host.Host;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * Ping ({@value #PROTOCOL}) on a {@link Host}: {@link #attach(Host)} serves the responder (echo
 * 32-byte payloads; at most {@value #MAX_PINGS_PER_STREAM} per stream, a stream idle for {@link
 * #RESPONDER_IDLE_TIMEOUT} is closed); {@link #ping(Connection, int)} measures round trips.
 */
public final class Ping implements AutoCloseable {
  /** The protocol id. */
  public static final String PROTOCOL = "/ipfs/ping/1.0.0";

  /** Size of one ping payload. */
  public static final int PAYLOAD_BYTES = 32;

  /** Most pings answered on one stream, and most pings in one {@link #ping} call. */
  public static final int MAX_PINGS_PER_STREAM = 1000;

  /** A responder stream without a complete ping for this long is closed. */
  public static final Duration RESPONDER_IDLE_TIMEOUT = Duration.ofSeconds(60);

  /** Default time allowed for each ping's echo. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private final Host host;
  private final Duration timeout;

  private Ping(Host host, Duration timeout) {
    this.host = host;
    this.timeout = timeout;
  }

  /** Serves ping on {@code host}; pings wait {@link #DEFAULT_TIMEOUT} for each echo. */
  public static Ping attach(Host host) {
    return attach(host, DEFAULT_TIMEOUT);
  }

  /** Serves ping on {@code host}; pings wait {@code timeout} for each echo. */
  public static Ping attach(Host host, Duration timeout) {
    Objects.requireNonNull(host, "host");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
    host.setHousekeeping(PROTOCOL);
    host.setStreamHandler(
        PROTOCOL,
        stream ->
            stream
                .channel()
                .pipeline()
                .addLast(
                    new IdleStateHandler(
                        RESPONDER_IDLE_TIMEOUT.toNanos(), 0, 0, TimeUnit.NANOSECONDS),
                    new PingResponder()));
    return new Ping(host, timeout);
  }

  /**
   * Sends {@code count} pings, one at a time, on one new stream; completes with their round-trip
   * times, or fails if the protocol is not supported, an echo is wrong or does not arrive within
   * the timeout.
   *
   * @param count 1 to {@value #MAX_PINGS_PER_STREAM}
   */
  public CompletableFuture<List<Duration>> ping(Connection connection, int count) {
    if (count < 1 || count > MAX_PINGS_PER_STREAM) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("count must be 1.." + MAX_PINGS_PER_STREAM));
    }
    PingInitiator initiator = new PingInitiator(count, timeout);
    CompletableFuture<List<Duration>> result = new CompletableFuture<>();
    host.newStream(connection, s -> s.channel().pipeline().addLast(initiator), PROTOCOL)
        .whenComplete(
            (s, e) -> {
              if (e != null) {
                result.completeExceptionally(
                    e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
              }
            });
    initiator
        .result()
        .whenComplete(
            (r, e) -> {
              if (e != null) {
                result.completeExceptionally(e);
              } else {
                result.complete(r);
              }
            });
    return result;
  }

  /** Stops serving ping; streams already open finish. */
  @Override
  public void close() {
    host.removeStreamHandler(PROTOCOL);
  }
}
