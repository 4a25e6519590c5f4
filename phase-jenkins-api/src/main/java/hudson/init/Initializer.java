package hudson.init;

/**
 * Compile-only stub of {@code hudson.init.Initializer} (Jenkins 2.555.3 core); declarations match
 * the real API, bodies throw.
 */
@java.lang.annotation.Documented
@java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
@java.lang.annotation.Target(java.lang.annotation.ElementType.METHOD)
public @interface Initializer {
  InitMilestone after() default InitMilestone.STARTED;

  InitMilestone before() default InitMilestone.COMPLETED;

  String[] requires() default {};

  String[] attains() default {};

  String displayName() default "";

  boolean fatal() default true;
}
