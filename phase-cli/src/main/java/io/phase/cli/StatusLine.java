package io.phase.cli;

import java.io.PrintStream;
import java.util.function.LongSupplier;

/**
 * Progress on stderr while there is nothing else to show. {@link Mode#LIVE} (a terminal) keeps one
 * line, redrawn in place and erased before anything else is written; {@link Mode#LINES} (progress
 * forced on a pipe or file) writes each state as its own {@code phase: } line; {@link Mode#OFF}
 * writes no progress. Frequent updates (upload bytes) are thinned out: at most 10 redraws a second
 * live, one line a second otherwise. Permanent lines go through {@link #println} so that they never
 * mix with the status line. Thread-safe.
 */
final class StatusLine {
  enum Mode {
    OFF,
    LIVE,
    LINES
  }

  /** Longest status shown live: wider would wrap on an 80-column terminal and break the redraw. */
  static final int MAX_LIVE_CHARS = 79;

  private static final String ERASE = "\r\033[K";

  private final Mode mode;
  private final PrintStream err;
  private final LongSupplier nanoTime;
  private boolean shown;
  private long lastNanos;
  private boolean anyShown;
  private String lastText = "";
  private boolean outputStarted;

  StatusLine(Mode mode, PrintStream err, LongSupplier nanoTime) {
    this.mode = mode;
    this.err = err;
    this.nanoTime = nanoTime;
  }

  /** The status line for stderr, following --progress/--no-progress or else the terminal. */
  static StatusLine forStderr(Boolean progress) {
    boolean terminal = StderrTerminal.isCapableTerminal();
    Mode mode;
    if (progress == null) {
      mode = terminal ? Mode.LIVE : Mode.OFF;
    } else if (progress) {
      mode = terminal ? Mode.LIVE : Mode.LINES;
    } else {
      mode = Mode.OFF;
    }
    return new StatusLine(mode, System.err, System::nanoTime);
  }

  Mode mode() {
    return mode;
  }

  /**
   * Shows {@code text} (without the {@code phase: } prefix) as the current state; a {@code
   * frequent} update may be skipped when the previous one is too recent.
   */
  synchronized void show(String text, boolean frequent) {
    if (mode == Mode.OFF || text.equals(lastText) || mode == Mode.LIVE && outputStarted) {
      return;
    }
    long now = nanoTime.getAsLong();
    long interval = mode == Mode.LIVE ? 100_000_000L : 1_000_000_000L;
    if (frequent && anyShown && now - lastNanos < interval) {
      return;
    }
    lastNanos = now;
    lastText = text;
    anyShown = true;
    String line = "phase: " + text;
    if (mode == Mode.LIVE) {
      if (line.length() > MAX_LIVE_CHARS) {
        line = line.substring(0, MAX_LIVE_CHARS - 3) + "...";
      }
      err.print(ERASE + line);
      shown = true;
    } else {
      err.println(line);
    }
    err.flush();
  }

  /** Erases the live status line, if shown, so that other output starts at column 0. */
  synchronized void clear() {
    if (shown) {
      err.print(ERASE);
      err.flush();
      shown = false;
      lastText = "";
    }
  }

  /**
   * Other output (the guest's) is about to be written: erase the live line, and show no more of it,
   * since redrawing would erase a line the guest has not finished.
   */
  synchronized void outputStarts() {
    clear();
    outputStarted = true;
  }

  /** Writes a permanent line to stderr (after erasing the status line). */
  synchronized void println(String line) {
    clear();
    err.println(line);
    err.flush();
  }
}
