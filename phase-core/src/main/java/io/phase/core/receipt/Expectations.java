package io.phase.core.receipt;

import io.phase.core.json.StrictFields;
import io.phase.p2p.peer.PeerId;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * What the verifying party knows independently of the receipt: the module it sent, the worker it
 * dispatched to, the job id it chose, and the output it received. Every check is optional, but a
 * receipt verified with {@link #none()} only proves that <em>some</em> key signed it: pin at least
 * the worker and the job id in real use. Immutable; build with {@link #builder()}.
 */
public final class Expectations {

  private final String moduleHash;
  private final PeerId worker;
  private final String jobId;
  private final OutputSummary output;
  private final java.util.List<WasmResult.Input> inputs;
  private final java.util.Map<String, String> outputTrees;

  private Expectations(Builder b) {
    this.inputs = b.inputs;
    this.outputTrees =
        java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(b.outputTrees));
    this.moduleHash = b.moduleHash;
    this.worker = b.worker;
    this.jobId = b.jobId;
    this.output = b.output;
  }

  /** No expectations: signature and internal consistency only. */
  public static Expectations none() {
    return builder().build();
  }

  /** A builder with nothing expected yet. */
  public static Builder builder() {
    return new Builder();
  }

  /** Expected {@code sha256:<hex>} module hash. */
  public Optional<String> moduleHash() {
    return Optional.ofNullable(moduleHash);
  }

  /** Expected worker. */
  public Optional<PeerId> worker() {
    return Optional.ofNullable(worker);
  }

  /** Expected job id (64 lowercase hex). */
  public Optional<String> jobId() {
    return Optional.ofNullable(jobId);
  }

  /** The output the verifier replayed. */
  public Optional<OutputSummary> output() {
    return Optional.ofNullable(output);
  }

  /**
   * The input trees expected, in order; the result must name exactly these (an empty list: no
   * inputs).
   */
  public Optional<java.util.List<WasmResult.Input>> inputs() {
    return Optional.ofNullable(inputs);
  }

  /**
   * Output trees expected: guest path to Merkle digest; the result must name each of these paths
   * with that digest (it may name others).
   */
  public java.util.Map<String, String> outputTrees() {
    return outputTrees;
  }

  /** Builder for {@link Expectations}. */
  public static final class Builder {
    private String moduleHash;
    private PeerId worker;
    private String jobId;
    private OutputSummary output;
    private java.util.List<WasmResult.Input> inputs;
    private final java.util.Map<String, String> outputTrees = new java.util.LinkedHashMap<>();

    private Builder() {}

    /** Expect the result to name output tree {@code path} with this digest. */
    public Builder outputTree(String path, String digest) {
      outputTrees.put(path, digest);
      return this;
    }

    /** Expect exactly these input trees, in this order (empty: none). */
    public Builder inputs(java.util.List<WasmResult.Input> value) {
      this.inputs = java.util.List.copyOf(value);
      return this;
    }

    /** Expect the module with these bytes (hashed with SHA-256). */
    public Builder moduleBytes(byte[] module) {
      try {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(module);
        this.moduleHash = "sha256:" + HexFormat.of().formatHex(digest);
        return this;
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("SHA-256 unavailable", e);
      }
    }

    /** Expect this {@code sha256:<64 lowercase hex>} module hash. */
    public Builder moduleHash(String hash) {
      if (!StrictFields.MODULE_HASH.matcher(hash).matches()) {
        throw new IllegalArgumentException("module hash must be \"sha256:\" + 64 lowercase hex");
      }
      this.moduleHash = hash;
      return this;
    }

    /** Expect this worker; it must be an Ed25519 peer id so its key can be compared. */
    public Builder worker(PeerId peer) {
      if (peer.publicKey().isEmpty()) {
        throw new IllegalArgumentException("expected worker must be an Ed25519 peer id");
      }
      this.worker = peer;
      return this;
    }

    /** Expect this job id (64 lowercase hex). */
    public Builder jobId(String id) {
      if (!StrictFields.HEX_32_BYTES.matcher(id).matches()) {
        throw new IllegalArgumentException("job id must be 64 lowercase hex chars");
      }
      this.jobId = id;
      return this;
    }

    /** Expect the output that replayed to {@code summary}. */
    public Builder output(OutputSummary summary) {
      this.output = Objects.requireNonNull(summary, "summary");
      return this;
    }

    /** Expect the output of this validated transcript. */
    public Builder transcript(Transcript transcript) {
      return output(transcript.summary());
    }

    /** The expectations. */
    public Expectations build() {
      return new Expectations(this);
    }
  }
}
