package hudson.init;

/**
 * Compile-only stub of {@code hudson.init.InitMilestone} (Jenkins 2.555.3 core); declarations match
 * the real API, bodies throw.
 */
public enum InitMilestone implements org.jvnet.hudson.reactor.Milestone {
  STARTED,
  PLUGINS_LISTED,
  PLUGINS_PREPARED,
  PLUGINS_STARTED,
  EXTENSIONS_AUGMENTED,
  SYSTEM_CONFIG_LOADED,
  SYSTEM_CONFIG_ADAPTED,
  JOB_LOADED,
  JOB_CONFIG_ADAPTED,
  COMPLETED;

  @Override
  public String toString() {
    throw new UnsupportedOperationException("compile-only stub");
  }
}
