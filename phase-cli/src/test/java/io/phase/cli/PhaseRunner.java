package io.phase.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Runs the shaded {@code phase.jar} as a separate process, as a user would, with stdout and stderr
 * captured in files (so a chatty process never blocks on a full pipe). Every run has a deadline; a
 * process still alive when its run ends (deadline, failure, JUnit timeout) is killed.
 */
final class PhaseRunner {
  /** Longest any single run may take before the test fails and the process is killed. */
  static final Duration RUN_TIMEOUT = Duration.ofSeconds(40);

  /**
   * JVM startup tuning only (the C1 compiler alone and the serial collector start faster on small
   * machines); it does not change what the CLI does. Users set the same through PHASE_JAVA_OPTS.
   */
  private static final List<String> JVM_OPTIONS =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto");

  private static final Pattern STACK_FRAME = Pattern.compile("(?m)^\\s+at [\\w.$/<>]+\\(");

  private final Path dir;
  private final AtomicInteger runs = new AtomicInteger();

  /** A runner whose processes work in {@code dir}, where their output is captured too. */
  PhaseRunner(Path dir) {
    this.dir = dir;
  }

  static Path jar() {
    return Path.of(required("phase.jar"));
  }

  static Path fixture(String name) {
    Path path = Path.of(required("phase.fixtures.dir")).resolve(name);
    assertTrue(Files.isRegularFile(path), "missing fixture " + path);
    return path;
  }

  static String fixtureArg(String name) {
    return fixture(name).toString();
  }

  private static String required(String property) {
    String value = System.getProperty(property);
    if (value == null) {
      throw new IllegalStateException(
          "system property " + property + " is not set (run via mvn verify)");
    }
    return value;
  }

  Path dir() {
    return dir;
  }

  /** A command line for {@code phase ARGS} in this runner's directory. */
  ProcessBuilder builder(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JVM_OPTIONS);
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    // Never touch the real user's key: the default key path then lies under dir.
    builder.environment().put("XDG_CONFIG_HOME", dir.resolve("config").toString());
    // Nor the real user's compiled-module cache.
    builder.environment().put("XDG_CACHE_HOME", dir.resolve("cache").toString());
    builder.environment().remove("PHASE_LOG_LEVEL");
    return builder;
  }

  /** Runs {@code phase ARGS} with an empty, closed stdin. */
  Result run(String... args) throws IOException, InterruptedException {
    return run(new byte[0], args);
  }

  /** Runs {@code phase ARGS}, piping {@code stdin} into it. */
  Result run(byte[] stdin, String... args) throws IOException, InterruptedException {
    return run(stdin, Map.of(), args);
  }

  /** Runs {@code phase ARGS} with these environment variables set (a null value removes one). */
  Result runWithEnv(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    return run(new byte[0], env, args);
  }

  private Result run(byte[] stdin, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    int n = runs.incrementAndGet();
    Path out = dir.resolve("run" + n + ".stdout");
    Path err = dir.resolve("run" + n + ".stderr");
    ProcessBuilder builder = builder(args).redirectOutput(out.toFile()).redirectError(err.toFile());
    env.forEach(
        (k, v) -> {
          if (v == null) {
            builder.environment().remove(k);
          } else {
            builder.environment().put(k, v);
          }
        });
    Process process = builder.start();
    try {
      try (OutputStream in = process.getOutputStream()) {
        in.write(stdin);
      } catch (IOException e) {
        // The process exited without reading all of its stdin; its status tells the story.
      }
      if (!process.waitFor(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        fail("phase " + String.join(" ", args) + " did not exit within " + RUN_TIMEOUT);
      }
      return new Result(
          process.exitValue(),
          Files.readAllBytes(out),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      kill(process);
    }
  }

  /** Kills {@code process} if it is still alive and waits (bounded) for it to go. */
  static void kill(Process process) throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** What a finished run left behind. */
  record Result(int exitCode, byte[] stdoutBytes, String stderr) {
    String stdout() {
      return new String(stdoutBytes, StandardCharsets.UTF_8);
    }

    /** The lines phase itself wrote to stderr (as opposed to the guest's). */
    List<String> phaseLines() {
      return stderr.lines().filter(l -> l.startsWith("phase: ")).toList();
    }

    /** The exit status was {@code expected}; on failure the message shows both streams. */
    Result assertExit(int expected) {
      assertEquals(expected, exitCode, this::describe);
      return this;
    }

    /**
     * phase failed with {@code status}: exactly one {@code phase: ...} line on stderr, containing
     * {@code fragment}, and no Java stack trace.
     */
    Result assertPhaseError(int status, String fragment) {
      assertExit(status);
      List<String> lines = phaseLines();
      assertEquals(1, lines.size(), () -> "expected one 'phase:' line\n" + describe());
      assertTrue(
          lines.get(0).contains(fragment), () -> "expected '" + fragment + "'\n" + describe());
      assertNoStackTrace();
      return this;
    }

    Result assertNoStackTrace() {
      assertFalse(STACK_FRAME.matcher(stderr).find(), () -> "stack trace on stderr\n" + describe());
      assertFalse(stderr.contains("Caused by:"), () -> "stack trace on stderr\n" + describe());
      assertFalse(stderr.contains("Exception in thread"), () -> "uncaught\n" + describe());
      return this;
    }

    String describe() {
      String out = stdout();
      return "exit "
          + exitCode
          + "\n--- stdout ("
          + stdoutBytes.length
          + " bytes)\n"
          + (out.length() > 2000 ? out.substring(0, 2000) + "..." : out)
          + "\n--- stderr\n"
          + stderr;
    }
  }
}
