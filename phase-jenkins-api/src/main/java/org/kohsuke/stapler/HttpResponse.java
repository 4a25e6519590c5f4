package org.kohsuke.stapler;

/**
 * Compile-only stub of {@code org.kohsuke.stapler.HttpResponse} (Stapler 2076); declarations match
 * the real API, bodies throw.
 */
public interface HttpResponse {
  default void generateResponse(StaplerRequest2 req, StaplerResponse2 rsp, Object node)
      throws java.io.IOException, jakarta.servlet.ServletException {
    throw new UnsupportedOperationException("compile-only stub");
  }
}
