package hudson.model;

/**
 * Compile-only stub of {@code hudson.model.TaskListener} (Jenkins 2.555.3 core); declarations match
 * the real API, bodies throw.
 */
public interface TaskListener extends org.jenkinsci.remoting.SerializableOnlyOverRemoting {
  java.io.PrintStream getLogger();
}
