package jenkins.model;

/**
 * Compile-only stub of {@code jenkins.model.RunAction2} (Jenkins 2.555.3 core); declarations match
 * the real API, bodies throw.
 */
public interface RunAction2 extends hudson.model.Action {
  void onAttached(hudson.model.Run<?, ?> r);

  void onLoad(hudson.model.Run<?, ?> r);
}
