package io.phase.p2p.interop;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates what a {@link JsPeer} needs: a Node.js binary (env {@code PHASE_NODE}, else {@code node}
 * on {@code PATH}, version 20 or newer) and the installed {@code interop/} directory (system
 * property {@code phase.interop.dir}, which the root pom passes to Surefire).
 *
 * <p>Tests call {@link #assumeNodeAvailable()} first: without node or {@code interop/node_modules}
 * they are skipped, except when the env var {@code CI} is set, where interop is mandatory and they
 * fail.
 */
public final class JsPeerEnvironment {
  /** Oldest Node.js major version the js-libp2p 3.x stack runs on (with interop/polyfill.mjs). */
  public static final int MIN_NODE_MAJOR = 20;

  static final String INTEROP_DIR_PROPERTY = "phase.interop.dir";
  static final String NODE_ENV = "PHASE_NODE";

  private static final String MISSING =
      "node/npm or interop/node_modules missing: run `npm ci` in interop/";
  private static final Pattern NODE_VERSION = Pattern.compile("^v(\\d{1,4})\\.\\d+\\.\\d+");
  private static final long VERSION_TIMEOUT_SECONDS = 20;

  private static volatile Resolution resolved;

  private JsPeerEnvironment() {}

  /** What was found, or why it is unusable. */
  record Resolution(Path node, Path interopDir, String problem) {
    boolean usable() {
      return problem == null;
    }
  }

  /**
   * Skips the calling test (or fails it when env {@code CI} is set) unless node and the installed
   * interop directory are available.
   */
  public static void assumeNodeAvailable() {
    Resolution resolution = resolve();
    if (resolution.usable()) {
      return;
    }
    String message = MISSING + " (" + resolution.problem() + ")";
    if (isCi()) {
      Assertions.fail("CI is set, so js interop is mandatory: " + message);
    }
    Assumptions.abort(message);
  }

  /** The Node.js binary; throws if unavailable (call {@link #assumeNodeAvailable()} first). */
  public static Path node() {
    return require().node();
  }

  /** The interop directory holding peer.mjs and node_modules; throws if unavailable. */
  public static Path interopDir() {
    return require().interopDir();
  }

  private static Resolution require() {
    Resolution resolution = resolve();
    if (!resolution.usable()) {
      throw new IllegalStateException(MISSING + " (" + resolution.problem() + ")");
    }
    return resolution;
  }

  static boolean isCi() {
    String ci = System.getenv("CI");
    return ci != null && !ci.isBlank();
  }

  static Resolution resolve() {
    Resolution current = resolved;
    if (current == null) {
      synchronized (JsPeerEnvironment.class) {
        current = resolved;
        if (current == null) {
          current = doResolve();
          resolved = current;
        }
      }
    }
    return current;
  }

  private static Resolution doResolve() {
    String dirProperty = System.getProperty(INTEROP_DIR_PROPERTY);
    if (dirProperty == null || dirProperty.isBlank()) {
      return new Resolution(null, null, "system property " + INTEROP_DIR_PROPERTY + " is not set");
    }
    Path interopDir = Path.of(dirProperty).toAbsolutePath().normalize();
    if (!Files.isRegularFile(interopDir.resolve("peer.mjs"))) {
      return new Resolution(null, interopDir, "no peer.mjs in " + interopDir);
    }
    if (!Files.isRegularFile(interopDir.resolve("node_modules/libp2p/package.json"))) {
      return new Resolution(null, interopDir, "no node_modules/libp2p in " + interopDir);
    }
    Optional<Path> node = findNode();
    if (node.isEmpty()) {
      String explicit = System.getenv(NODE_ENV);
      String problem =
          explicit != null && !explicit.isBlank()
              ? NODE_ENV + "=" + explicit + " is not an executable file"
              : "no node on PATH and " + NODE_ENV + " not set";
      return new Resolution(null, interopDir, problem);
    }
    String problem = checkVersion(node.get());
    return new Resolution(node.get(), interopDir, problem);
  }

  private static Optional<Path> findNode() {
    String explicit = System.getenv(NODE_ENV);
    if (explicit != null && !explicit.isBlank()) {
      Path path = Path.of(explicit);
      return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
    }
    String pathVariable = System.getenv("PATH");
    if (pathVariable == null) {
      return Optional.empty();
    }
    for (String dir : pathVariable.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, "node");
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Returns null when {@code node --version} reports a supported version, else the problem. */
  private static String checkVersion(Path node) {
    Process process;
    try {
      process =
          new ProcessBuilder(node.toString(), "--version")
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.PIPE)
              .start();
    } catch (IOException e) {
      return "cannot run " + node + ": " + e.getMessage();
    }
    try {
      process.getOutputStream().close();
      if (!process.waitFor(VERSION_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        return node + " --version did not answer within " + VERSION_TIMEOUT_SECONDS + " s";
      }
      String output;
      try (InputStream in = process.getInputStream()) {
        output = new String(in.readNBytes(256), StandardCharsets.UTF_8).trim();
      }
      Matcher matcher = NODE_VERSION.matcher(output);
      if (!matcher.find()) {
        return node + " --version printed an unexpected answer: " + output;
      }
      int major = Integer.parseInt(matcher.group(1));
      if (major < MIN_NODE_MAJOR) {
        return node + " is " + output + "; need v" + MIN_NODE_MAJOR + " or newer";
      }
      return null;
    } catch (IOException e) {
      return "cannot read " + node + " --version: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted while running " + node + " --version";
    } finally {
      process.destroyForcibly();
    }
  }
}
