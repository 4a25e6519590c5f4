package io.phase.jenkins;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The step directories of one build, {@code <build>/phase/<n>/}: {@link #allocate} creates the next
 * one atomically (parallel branches of a build each get their own), and inputs copied from the
 * agent go into its {@code inputs/} subfolder, deleted once the step no longer needs them.
 */
public final class StepDirectories {
  /** The subfolder of a step directory that holds the copied module and workspace. */
  public static final String INPUTS = "inputs";

  private StepDirectories() {}

  /** The directory of step {@code step} of the build in {@code buildDir}. */
  public static Path of(Path buildDir, int step) {
    return buildDir.resolve(ReceiptNames.FOLDER).resolve(Integer.toString(step));
  }

  /**
   * Creates the directory of the build's next step and returns its number.
   *
   * @throws IOException if it cannot be created, or the build already has {@link
   *     ReceiptNames#MAX_STEPS} steps
   */
  public static int allocate(Path buildDir) throws IOException {
    Path root = buildDir.resolve(ReceiptNames.FOLDER);
    Files.createDirectories(root);
    int next = 1;
    try (var entries = Files.list(root)) {
      next +=
          entries
              .map(p -> ReceiptNames.parse(p.getFileName().toString()))
              .filter(n -> n.isPresent())
              .mapToInt(n -> n.getAsInt())
              .max()
              .orElse(0);
    }
    for (int step = next; step <= ReceiptNames.MAX_STEPS; step++) {
      try {
        Files.createDirectory(of(buildDir, step));
        return step;
      } catch (FileAlreadyExistsException e) {
        // Taken by a parallel step: try the next number.
      }
    }
    throw new IOException("the build already ran " + ReceiptNames.MAX_STEPS + " phaseRun steps");
  }

  /** Deletes {@code dir} and everything under it, not following links; quiet if it is gone. */
  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
