package io.phase.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether our stderr is a terminal. Java 17 has no isatty, and {@link System#console()} is null as
 * soon as stdin or stdout is redirected ({@code phase run … > out.txt}) even though stderr still
 * shows on the terminal: on Linux, where fd 2 points tells; elsewhere the console is the guess.
 */
final class StderrTerminal {
  private StderrTerminal() {}

  static boolean isTerminal() {
    Path fd = Path.of("/proc/self/fd/2");
    try {
      if (Files.isSymbolicLink(fd)) {
        String target = Files.readSymbolicLink(fd).toString();
        return target.startsWith("/dev/pts/")
            || target.startsWith("/dev/tty")
            || target.equals("/dev/console");
      }
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      // not Linux, or /proc hidden: fall back on the console
    }
    return System.console() != null;
  }

  /** A terminal that can move the cursor back over a line ({@code TERM=dumb} cannot). */
  static boolean isCapableTerminal() {
    return isTerminal() && !"dumb".equals(System.getenv("TERM"));
  }
}
