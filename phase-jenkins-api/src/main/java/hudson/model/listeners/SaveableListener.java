package hudson.model.listeners;

/**
 * Compile-only stub of {@code hudson.model.listeners.SaveableListener} (Jenkins 2.555.3 core);
 * declarations match the real API, bodies throw.
 */
public abstract class SaveableListener implements hudson.ExtensionPoint {
  public SaveableListener() {}

  public void onChange(hudson.model.Saveable o, hudson.XmlFile file) {
    throw new UnsupportedOperationException("compile-only stub");
  }
}
