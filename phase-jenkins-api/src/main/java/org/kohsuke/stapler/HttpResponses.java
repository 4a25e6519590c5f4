package org.kohsuke.stapler;

/**
 * Compile-only stub of {@code org.kohsuke.stapler.HttpResponses} (Stapler 2076); declarations match
 * the real API, bodies throw.
 */
public class HttpResponses {
  public HttpResponses() {}

  public static HttpResponse redirectToDot() {
    throw new UnsupportedOperationException("compile-only stub");
  }
}
