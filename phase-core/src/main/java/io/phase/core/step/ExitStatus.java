package io.phase.core.step;

import io.phase.core.client.JobFailedException;
import io.phase.core.receipt.OutcomeKind;
import java.util.Locale;

/**
 * The statuses of {@code phase run} and of the CI steps built on it. A guest that exits with status
 * n gives n; the statuses below are reserved for what is not the guest's own exit (they mirror
 * timeout(1) and shell conventions).
 */
public final class ExitStatus {
  /** No bootstrap peer could be reached. */
  public static final int NETWORK_UNREACHABLE = 121;

  /** No worker ran the job (none found, or every attempt refused or lost). */
  public static final int NO_WORKER = 122;

  /** A worker's receipt or output failed verification on the last attempt. */
  public static final int UNVERIFIED = 123;

  /** The guest ran past its wall-clock limit, or no result came in time. */
  public static final int TIMED_OUT = 124;

  /** Phase itself failed: bad options, unreadable files, key or workspace problems. */
  public static final int PHASE_ERROR = 125;

  /** The module is not a valid WASI command for this sandbox. */
  public static final int INVALID_MODULE = 126;

  /** The module file does not exist. */
  public static final int MODULE_NOT_FOUND = 127;

  /** The job was cancelled. */
  public static final int CANCELLED = 130;

  /** The guest trapped (unreachable, out-of-bounds access, call stack exhausted...). */
  public static final int TRAPPED = 134;

  /** The guest hit its memory limit. */
  public static final int MEMORY_LIMIT = 137;

  /** The guest wrote more output than allowed. */
  public static final int OUTPUT_LIMIT = 141;

  private ExitStatus() {}

  /** The status for how a guest ended: its own code when it exited, else the reserved one. */
  public static int forOutcome(OutcomeKind kind, Integer exitCode) {
    return switch (kind) {
      case EXITED -> exitCode;
      case TRAPPED -> TRAPPED;
      case TIMED_OUT -> TIMED_OUT;
      case MEMORY_LIMIT -> MEMORY_LIMIT;
      case OUTPUT_LIMIT -> OUTPUT_LIMIT;
      case CANCELLED -> CANCELLED;
      case INVALID_MODULE -> INVALID_MODULE;
    };
  }

  /** The status for a job that failed without a verified receipt. */
  public static int forFailure(JobFailedException.Kind kind) {
    return switch (kind) {
      case VERIFICATION_FAILED -> UNVERIFIED;
      case CANCELLED -> CANCELLED;
      case TIMEOUT -> TIMED_OUT;
      case LOCAL -> PHASE_ERROR;
      default -> NO_WORKER;
    };
  }

  /** The one line that explains a failed job: {@code kind: reason (worker …)}. */
  public static String failureMessage(JobFailedException failed) {
    String where = failed.worker().map(w -> " (worker " + w + ")").orElse("");
    String kind = failed.kind().name().toLowerCase(Locale.ROOT) + ": ";
    String message = EventText.printable(String.valueOf(failed.getMessage()));
    return (message.startsWith(kind) ? "" : kind) + message + where;
  }

  /** What a status means, in a few words (for a failed step's message). */
  public static String meaning(int status) {
    return switch (status) {
      case 0 -> "success";
      case NETWORK_UNREACHABLE -> "no bootstrap peer could be reached";
      case NO_WORKER -> "no worker ran the job";
      case UNVERIFIED -> "the receipt failed verification";
      case TIMED_OUT -> "timed out";
      case PHASE_ERROR -> "phase error";
      case INVALID_MODULE -> "invalid module";
      case MODULE_NOT_FOUND -> "module not found";
      case CANCELLED -> "cancelled";
      case TRAPPED -> "the guest trapped";
      case MEMORY_LIMIT -> "memory limit";
      case OUTPUT_LIMIT -> "output limit";
      default -> "the guest exited with status " + status;
    };
  }
}
