package io.phase.jenkins;

import hudson.AbortException;
import hudson.FilePath;
import hudson.util.DirScanner;
import io.phase.core.step.ExitStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Brings a step's inputs from the build's workspace (on whatever agent) to the controller: the
 * module file and, if the step names one, the {@code dir} tree, both inside the workspace. Sizes
 * and counts are checked on the agent before anything is copied.
 *
 * @param module the copied module
 * @param workspace the copied {@code dir} tree, if any
 */
record AgentInputs(Path module, Optional<Path> workspace) {
  /** The largest module (the sandbox's module cap), bytes. */
  static final long MAX_MODULE_BYTES = 256L << 20;

  /** The most files a {@code dir} tree may hold (the sandbox's workspace cap). */
  static final int MAX_DIR_FILES = 10_000;

  /** The most bytes a {@code dir} tree may hold (the sandbox's workspace cap). */
  static final long MAX_DIR_BYTES = 256L << 20;

  /**
   * Copies the inputs of the step that runs {@code moduleArg} into {@code inputs}.
   *
   * @param modulePath the module, resolved by {@link WorkspacePath}
   * @param dirPath the {@code dir} tree, resolved by {@link WorkspacePath}, or null
   * @throws AbortException with the step's one-line failure
   */
  static AgentInputs copy(
      FilePath workspace, String moduleArg, String modulePath, String dirPath, Path inputs)
      throws IOException, InterruptedException {
    if (!workspace.isDescendant(modulePath)) {
      throw abort(moduleArg, "module must stay inside the workspace", ExitStatus.PHASE_ERROR);
    }
    FilePath module = workspace.child(modulePath);
    if (!module.exists()) {
      throw abort(moduleArg, "module not found in the workspace", ExitStatus.MODULE_NOT_FOUND);
    }
    if (module.isDirectory()) {
      throw abort(moduleArg, "module is a directory", ExitStatus.INVALID_MODULE);
    }
    long size = module.length();
    if (size > MAX_MODULE_BYTES) {
      throw abort(
          moduleArg,
          "module is larger than the limit of " + MAX_MODULE_BYTES + " bytes",
          ExitStatus.INVALID_MODULE);
    }
    Path moduleCopy = inputs.resolve("module").resolve(WorkspacePath.fileName(modulePath));
    Files.createDirectories(moduleCopy.getParent());
    module.copyTo(new FilePath(moduleCopy.toFile()));
    if (dirPath == null) {
      return new AgentInputs(moduleCopy, Optional.empty());
    }
    FilePath dir = dirPath.isEmpty() ? workspace : workspace.child(dirPath);
    if (!dirPath.isEmpty() && !workspace.isDescendant(dirPath)) {
      throw abort(moduleArg, "dir must stay inside the workspace", ExitStatus.PHASE_ERROR);
    }
    if (!dir.isDirectory()) {
      throw abort(
          moduleArg,
          "dir " + dirPath + " is not a directory of the workspace",
          ExitStatus.PHASE_ERROR);
    }
    FilePath[] files = dir.list("**/*", null, false);
    if (files.length > MAX_DIR_FILES) {
      throw abort(
          moduleArg, "dir holds more than " + MAX_DIR_FILES + " files", ExitStatus.PHASE_ERROR);
    }
    long total = 0;
    for (FilePath f : files) {
      total += f.length();
      if (total > MAX_DIR_BYTES) {
        throw abort(
            moduleArg, "dir holds more than " + MAX_DIR_BYTES + " bytes", ExitStatus.PHASE_ERROR);
      }
    }
    Path tree = inputs.resolve("dir");
    Files.createDirectories(tree);
    dir.copyRecursiveTo(
        new DirScanner.Glob("**/*", null, false), new FilePath(tree.toFile()), "phaseRun dir");
    return new AgentInputs(moduleCopy, Optional.of(tree));
  }

  private static AbortException abort(String moduleArg, String message, int status) {
    return new AbortException(StepVerdict.failure(moduleArg, message, status));
  }
}
