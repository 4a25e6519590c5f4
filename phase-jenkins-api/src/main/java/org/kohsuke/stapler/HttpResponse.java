package org.kohsuke.stapler;

/**
 * Compile-only stub of {@code org.kohsuke.stapler.HttpResponse} (Stapler 2076); declarations match
 * the real API, bodies throw.
 */
public interface HttpResponse {}
