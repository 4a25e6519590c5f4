package io.phase.cli.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's requests: refuses malformed or oversized ones, anything but GET and HEAD,
 * requests without the token (when one is set) and, on a loopback endpoint without token, requests
 * naming another host (DNS rebinding); hands the rest to {@link Routes} on the worker threads and
 * writes the answer with security headers.
 */
final class RequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(RequestHandler.class);

  /** The page may load only its own scripts and styles and talk only to this endpoint. */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src"
          + " 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private final Routes routes;
  private final Optional<AccessToken> token;
  private final ExecutorService workers;

  RequestHandler(Routes routes, Optional<AccessToken> token, ExecutorService workers) {
    this.routes = routes;
    this.token = token;
    this.workers = workers;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (request.decoderResult().isFailure()) {
      Throwable cause = request.decoderResult().cause();
      HttpResponseStatus status =
          cause instanceof TooLongHttpLineException
              ? HttpResponseStatus.REQUEST_URI_TOO_LONG
              : cause instanceof TooLongHttpHeaderException
                  ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                  : cause instanceof TooLongFrameException
                      ? HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE
                      : HttpResponseStatus.BAD_REQUEST;
      send(ctx, Response.text(status, status.reasonPhrase()), false, false);
      return;
    }
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    HttpMethod method = request.method();
    boolean head = method.equals(HttpMethod.HEAD);
    if (!method.equals(HttpMethod.GET) && !head) {
      send(
          ctx,
          new Response(
              HttpResponseStatus.METHOD_NOT_ALLOWED,
              "text/plain; charset=utf-8",
              "only GET and HEAD\n".getBytes(java.nio.charset.StandardCharsets.UTF_8),
              Map.of("Allow", "GET, HEAD")),
          false,
          keepAlive);
      return;
    }
    if (token.isPresent()
        && !token
            .get()
            .acceptsAuthorization(request.headers().get(HttpHeaderNames.AUTHORIZATION))) {
      LOG.debug("http_unauthorized remote={}", ctx.channel().remoteAddress());
      send(
          ctx,
          new Response(
              HttpResponseStatus.UNAUTHORIZED,
              "text/plain; charset=utf-8",
              "a valid token is required\n".getBytes(java.nio.charset.StandardCharsets.UTF_8),
              Map.of("WWW-Authenticate", "Basic realm=\"phase node\", charset=\"UTF-8\"")),
          false,
          keepAlive);
      return;
    }
    if (token.isEmpty() && !LoopbackHost.allowed(request.headers().get(HttpHeaderNames.HOST))) {
      send(
          ctx,
          Response.text(HttpResponseStatus.FORBIDDEN, "Host must be a loopback address"),
          false,
          false);
      return;
    }
    String path = new QueryStringDecoder(request.uri()).path();
    try {
      workers.execute(
          () -> {
            Response response;
            try {
              response = routes.answer(path);
            } catch (RuntimeException e) {
              LOG.warn("http_failed path={} error={}", loggable(path), e.toString());
              response = Response.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error");
            }
            Response r = response;
            ctx.executor().execute(() -> send(ctx, r, head, keepAlive));
          });
    } catch (RejectedExecutionException e) {
      send(ctx, Response.text(HttpResponseStatus.SERVICE_UNAVAILABLE, "busy"), false, false);
    }
  }

  private static void send(ChannelHandlerContext ctx, Response r, boolean head, boolean keepAlive) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            r.status(),
            head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(r.body()));
    var h = response.headers();
    h.set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
    h.set(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
    h.set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    h.set("X-Content-Type-Options", "nosniff");
    h.set("X-Frame-Options", "DENY");
    h.set("Referrer-Policy", "no-referrer");
    h.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    r.headers().forEach(h::set);
    HttpUtil.setKeepAlive(response, keepAlive);
    var written = ctx.writeAndFlush(response);
    if (!keepAlive) {
      written.addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** The path as a log value: printable ASCII only, at most 200 characters. */
  static String loggable(String path) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < path.length() && b.length() < 200; i++) {
      char c = path.charAt(i);
      b.append(c > ' ' && c < 127 ? c : '?');
    }
    return b.toString();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug(
        "http_connection_error remote={} error={}",
        ctx.channel().remoteAddress(),
        cause.toString());
    ctx.close();
  }
}
