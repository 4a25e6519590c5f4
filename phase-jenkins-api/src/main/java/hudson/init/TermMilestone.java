package hudson.init;

/**
 * Compile-only stub of {@code hudson.init.TermMilestone} (Jenkins 2.555.3 core); declarations match
 * the real API, bodies throw.
 */
public enum TermMilestone implements org.jvnet.hudson.reactor.Milestone {
  STARTED,
  COMPLETED;

  @Override
  public String toString() {
    throw new UnsupportedOperationException("compile-only stub");
  }
}
