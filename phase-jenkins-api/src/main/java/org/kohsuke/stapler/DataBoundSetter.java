package org.kohsuke.stapler;

/**
 * Compile-only stub of {@code org.kohsuke.stapler.DataBoundSetter} (Stapler 2076); declarations
 * match the real API, bodies throw.
 */
@java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
@java.lang.annotation.Target({
  java.lang.annotation.ElementType.METHOD,
  java.lang.annotation.ElementType.FIELD
})
@java.lang.annotation.Documented
public @interface DataBoundSetter {}
