package io.phase.jenkins.library;

/** Quoting for the shell scripts the tests write (launchers, fake CLIs). */
final class Shell {
  private Shell() {}

  /** The word in single quotes: every character literal, a ' written as '"'"'. */
  static String quote(String word) {
    return "'" + word.replace("'", "'\"'\"'") + "'";
  }
}
