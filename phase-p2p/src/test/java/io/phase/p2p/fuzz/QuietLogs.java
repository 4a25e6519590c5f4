package io.phase.p2p.fuzz;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Raises the {@code io.phase.p2p} log level to ERROR while a fuzz test class runs: the code under
 * test logs every rejected input (as it should), which would otherwise dominate fuzzing time and
 * bury Jazzer's own output. Restores the previous level afterwards.
 */
final class QuietLogs implements BeforeAllCallback, AfterAllCallback {
  private static final String LOGGER = "io.phase.p2p";
  private Level previous;

  @Override
  public void beforeAll(ExtensionContext context) {
    Logger logger = (Logger) LoggerFactory.getLogger(LOGGER);
    previous = logger.getLevel();
    logger.setLevel(Level.ERROR);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    ((Logger) LoggerFactory.getLogger(LOGGER)).setLevel(previous);
  }
}
