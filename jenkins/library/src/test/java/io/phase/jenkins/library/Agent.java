package io.phase.jenkins.library;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The Jenkins agent the mocked Pipeline steps act on: a workspace, the build's {@code env}
 * (exported to every {@code sh}, as Jenkins does), the console log and the build's archive. {@code
 * sh} really runs its script with /bin/sh in the workspace; {@code archiveArtifacts} copies files
 * into the archive; {@code checkout} copies the repository directory into the workspace.
 */
final class Agent {
  /** Longest one mocked {@code sh} may run before the test fails and the script is killed. */
  static final Duration SH_TIMEOUT = Duration.ofSeconds(90);

  private final Path workspace;
  private final Path repository;
  private final Path archive;
  private final Path logs;
  private final Map<String, Object> env = new LinkedHashMap<>();
  private final StringBuilder console = new StringBuilder();
  private final List<String> scripts = new ArrayList<>();
  private final List<String> archived = new ArrayList<>();

  /**
   * An agent whose workspace, repository, archive and logs are new directories under {@code dir}.
   */
  Agent(Path dir) throws IOException {
    workspace = Files.createDirectories(dir.resolve("workspace"));
    repository = Files.createDirectories(dir.resolve("repository"));
    archive = Files.createDirectories(dir.resolve("archive"));
    logs = Files.createDirectories(dir.resolve("sh"));
  }

  Path workspace() {
    return workspace;
  }

  /** What {@code checkout} copies into the workspace. */
  Path repository() {
    return repository;
  }

  /** The Pipeline's {@code env}: the binding's variable, and the environment of every sh. */
  Map<String, Object> env() {
    return env;
  }

  String console() {
    return console.toString();
  }

  /** The scripts {@code sh} ran, in order. */
  List<String> scripts() {
    return List.copyOf(scripts);
  }

  /** The archived files, as paths relative to the workspace, in the order archived. */
  List<String> archived() {
    return List.copyOf(archived);
  }

  /** An archived file, in the build's archive. */
  Path archivedFile(String relativePath) {
    return archive.resolve(relativePath);
  }

  /** {@code echo message}. */
  Object echo(Object message) {
    log(message + "\n");
    return null;
  }

  /**
   * {@code sh script: S, returnStatus: B}: runs S in the workspace as Jenkins does ({@code /bin/sh
   * -xe}, so dash on Debian: no bashisms; the trace goes to the console too), stdout and stderr
   * into the console; returns the status if asked, else fails on a non-zero one as Jenkins does.
   */
  Object sh(Map<?, ?> step) {
    requireOnly(step, "sh", Set.of("script", "returnStatus"));
    String script = String.valueOf(step.get("script"));
    boolean returnStatus = Boolean.TRUE.equals(step.get("returnStatus"));
    scripts.add(script);
    Path output = logs.resolve("sh" + scripts.size() + ".log");
    ProcessBuilder builder =
        new ProcessBuilder("/bin/sh", "-xe", "-c", script)
            .directory(workspace.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("PHASE"));
    env.forEach((name, value) -> builder.environment().put(name, String.valueOf(value)));
    int status = runToEnd(builder, script);
    log(read(output));
    if (status != 0 && !returnStatus) {
      throw new PipelineError("script returned exit code " + status);
    }
    return returnStatus ? status : null;
  }

  private static int runToEnd(ProcessBuilder builder, String script) {
    Process process = null;
    try {
      process = builder.start();
      if (!process.waitFor(SH_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        throw new AssertionError("sh did not finish within " + SH_TIMEOUT + ":\n" + script);
      }
      return process.exitValue();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while sh ran", e);
    } finally {
      if (process != null) {
        killQuietly(process);
      }
    }
  }

  private static void killQuietly(Process process) {
    try {
      Processes.kill(process);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * {@code archiveArtifacts artifacts: 'a,b/*.json', allowEmptyArchive: B}: copies the workspace
   * files matching any of the comma-separated patterns into the archive; matching none fails the
   * build unless allowEmptyArchive.
   */
  Object archiveArtifacts(Map<?, ?> step) {
    requireOnly(step, "archiveArtifacts", Set.of("artifacts", "allowEmptyArchive"));
    String artifacts = String.valueOf(step.get("artifacts"));
    List<PathMatcher> patterns = new ArrayList<>();
    for (String pattern : artifacts.split(",")) {
      patterns.add(FileSystems.getDefault().getPathMatcher("glob:" + pattern.trim()));
    }
    List<Path> matched;
    try (Stream<Path> files = Files.walk(workspace)) {
      matched =
          files
              .filter(Files::isRegularFile)
              .map(workspace::relativize)
              .filter(file -> patterns.stream().anyMatch(p -> p.matches(file)))
              .sorted()
              .toList();
      for (Path file : matched) {
        Path copy = archive.resolve(file);
        Files.createDirectories(copy.getParent());
        Files.copy(workspace.resolve(file), copy, StandardCopyOption.REPLACE_EXISTING);
        archived.add(file.toString());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (matched.isEmpty() && !Boolean.TRUE.equals(step.get("allowEmptyArchive"))) {
      throw new PipelineError(
          "No artifacts found that match the file pattern \"" + artifacts + "\"");
    }
    log("Archiving artifacts " + matched + "\n");
    return null;
  }

  /** {@code checkout scm}: the repository's files into the workspace. */
  Object checkout(Object scm) {
    try (Stream<Path> files = Files.list(repository)) {
      for (Path file : files.toList()) {
        Files.copy(
            file, workspace.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return null;
  }

  /** A step called with a parameter this mock does not emulate fails the test, not silently. */
  private static void requireOnly(Map<?, ?> step, String name, Set<String> supported) {
    for (Object key : step.keySet()) {
      if (!supported.contains(String.valueOf(key))) {
        throw new IllegalArgumentException("the mocked " + name + " does not support " + key);
      }
    }
  }

  private void log(String text) {
    console.append(text);
    System.out.print(text);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
