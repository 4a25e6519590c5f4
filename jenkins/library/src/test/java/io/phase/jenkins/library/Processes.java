package io.phase.jenkins.library;

import java.util.concurrent.TimeUnit;

/** Ending the processes the tests start. */
final class Processes {
  private Processes() {}

  /**
   * Kills {@code process} and everything it started (a shell's {@code phase}, its JVM) if still
   * alive, and waits (bounded) for it to go.
   */
  static void kill(Process process) throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
