package io.phase.core.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.phase.core.json.StrictFields.Unknown;
import io.phase.p2p.peer.PeerId;
import io.phase.p2p.text.PrintableText;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The response of {@code /phase/job-offer/1.0.0}, serde's externally tagged enum: {@code
 * {"Accepted":{"job_id","estimated_start","node_peer_id"}}} or {@code
 * {"Rejected":{"job_id","reason"}}}.
 */
public sealed interface JobResponse {

  /** The job id this response answers. */
  String jobId();

  /**
   * The worker would run the job.
   *
   * @param estimatedStart unix seconds when the job would start at the latest
   * @param nodePeerId the worker's peer id, written in base58btc
   */
  record Accepted(String jobId, long estimatedStart, PeerId nodePeerId) implements JobResponse {
    public Accepted {
      JobOffer.requireMatch(jobId, JobOffer.ID, "Accepted.job_id", "1..128 printable ASCII");
      Objects.requireNonNull(nodePeerId, "nodePeerId");
      if (estimatedStart < 0) {
        throw new IllegalArgumentException("estimated_start must be non-negative");
      }
    }
  }

  /**
   * The worker refuses the job.
   *
   * @param jobId the offer's job id, or empty if the offer was too malformed to carry one
   */
  record Rejected(String jobId, RejectReason reason) implements JobResponse {
    public Rejected {
      Objects.requireNonNull(jobId, "jobId");
      Objects.requireNonNull(reason, "reason");
      if (!jobId.isEmpty()) {
        JobOffer.requireMatch(jobId, JobOffer.ID, "Rejected.job_id", "1..128 printable ASCII");
      }
    }
  }

  /** The serde JSON form. */
  default ObjectNode toJsonNode() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode body = f.objectNode();
    ObjectNode node = f.objectNode();
    body.put("job_id", jobId());
    if (this instanceof Accepted a) {
      body.put("estimated_start", a.estimatedStart());
      body.put("node_peer_id", a.nodePeerId().toBase58());
      node.set("Accepted", body);
    } else {
      body.set("reason", ((Rejected) this).reason().toJson());
      node.set("Rejected", body);
    }
    return node;
  }

  /**
   * Reads a response: exactly one variant key; inside it unknown fields are ignored, known ones
   * typed strictly; {@code node_peer_id} must be a valid peer id in base58btc.
   *
   * @throws ProtocolException if the response is malformed
   */
  static JobResponse fromJson(JsonNode node) {
    Map.Entry<String, JsonNode> variant = Tagged.single(node, "job response");
    JsonNode body = variant.getValue();
    switch (variant.getKey()) {
      case "Accepted" -> {
        String at = "job response.Accepted";
        JsonFields.READ.object(
            body, at, List.of("job_id", "estimated_start", "node_peer_id"), Unknown.IGNORE);
        String peerText = JsonFields.READ.text(body, "node_peer_id", at, 1, PeerId.MAX_TEXT_LENGTH);
        PeerId peer;
        try {
          peer = PeerId.parse(peerText);
        } catch (IllegalArgumentException e) {
          throw new ProtocolException(at + ".node_peer_id is not a peer id: " + e.getMessage());
        }
        if (!peer.toBase58().equals(peerText)) {
          throw new ProtocolException(at + ".node_peer_id must be written in base58btc");
        }
        return new Accepted(
            JsonFields.READ.matching(
                body, "job_id", at, JobOffer.MAX_ID_CHARS, JobOffer.ID, "1..128 printable ASCII"),
            JsonFields.READ.integer(body, "estimated_start", at, 0, Long.MAX_VALUE),
            peer);
      }
      case "Rejected" -> {
        String at = "job response.Rejected";
        JsonFields.READ.object(body, at, List.of("job_id", "reason"), Unknown.IGNORE);
        String jobId = JsonFields.READ.text(body, "job_id", at, 0, JobOffer.MAX_ID_CHARS);
        return new Rejected(jobId, RejectReason.fromJson(body.get("reason"), at + ".reason"));
      }
      default ->
          throw new ProtocolException(
              "job response: unknown variant \""
                  + PrintableText.printable(variant.getKey())
                  + "\"");
    }
  }
}
