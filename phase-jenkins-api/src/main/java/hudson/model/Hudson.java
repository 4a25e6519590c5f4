package hudson.model;

/**
 * Compile-only stub of {@code hudson.model.Hudson} (Jenkins 2.555.3 core); declarations match the
 * real API, bodies throw.
 */
public class Hudson extends jenkins.model.Jenkins {
  public Hudson(java.io.File root, jakarta.servlet.ServletContext context)
      throws java.io.IOException, InterruptedException, org.jvnet.hudson.reactor.ReactorException {
    super(root, context);
  }

  /** Compile-only stub of {@code hudson.model.Hudson.CloudList}. */
  @Deprecated
  public static class CloudList extends jenkins.model.Jenkins.CloudList {
    public CloudList() {}
  }
}
