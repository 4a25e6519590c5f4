package jenkins.model;

/**
 * Compile-only stub of {@code jenkins.model.Jenkins} (Jenkins 2.555.3 core); declarations match the
 * real API, bodies throw.
 */
public class Jenkins implements hudson.security.AccessControlled, jenkins.util.io.OnMaster {
  public static final hudson.security.Permission ADMINISTER = null;

  public final hudson.model.Hudson.CloudList clouds = null;

  protected Jenkins(java.io.File root, jakarta.servlet.ServletContext context)
      throws java.io.IOException, InterruptedException, org.jvnet.hudson.reactor.ReactorException {
    throw new UnsupportedOperationException("compile-only stub");
  }

  public static Jenkins get() throws IllegalStateException {
    throw new UnsupportedOperationException("compile-only stub");
  }

  public java.io.File getRootDir() {
    throw new UnsupportedOperationException("compile-only stub");
  }

  @Override
  public hudson.security.ACL getACL() {
    throw new UnsupportedOperationException("compile-only stub");
  }

  /** Compile-only stub of {@code jenkins.model.Jenkins.CloudList}. */
  public static class CloudList
      extends hudson.util.DescribableList<
          hudson.slaves.Cloud, hudson.model.Descriptor<hudson.slaves.Cloud>> {
    public CloudList() {}
  }
}
