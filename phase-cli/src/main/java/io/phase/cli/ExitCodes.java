package io.phase.cli;

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

  /** The guest ran past its wall-clock limit. */
  public static final int TIMED_OUT = 124;

  /** phase itself failed: bad options, unreadable files, key or workspace problems. */
  public static final int PHASE_ERROR = 125;

  /** The module is not a valid WASI command for this sandbox. */
  public static final int INVALID_MODULE = 126;

  /** The module file does not exist. */
  public static final int MODULE_NOT_FOUND = 127;

  /** The job was cancelled (Ctrl-C). */
  public static final int CANCELLED = 130;

  /** The guest trapped (unreachable, out-of-bounds access, call stack exhausted...). */
  public static final int TRAPPED = 134;

  /** The guest hit its memory limit. */
  public static final int MEMORY_LIMIT = 137;

  /** The guest wrote more output than allowed. */
  public static final int OUTPUT_LIMIT = 141;

  private ExitCodes() {}
}
