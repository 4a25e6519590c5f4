package hudson;

/**
 * Compile-only stub of {@code hudson.FilePath} (Jenkins 2.555.3 core); declarations match the real
 * API, bodies throw.
 */
public final class FilePath implements org.jenkinsci.remoting.SerializableOnlyOverRemoting {
  public FilePath(java.io.File localPath) {
    throw new UnsupportedOperationException("compile-only stub");
  }

  public FilePath child(String relOrAbsolute) {
    throw new UnsupportedOperationException("compile-only stub");
  }

  public boolean exists() throws java.io.IOException, InterruptedException {
    throw new UnsupportedOperationException("compile-only stub");
  }

  public boolean isDirectory() throws java.io.IOException, InterruptedException {
    throw new UnsupportedOperationException("compile-only stub");
  }

  public long length() throws java.io.IOException, InterruptedException {
    throw new UnsupportedOperationException("compile-only stub");
  }

  public boolean isDescendant(String potentialChildRelativePath)
      throws java.io.IOException, InterruptedException {
    throw new UnsupportedOperationException("compile-only stub");
  }

  public FilePath[] list(String includes, String excludes, boolean defaultExcludes)
      throws java.io.IOException, InterruptedException {
    throw new UnsupportedOperationException("compile-only stub");
  }

  public void copyTo(FilePath target) throws java.io.IOException, InterruptedException {
    throw new UnsupportedOperationException("compile-only stub");
  }

  public int copyRecursiveTo(hudson.util.DirScanner scanner, FilePath target, String description)
      throws java.io.IOException, InterruptedException {
    throw new UnsupportedOperationException("compile-only stub");
  }
}
