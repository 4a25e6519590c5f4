package hudson;

/**
 * Compile-only stub of {@code hudson.Extension} (Jenkins 2.555.3 core); declarations match the real
 * API, bodies throw.
 */
@java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
@java.lang.annotation.Target({
  java.lang.annotation.ElementType.TYPE,
  java.lang.annotation.ElementType.FIELD,
  java.lang.annotation.ElementType.METHOD
})
@java.lang.annotation.Documented
public @interface Extension {
  double ordinal() default 0;

  @Deprecated
  boolean optional() default false;

  jenkins.YesNoMaybe dynamicLoadable() default jenkins.YesNoMaybe.MAYBE;
}
