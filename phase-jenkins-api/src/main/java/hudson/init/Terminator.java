package hudson.init;

/**
 * Compile-only stub of {@code hudson.init.Terminator} (Jenkins 2.555.3 core); declarations match
 * the real API, bodies throw.
 */
@java.lang.annotation.Documented
@java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
@java.lang.annotation.Target(java.lang.annotation.ElementType.METHOD)
public @interface Terminator {
  TermMilestone after() default TermMilestone.STARTED;

  TermMilestone before() default TermMilestone.COMPLETED;

  String[] requires() default {};

  String[] attains() default {};

  String displayName() default "";
}
