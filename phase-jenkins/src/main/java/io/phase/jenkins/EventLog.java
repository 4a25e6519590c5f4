package io.phase.jenkins;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The plugin's log lines, one per event: {@code event key=value ...} through java.util.logging
 * (Jenkins' system log). Values are cut and made printable; values with spaces are quoted. Never
 * given key material.
 */
final class EventLog {
  private static final Logger LOG = Logger.getLogger("io.phase.jenkins");

  private EventLog() {}

  static void info(String event, Object... keyValues) {
    log(Level.INFO, event, keyValues);
  }

  static void warn(String event, Object... keyValues) {
    log(Level.WARNING, event, keyValues);
  }

  static void fine(String event, Object... keyValues) {
    log(Level.FINE, event, keyValues);
  }

  static void log(Level level, String event, Object... keyValues) {
    if (!LOG.isLoggable(level)) {
      return;
    }
    LOG.log(level, line(event, keyValues));
  }

  /** {@code event k1=v1 k2="v 2"}. */
  static String line(String event, Object... keyValues) {
    StringBuilder b = new StringBuilder(event);
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      String value = PhaseSettings.printable(String.valueOf(keyValues[i + 1]));
      b.append(' ').append(keyValues[i]).append('=');
      if (value.isEmpty() || value.indexOf(' ') >= 0 || value.indexOf('"') >= 0) {
        b.append('"').append(value.replace("\"", "'")).append('"');
      } else {
        b.append(value);
      }
    }
    return b.toString();
  }
}
