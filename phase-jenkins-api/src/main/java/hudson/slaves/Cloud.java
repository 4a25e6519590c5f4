package hudson.slaves;

/**
 * Compile-only stub of {@code hudson.slaves.Cloud} (Jenkins 2.555.3 core); declarations match the
 * real API, bodies throw.
 */
public abstract class Cloud extends hudson.model.Actionable
    implements hudson.ExtensionPoint,
        hudson.model.Describable<Cloud>,
        hudson.security.AccessControlled {
  public String name;

  protected Cloud(String name) {
    throw new UnsupportedOperationException("compile-only stub");
  }

  public boolean canProvision(CloudState state) {
    throw new UnsupportedOperationException("compile-only stub");
  }

  public java.util.Collection<hudson.slaves.NodeProvisioner.PlannedNode> provision(
      CloudState state, int excessWorkload) {
    throw new UnsupportedOperationException("compile-only stub");
  }

  @Override
  public hudson.model.Descriptor<Cloud> getDescriptor() {
    throw new UnsupportedOperationException("compile-only stub");
  }

  @Override
  public hudson.security.ACL getACL() {
    throw new UnsupportedOperationException("compile-only stub");
  }

  /** Compile-only stub of {@code hudson.slaves.Cloud.CloudState}. */
  public static final class CloudState {
    public CloudState(hudson.model.Label label, int additionalPlannedCapacity) {
      throw new UnsupportedOperationException("compile-only stub");
    }

    public hudson.model.Label getLabel() {
      throw new UnsupportedOperationException("compile-only stub");
    }

    public int getAdditionalPlannedCapacity() {
      throw new UnsupportedOperationException("compile-only stub");
    }
  }
}
