package hudson.util;

/**
 * Compile-only stub of {@code hudson.util.DescribableList} (Jenkins 2.555.3 core); declarations
 * match the real API, bodies throw.
 */
public class DescribableList<
        T extends hudson.model.Describable<T>, D extends hudson.model.Descriptor<T>>
    extends PersistedList<T> {
  protected DescribableList() {}
}
