package hudson.slaves;

/**
 * Compile-only stub of {@code hudson.slaves.NodeProvisioner} (Jenkins 2.555.3 core); declarations
 * match the real API, bodies throw.
 */
public class NodeProvisioner {
  public NodeProvisioner(hudson.model.Label label, hudson.model.LoadStatistics loadStatistics) {
    throw new UnsupportedOperationException("compile-only stub");
  }

  /** Compile-only stub of {@code hudson.slaves.NodeProvisioner.PlannedNode}. */
  public static class PlannedNode {
    public PlannedNode(
        String displayName,
        java.util.concurrent.Future<hudson.model.Node> future,
        int numExecutors) {
      throw new UnsupportedOperationException("compile-only stub");
    }
  }
}
