package io.phase.cli;

import io.phase.core.receipt.OutcomeKind;
import io.phase.core.step.ExitStatus;

/**
 * Exit statuses of the {@code phase} command. For {@code exec} and {@code run}, a guest that exits
 * with status n makes {@code phase} exit with n; the statuses below are reserved for what is not
 * the guest's own exit (they mirror timeout(1) and shell conventions).
 */
public final class ExitCodes {
  /** Verification failed ({@code phase verify}). */
  public static final int INVALID = 1;

  /** Bad command line (all commands except exec and run, which use {@link #PHASE_ERROR}). */
  public static final int USAGE = 2;

  /** No bootstrap peer could be reached ({@code phase peers}). */
  public static final int UNREACHABLE = 3;

  /** {@code run}: no bootstrap peer could be reached. */
  public static final int NETWORK_UNREACHABLE = ExitStatus.NETWORK_UNREACHABLE;

  /** {@code run}: no worker ran the job (none found, or every attempt refused or lost). */
  public static final int NO_WORKER = ExitStatus.NO_WORKER;

  /** {@code run}: a worker's receipt or output failed verification on the last attempt. */
  public static final int UNVERIFIED = ExitStatus.UNVERIFIED;

  /** The guest ran past its wall-clock limit. */
  public static final int TIMED_OUT = ExitStatus.TIMED_OUT;

  /** phase itself failed: bad options, unreadable files, key or workspace problems. */
  public static final int PHASE_ERROR = ExitStatus.PHASE_ERROR;

  /** The module is not a valid WASI command for this sandbox. */
  public static final int INVALID_MODULE = ExitStatus.INVALID_MODULE;

  /** The module file does not exist. */
  public static final int MODULE_NOT_FOUND = ExitStatus.MODULE_NOT_FOUND;

  /** The job was cancelled (Ctrl-C). */
  public static final int CANCELLED = ExitStatus.CANCELLED;

  /** The guest trapped (unreachable, out-of-bounds access, call stack exhausted...). */
  public static final int TRAPPED = ExitStatus.TRAPPED;

  /** The guest hit its memory limit. */
  public static final int MEMORY_LIMIT = ExitStatus.MEMORY_LIMIT;

  /** The guest wrote more output than allowed. */
  public static final int OUTPUT_LIMIT = ExitStatus.OUTPUT_LIMIT;

  /** Exit status for how a guest ended: its own code when it exited, else the reserved one. */
  static int forOutcome(OutcomeKind kind, Integer exitCode) {
    return ExitStatus.forOutcome(kind, exitCode);
  }

  private ExitCodes() {}
}
