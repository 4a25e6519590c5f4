package org.jenkinsci;

/**
 * Compile-only stub of {@code org.jenkinsci.Symbol} (symbol-annotation 1.26); declarations match
 * the real API, bodies throw.
 */
@java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
@java.lang.annotation.Target(java.lang.annotation.ElementType.TYPE)
@java.lang.annotation.Documented
public @interface Symbol {
  String[] value();
}
