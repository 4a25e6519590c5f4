package hudson.util;

/**
 * Compile-only stub of {@code hudson.util.DirScanner} (Jenkins 2.555.3 core); declarations match
 * the real API, bodies throw.
 */
public abstract class DirScanner implements java.io.Serializable {
  public DirScanner() {}

  public abstract void scan(java.io.File dir, FileVisitor visitor) throws java.io.IOException;

  /** Compile-only stub of {@code hudson.util.DirScanner.Glob}. */
  public static class Glob extends DirScanner {
    public Glob(String includes, String excludes, boolean useDefaultExcludes) {
      throw new UnsupportedOperationException("compile-only stub");
    }

    @Override
    public void scan(java.io.File dir, FileVisitor visitor) throws java.io.IOException {
      throw new UnsupportedOperationException("compile-only stub");
    }
  }
}
