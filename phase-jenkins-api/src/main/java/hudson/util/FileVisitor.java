package hudson.util;

/**
 * Compile-only stub of {@code hudson.util.FileVisitor} (Jenkins 2.555.3 core); declarations match
 * the real API, bodies throw.
 */
public abstract class FileVisitor {
  public FileVisitor() {}

  public abstract void visit(java.io.File f, String relativePath) throws java.io.IOException;
}
