package org.kohsuke.stapler;

/**
 * Compile-only stub of {@code org.kohsuke.stapler.StaplerRequest2} (Stapler 2076); declarations
 * match the real API, bodies throw.
 */
public interface StaplerRequest2 extends jakarta.servlet.http.HttpServletRequest {}
