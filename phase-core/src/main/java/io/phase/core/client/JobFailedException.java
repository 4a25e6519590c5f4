package io.phase.core.client;

import io.phase.core.protocol.RejectReason;
import io.phase.core.protocol.RunMessage.ErrorCode;
import io.phase.core.receipt.Verification;
import io.phase.p2p.peer.PeerId;
import java.util.Optional;

/** Why a job attempt (or the whole job, after its last attempt) failed, typed. */
public final class JobFailedException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The kind of failure. */
  public enum Kind {
    /** No worker was found for the capability. */
    NO_WORKERS,
    /** The worker refused the job; see {@link #rejectReason()}. */
    REJECTED,
    /** The worker ended the stream with an ERROR; see {@link #errorCode()}. */
    WORKER_ERROR,
    /** The receipt did not verify; see {@link #verification()}. */
    VERIFICATION_FAILED,
    /** The worker broke the protocol (bad frame, order, sequence). */
    PROTOCOL,
    /** The worker could not be reached or the connection dropped. */
    CONNECTION_LOST,
    /** The job or an exchange took longer than allowed. */
    TIMEOUT,
    /** The caller cancelled the job. */
    CANCELLED,
    /** The job could not be prepared locally (e.g. the workspace could not be packed). */
    LOCAL
  }

  private final Kind kind;
  private final transient PeerId worker;
  private final transient RejectReason rejectReason;
  private final ErrorCode errorCode;
  private final transient Verification verification;

  private JobFailedException(
      Kind kind,
      PeerId worker,
      String message,
      RejectReason reject,
      ErrorCode code,
      Verification verification,
      Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.worker = worker;
    this.rejectReason = reject;
    this.errorCode = code;
    this.verification = verification;
  }

  static JobFailedException of(Kind kind, PeerId worker, String message, Throwable cause) {
    return new JobFailedException(kind, worker, message, null, null, null, cause);
  }

  static JobFailedException rejected(PeerId worker, RejectReason reason) {
    return new JobFailedException(
        Kind.REJECTED, worker, "rejected: " + reason.describe(), reason, null, null, null);
  }

  static JobFailedException workerError(PeerId worker, ErrorCode code, String message) {
    return new JobFailedException(
        Kind.WORKER_ERROR,
        worker,
        "worker error " + code.wireName() + ": " + message,
        null,
        code,
        null,
        null);
  }

  static JobFailedException unverified(PeerId worker, Verification v) {
    return new JobFailedException(
        Kind.VERIFICATION_FAILED,
        worker,
        "receipt verification failed (" + v.reason() + "): " + v.message(),
        null,
        null,
        v,
        null);
  }

  public Kind kind() {
    return kind;
  }

  /** The worker the failed attempt went to, if any. */
  public Optional<PeerId> worker() {
    return Optional.ofNullable(worker);
  }

  public Optional<RejectReason> rejectReason() {
    return Optional.ofNullable(rejectReason);
  }

  public Optional<ErrorCode> errorCode() {
    return Optional.ofNullable(errorCode);
  }

  public Optional<Verification> verification() {
    return Optional.ofNullable(verification);
  }
}
