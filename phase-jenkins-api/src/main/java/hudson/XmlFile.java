package hudson;

/**
 * Compile-only stub of {@code hudson.XmlFile} (Jenkins 2.555.3 core); declarations match the real
 * API, bodies throw.
 */
public final class XmlFile {
  public XmlFile(java.io.File file) {
    throw new UnsupportedOperationException("compile-only stub");
  }
}
