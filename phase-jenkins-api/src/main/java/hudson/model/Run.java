package hudson.model;

/**
 * Compile-only stub of {@code hudson.model.Run} (Jenkins 2.555.3 core); declarations match the real
 * API, bodies throw.
 */
public abstract class Run<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>>
    extends Actionable
    implements hudson.ExtensionPoint,
        Comparable<RunT>,
        hudson.security.AccessControlled,
        jenkins.util.io.OnMaster {
  protected Run(JobT job) throws java.io.IOException {
    throw new UnsupportedOperationException("compile-only stub");
  }

  @Override
  public void addAction(Action a) {
    throw new UnsupportedOperationException("compile-only stub");
  }

  public int getNumber() {
    throw new UnsupportedOperationException("compile-only stub");
  }

  public java.io.File getRootDir() {
    throw new UnsupportedOperationException("compile-only stub");
  }

  public void save() throws java.io.IOException {
    throw new UnsupportedOperationException("compile-only stub");
  }

  @Override
  public hudson.security.ACL getACL() {
    throw new UnsupportedOperationException("compile-only stub");
  }
}
