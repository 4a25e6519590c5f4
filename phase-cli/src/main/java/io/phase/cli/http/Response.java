package io.phase.cli.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** An HTTP response before it is written: status, content type, body and extra headers. */
record Response(
    HttpResponseStatus status, String contentType, byte[] body, Map<String, String> headers) {

  static Response text(HttpResponseStatus status, String text) {
    return new Response(
        status,
        "text/plain; charset=utf-8",
        (text + "\n").getBytes(StandardCharsets.UTF_8),
        Map.of());
  }

  static Response json(byte[] body) {
    return new Response(HttpResponseStatus.OK, "application/json", body, Map.of());
  }
}
