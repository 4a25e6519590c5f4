package hudson.model;

/**
 * Compile-only stub of {@code hudson.model.Result} (Jenkins 2.555.3 core); declarations match the
 * real API, bodies throw.
 */
public final class Result
    implements java.io.Serializable, org.kohsuke.stapler.export.CustomExportedBean {
  private Result() {}

  @Override
  public String toExportedObject() {
    throw new UnsupportedOperationException("compile-only stub");
  }
}
