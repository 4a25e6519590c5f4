package hudson.util;

/**
 * Compile-only stub of {@code hudson.util.FormValidation} (Jenkins 2.555.3 core); declarations
 * match the real API, bodies throw.
 */
public abstract class FormValidation extends java.io.IOException
    implements org.kohsuke.stapler.HttpResponse {
  private FormValidation() {}

  public static FormValidation error(String message) {
    throw new UnsupportedOperationException("compile-only stub");
  }

  public static FormValidation warning(String message) {
    throw new UnsupportedOperationException("compile-only stub");
  }

  public static FormValidation ok() {
    throw new UnsupportedOperationException("compile-only stub");
  }

  public static FormValidation ok(String message) {
    throw new UnsupportedOperationException("compile-only stub");
  }

  public abstract String renderHtml();
}
