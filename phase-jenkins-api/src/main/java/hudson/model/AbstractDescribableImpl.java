package hudson.model;

/**
 * Compile-only stub of {@code hudson.model.AbstractDescribableImpl} (Jenkins 2.555.3 core);
 * declarations match the real API, bodies throw.
 */
@Deprecated
public abstract class AbstractDescribableImpl<T extends AbstractDescribableImpl<T>>
    implements Describable<T> {
  public AbstractDescribableImpl() {}
}
