package io.phase.cli.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/** The dashboard's HTML, CSS and JavaScript, read once from the jar. */
final class StaticAssets {
  private static final String BASE = "/io/phase/cli/http/";
  private static final int MAX_BYTES = 256 * 1024;

  /** Path served to resource name and content type. */
  private static final Map<String, String[]> FILES =
      Map.of(
          "/", new String[] {"dashboard.html", "text/html; charset=utf-8"},
          "/dashboard.css", new String[] {"dashboard.css", "text/css; charset=utf-8"},
          "/dashboard.js", new String[] {"dashboard.js", "text/javascript; charset=utf-8"});

  private final Map<String, Response> loaded;

  StaticAssets() {
    java.util.HashMap<String, Response> m = new java.util.HashMap<>();
    FILES.forEach((path, file) -> m.put(path, load(file[0], file[1])));
    this.loaded = Map.copyOf(m);
  }

  Optional<Response> get(String path) {
    return Optional.ofNullable(loaded.get(path));
  }

  private static Response load(String name, String contentType) {
    try (InputStream in = StaticAssets.class.getResourceAsStream(BASE + name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + BASE + name);
      }
      byte[] bytes = in.readNBytes(MAX_BYTES + 1);
      if (bytes.length > MAX_BYTES) {
        throw new IllegalStateException("resource " + name + " is over " + MAX_BYTES + " bytes");
      }
      return new Response(
          io.netty.handler.codec.http.HttpResponseStatus.OK, contentType, bytes, Map.of());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
