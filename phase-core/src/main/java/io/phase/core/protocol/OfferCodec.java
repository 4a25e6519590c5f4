package io.phase.core.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.phase.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * Framing of {@code /phase/job-offer/1.0.0}, rust-libp2p's request_response JSON codec: no length
 * prefix. The requester writes the request JSON and half-closes its side of the stream; the
 * responder reads to end of stream (at most {@link #MAX_REQUEST_BYTES}), writes the response JSON
 * and closes; the requester reads to end of stream (at most {@link #MAX_RESPONSE_BYTES}). The whole
 * exchange is bounded by {@link #REQUEST_TIMEOUT}. The methods here are pure functions over the
 * bytes read to end of stream; {@link EofCollector} and {@link #readToEnd} collect those bytes with
 * the cap enforced as they arrive.
 */
public final class OfferCodec {

  /** The libp2p protocol id. */
  public static final String PROTOCOL_ID = "/phase/job-offer/1.0.0";

  /** Largest request a responder reads (rust-libp2p's default). */
  public static final int MAX_REQUEST_BYTES = 1 << 20;

  /** Largest response a requester reads (rust-libp2p's default). */
  public static final int MAX_RESPONSE_BYTES = 10 << 20;

  /** Time allowed for the whole exchange (rust-libp2p's default). */
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private OfferCodec() {}

  /** The request bytes to write before half-closing. */
  public static byte[] encodeRequest(JobOffer offer) {
    return write(offer.toJsonNode());
  }

  /**
   * Decodes everything the requester wrote before half-closing.
   *
   * @throws ProtocolException if it is over {@link #MAX_REQUEST_BYTES} or not a valid offer
   */
  public static JobOffer decodeRequest(byte[] untilEof) {
    return JobOffer.fromJson(JsonFields.parse(untilEof, MAX_REQUEST_BYTES, "job offer"));
  }

  /** The response bytes to write before closing. */
  public static byte[] encodeResponse(JobResponse response) {
    return write(response.toJsonNode());
  }

  /**
   * Decodes everything the responder wrote before closing.
   *
   * @throws ProtocolException if it is over {@link #MAX_RESPONSE_BYTES} or not a valid response
   */
  public static JobResponse decodeResponse(byte[] untilEof) {
    return JobResponse.fromJson(JsonFields.parse(untilEof, MAX_RESPONSE_BYTES, "job response"));
  }

  /**
   * The response to a request that could not be decoded: {@code Rejected} with {@code
   * InvalidRequest} carrying the decoder's message, and the request's {@code job_id} if one can be
   * read from it (else empty).
   */
  public static JobResponse.Rejected rejectMalformed(byte[] request, ProtocolException failure) {
    return new JobResponse.Rejected(
        jobIdOf(request), RejectReason.InvalidRequest.truncating(failure.getMessage()));
  }

  private static String jobIdOf(byte[] request) {
    try {
      JsonNode node = Json.parse(request, MAX_REQUEST_BYTES);
      JsonNode id = node.get("job_id");
      if (id != null && id.isTextual() && JobOffer.ID.matcher(id.textValue()).matches()) {
        return id.textValue();
      }
    } catch (IllegalArgumentException e) {
      // not JSON at all: no job id to echo
    }
    return "";
  }

  /**
   * Reads {@code in} to end of stream, refusing more than {@code cap} bytes as soon as the cap is
   * passed (never buffering more than {@code cap + 1} bytes). Wait bounds belong to the stream.
   *
   * @throws ProtocolException if the stream holds more than {@code cap} bytes
   */
  public static byte[] readToEnd(InputStream in, int cap) throws IOException {
    EofCollector collector = new EofCollector(cap);
    byte[] buffer = new byte[8192];
    int n;
    while ((n = in.read(buffer, 0, (int) Math.min(buffer.length, (long) cap + 1))) > 0) {
      collector.append(buffer, 0, n);
    }
    return collector.toByteArray();
  }

  private static byte[] write(ObjectNode node) {
    try {
      return Json.mapper().writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a JSON tree", e);
    }
  }
}
