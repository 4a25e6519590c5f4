package io.phase.core.sandbox;

import java.util.concurrent.CompletableFuture;

/** A submitted run: its result, when it comes, and a way to stop it. */
public interface SandboxRun {
  /** Completes with the result of the run; exceptionally only with {@link SandboxBusyException}. */
  CompletableFuture<SandboxResult> result();

  /** Stops the run; it ends with outcome {@code cancelled} unless it already ended. */
  void cancel();
}
