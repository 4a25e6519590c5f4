package org.kohsuke.stapler.verb;

/**
 * Compile-only stub of {@code org.kohsuke.stapler.verb.POST} (Stapler 2076); declarations match the
 * real API, bodies throw.
 */
@java.lang.annotation.Target(java.lang.annotation.ElementType.METHOD)
@java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
@java.lang.annotation.Documented
public @interface POST {}
