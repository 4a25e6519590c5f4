package org.kohsuke.stapler;

/**
 * Compile-only stub of {@code org.kohsuke.stapler.StaplerResponse2} (Stapler 2076); declarations
 * match the real API, bodies throw.
 */
public interface StaplerResponse2 extends jakarta.servlet.http.HttpServletResponse {}
