package io.phase.cli.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.phase.core.json.Json;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What each path answers. Runs on the endpoint's worker threads (never an event loop): building a
 * document reads the node's snapshots, which take short locks.
 */
final class Routes {
  private static final Pattern RECEIPT = Pattern.compile("/api/jobs/([0-9a-f]{64})/receipt");

  private final NodeView view;
  private final NodeMetrics metrics;
  private final StaticAssets assets;
  private final java.util.function.BooleanSupplier draining;

  Routes(
      NodeView view,
      NodeMetrics metrics,
      StaticAssets assets,
      java.util.function.BooleanSupplier draining) {
    this.view = view;
    this.metrics = metrics;
    this.assets = assets;
    this.draining = draining;
  }

  Response answer(String path) {
    Optional<Response> asset = assets.get(path);
    if (asset.isPresent()) {
      return asset.get();
    }
    switch (path) {
      case "/healthz":
        return draining.getAsBoolean()
            ? Response.text(HttpResponseStatus.SERVICE_UNAVAILABLE, "draining")
            : Response.text(HttpResponseStatus.OK, "ok");
      case "/metrics":
        return new Response(
            HttpResponseStatus.OK, metrics.contentType(), metrics.scrape(), Map.of());
      case "/api/state":
        return json(view.state());
      case "/api/node":
        return json(view.node());
      case "/api/peers":
        return json(view.peers());
      case "/api/jobs":
        return json(view.jobs());
      default:
        break;
    }
    Matcher m = RECEIPT.matcher(path);
    if (m.matches()) {
      String jobId = m.group(1);
      return view.receipt(jobId)
          .map(
              bytes ->
                  new Response(
                      HttpResponseStatus.OK,
                      "application/json",
                      bytes,
                      Map.of(
                          "Content-Disposition",
                          "attachment; filename=\"receipt-" + jobId.substring(0, 16) + ".json\"")))
          .orElseGet(
              () -> Response.text(HttpResponseStatus.NOT_FOUND, "no receipt for this job id"));
    }
    return Response.text(HttpResponseStatus.NOT_FOUND, "not found");
  }

  private static Response json(Object doc) {
    try {
      return Response.json(Json.mapper().writeValueAsBytes(doc));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
