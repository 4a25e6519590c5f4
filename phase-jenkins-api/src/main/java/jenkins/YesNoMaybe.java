package jenkins;

/**
 * Compile-only stub of {@code jenkins.YesNoMaybe} (Jenkins 2.555.3 core); declarations match the
 * real API, bodies throw.
 */
public enum YesNoMaybe {
  YES,
  NO,
  MAYBE;

  public static Boolean toBoolean(YesNoMaybe v) {
    throw new UnsupportedOperationException("compile-only stub");
  }

  public Boolean toBool() {
    throw new UnsupportedOperationException("compile-only stub");
  }
}
