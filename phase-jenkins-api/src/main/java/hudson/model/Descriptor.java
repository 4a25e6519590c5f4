package hudson.model;

/**
 * Compile-only stub of {@code hudson.model.Descriptor} (Jenkins 2.555.3 core); declarations match
 * the real API, bodies throw.
 */
public abstract class Descriptor<T extends Describable<T>>
    implements jenkins.model.Loadable, Saveable, jenkins.util.io.OnMaster {
  protected Descriptor() {}

  protected Descriptor(Class<? extends T> clazz) {}

  public String getDisplayName() {
    throw new UnsupportedOperationException("compile-only stub");
  }

  @Override
  public void load() {
    throw new UnsupportedOperationException("compile-only stub");
  }

  @Override
  public void save() {
    throw new UnsupportedOperationException("compile-only stub");
  }
}
