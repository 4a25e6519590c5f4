package hudson.util;

/**
 * Compile-only stub of {@code hudson.util.PersistedList} (Jenkins 2.555.3 core); declarations match
 * the real API, bodies throw.
 */
public class PersistedList<T> extends java.util.AbstractList<T> {
  protected PersistedList() {}

  @Override
  public T get(int index) {
    throw new UnsupportedOperationException("compile-only stub");
  }

  public <U extends T> U get(Class<U> type) {
    throw new UnsupportedOperationException("compile-only stub");
  }

  @Override
  public int size() {
    throw new UnsupportedOperationException("compile-only stub");
  }
}
