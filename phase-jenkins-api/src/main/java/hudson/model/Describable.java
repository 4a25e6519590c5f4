package hudson.model;

/**
 * Compile-only stub of {@code hudson.model.Describable} (Jenkins 2.555.3 core); declarations match
 * the real API, bodies throw.
 */
public interface Describable<T extends Describable<T>> {
  default Descriptor<T> getDescriptor() {
    throw new UnsupportedOperationException("compile-only stub");
  }
}
