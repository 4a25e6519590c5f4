package io.phase.jenkins.library;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.JarFile;

/**
 * The {@code phase} CLI as the tests use it: a private copy of {@code phase.jar} (so a concurrent
 * rebuild of phase-cli cannot pull classes from under a running node), a launcher script for it
 * (what an agent's {@code PHASE} names), and bounded runs of {@code phase COMMAND}.
 */
final class PhaseCli {
  /** Longest a single {@code phase} command run by a test may take. */
  static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);

  /** JVM start-up tuning only (C1, serial GC): the CLI does the same work, sooner. */
  private static final List<String> JVM_OPTIONS =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto");

  private final Path dir;
  private final Path jar;
  private final Path launcher;
  private final AtomicInteger runs = new AtomicInteger();

  private PhaseCli(Path dir, Path jar, Path launcher) {
    this.dir = dir;
    this.jar = jar;
    this.launcher = launcher;
  }

  /** Copies the built jar into {@code dir} and writes {@code dir/bin/phase}, its launcher. */
  static PhaseCli install(Path dir) throws Exception {
    Files.createDirectories(dir);
    Path jar = copyJar(Path.of(requiredProperty("phase.jar")), dir.resolve("phase.jar"));
    Path launcher = dir.resolve("bin").resolve("phase");
    Files.createDirectories(launcher.getParent());
    List<String> command = new ArrayList<>();
    command.add(javaBinary());
    command.addAll(JVM_OPTIONS);
    command.add("-jar");
    command.add(jar.toString());
    StringBuilder script = new StringBuilder("#!/bin/sh\nexec");
    for (String word : command) {
      script.append(' ').append(Shell.quote(word));
    }
    script.append(" \"$@\"\n");
    Files.writeString(launcher, script);
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    return new PhaseCli(dir, jar, launcher);
  }

  /**
   * Copies the jar, checking the copy is a whole jar: a build rewriting it at that moment leaves a
   * truncated file, so a bad copy is retried a few times before the test fails.
   */
  private static Path copyJar(Path built, Path copy) throws Exception {
    if (!Files.isRegularFile(built)) {
      fail(built + " does not exist: build phase-cli first (./mvnw -pl phase-cli -am package)");
    }
    for (int attempt = 1; ; attempt++) {
      Files.copy(built, copy, StandardCopyOption.REPLACE_EXISTING);
      try (JarFile jarFile = new JarFile(copy.toFile())) {
        if (jarFile.getManifest() != null
            && jarFile.getManifest().getMainAttributes().getValue("Main-Class") != null) {
          return copy;
        }
      } catch (IOException e) {
        // A partial copy; retried below.
      }
      if (attempt == 3) {
        fail(built + " is not a complete jar (is phase-cli being rebuilt?)");
      }
      Thread.sleep(2000);
    }
  }

  static String requiredProperty(String name) {
    String value = System.getProperty(name);
    if (value == null) {
      throw new IllegalStateException("system property " + name + " is not set (run via mvn)");
    }
    return value;
  }

  /** A module from fixtures/wasm. */
  static Path fixture(String name) {
    return existing(Path.of(requiredProperty("phase.fixtures.dir")).resolve(name));
  }

  /** A module from examples/. */
  static Path example(String name) {
    return existing(Path.of(requiredProperty("phase.examples.dir")).resolve(name));
  }

  private static Path existing(Path path) {
    assertTrue(Files.isRegularFile(path), "missing " + path);
    return path;
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The launcher script: what PHASE names on an agent. */
  Path launcher() {
    return launcher;
  }

  /** Where {@code phase} keeps its default key here (XDG_CONFIG_HOME), never the user's. */
  Path configHome() {
    return dir.resolve("config");
  }

  /** A process running {@code phase ARGS} in {@code workDir}, logging as asked by the caller. */
  ProcessBuilder builder(Path workDir, String... args) {
    List<String> command = new ArrayList<>();
    command.add(javaBinary());
    command.addAll(JVM_OPTIONS);
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
    builder.environment().put("XDG_CONFIG_HOME", configHome().toString());
    builder.environment().remove("PHASE_BOOTSTRAP");
    builder.environment().remove("PHASE_LOG_LEVEL");
    return builder;
  }

  /** Runs {@code phase ARGS} to its end (bounded by {@link #RUN_TIMEOUT}), stdin empty. */
  Result run(String... args) throws IOException, InterruptedException {
    int n = runs.incrementAndGet();
    Path stdout = dir.resolve("run" + n + ".out");
    Path stderr = dir.resolve("run" + n + ".err");
    Process process =
        builder(dir, args)
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .start();
    try {
      if (!process.waitFor(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        fail("phase " + String.join(" ", args) + " did not exit within " + RUN_TIMEOUT);
      }
      return new Result(
          process.exitValue(),
          Files.readString(stdout, StandardCharsets.UTF_8),
          Files.readString(stderr, StandardCharsets.UTF_8));
    } finally {
      Processes.kill(process);
    }
  }

  /** What a finished {@code phase} command left. */
  record Result(int status, String stdout, String stderr) {
    String describe() {
      return "status " + status + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
  }
}
