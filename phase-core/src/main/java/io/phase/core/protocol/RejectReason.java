package io.phase.core.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.phase.core.json.StrictFields.Unknown;
import io.phase.p2p.text.PrintableText;
import java.util.List;
import java.util.Map;

/**
 * Why a worker refused a job, as serde writes the Rust enum (externally tagged): {@code
 * {"InsufficientResources":{"missing":"memory"}}}, {@code
 * {"ArchMismatch":{"required":"…","available":"…"}}}, {@code
 * {"RuntimeNotSupported":{"required":"…"}}}, {@code "QueueFull"}, {@code
 * {"InvalidRequest":{"details":"…"}}}. Both protocols use it.
 */
public sealed interface RejectReason {

  /** The {@code InvalidRequest} details of a worker whose allow-list leaves the submitter out. */
  String NOT_ALLOWED = "submitter is not allowed on this worker";

  /** Longest {@code details} accepted. */
  int MAX_DETAILS_CHARS = 1024;

  /** Longest {@code missing}, {@code required} or {@code available} accepted. */
  int MAX_NAME_CHARS = 64;

  /** The worker lacks {@code missing} (e.g. {@code memory}, {@code cpu}, {@code time}). */
  record InsufficientResources(String missing) implements RejectReason {
    public InsufficientResources {
      JsonFields.READ.checkText(missing, "InsufficientResources.missing", 1, MAX_NAME_CHARS);
    }
  }

  /** The job needs another CPU architecture. */
  record ArchMismatch(String required, String available) implements RejectReason {
    public ArchMismatch {
      JsonFields.READ.checkText(required, "ArchMismatch.required", 1, MAX_NAME_CHARS);
      JsonFields.READ.checkText(available, "ArchMismatch.available", 1, MAX_NAME_CHARS);
    }
  }

  /** The job needs a WASM runtime this worker does not have. */
  record RuntimeNotSupported(String required) implements RejectReason {
    public RuntimeNotSupported {
      JsonFields.READ.checkText(required, "RuntimeNotSupported.required", 1, MAX_NAME_CHARS);
    }
  }

  /** Every run and queue slot is taken. */
  record QueueFull() implements RejectReason {}

  /** The request is malformed, not allowed, or replayed; {@code details} says which. */
  record InvalidRequest(String details) implements RejectReason {
    public InvalidRequest {
      JsonFields.READ.checkText(details, "InvalidRequest.details", 0, MAX_DETAILS_CHARS);
    }

    /** An InvalidRequest whose details are cut to the maximum length. */
    public static InvalidRequest truncating(String details) {
      String clean = details.replace('\0', '?');
      return new InvalidRequest(
          clean.length() > MAX_DETAILS_CHARS ? clean.substring(0, MAX_DETAILS_CHARS) : clean);
    }
  }

  /**
   * Whether another worker might accept the job this worker refused: true for what depends on the
   * worker (resources, arch, runtime, a full queue, an allow-list), false for an {@code
   * InvalidRequest} about the request itself, which every worker would refuse alike.
   */
  default boolean otherWorkersMightAccept() {
    return !(this instanceof InvalidRequest r) || r.details().equals(NOT_ALLOWED);
  }

  /** A short human-readable rendering, safe to log. */
  default String describe() {
    return PrintableText.printable(toJson().toString());
  }

  /** The serde JSON form. */
  default JsonNode toJson() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (this instanceof QueueFull) {
      return TextNode.valueOf("QueueFull");
    }
    ObjectNode body = f.objectNode();
    String tag;
    if (this instanceof InsufficientResources r) {
      tag = "InsufficientResources";
      body.put("missing", r.missing());
    } else if (this instanceof ArchMismatch r) {
      tag = "ArchMismatch";
      body.put("required", r.required());
      body.put("available", r.available());
    } else if (this instanceof RuntimeNotSupported r) {
      tag = "RuntimeNotSupported";
      body.put("required", r.required());
    } else {
      tag = "InvalidRequest";
      body.put("details", ((InvalidRequest) this).details());
    }
    ObjectNode node = f.objectNode();
    node.set(tag, body);
    return node;
  }

  /**
   * Reads a reason. Like serde, the unit variant is accepted as {@code "QueueFull"} or {@code
   * {"QueueFull":null}}; the tagged object must have exactly one key; fields unknown inside a
   * variant are ignored.
   *
   * @throws ProtocolException for an unknown variant, a missing or mistyped field
   */
  static RejectReason fromJson(JsonNode node, String where) {
    if (node != null && node.isTextual()) {
      if (node.textValue().equals("QueueFull")) {
        return new QueueFull();
      }
      throw new ProtocolException(
          where + ": unknown unit variant \"" + PrintableText.printable(node.textValue()) + "\"");
    }
    Map.Entry<String, JsonNode> variant = Tagged.single(node, where);
    String tag = variant.getKey();
    JsonNode body = variant.getValue();
    String at = where + "." + tag;
    switch (tag) {
      case "QueueFull" -> {
        if (!body.isNull()) {
          throw new ProtocolException(at + " must be null");
        }
        return new QueueFull();
      }
      case "InsufficientResources" -> {
        JsonFields.READ.object(body, at, List.of("missing"), Unknown.IGNORE);
        return new InsufficientResources(
            JsonFields.READ.text(body, "missing", at, 1, MAX_NAME_CHARS));
      }
      case "ArchMismatch" -> {
        JsonFields.READ.object(body, at, List.of("required", "available"), Unknown.IGNORE);
        return new ArchMismatch(
            JsonFields.READ.text(body, "required", at, 1, MAX_NAME_CHARS),
            JsonFields.READ.text(body, "available", at, 1, MAX_NAME_CHARS));
      }
      case "RuntimeNotSupported" -> {
        JsonFields.READ.object(body, at, List.of("required"), Unknown.IGNORE);
        return new RuntimeNotSupported(
            JsonFields.READ.text(body, "required", at, 1, MAX_NAME_CHARS));
      }
      case "InvalidRequest" -> {
        JsonFields.READ.object(body, at, List.of("details"), Unknown.IGNORE);
        return new InvalidRequest(JsonFields.READ.text(body, "details", at, 0, MAX_DETAILS_CHARS));
      }
      default ->
          throw new ProtocolException(
              where + ": unknown variant \"" + PrintableText.printable(tag) + "\"");
    }
  }
}
