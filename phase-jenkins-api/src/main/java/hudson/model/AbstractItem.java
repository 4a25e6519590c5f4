package hudson.model;

/**
 * Compile-only stub of {@code hudson.model.AbstractItem} (Jenkins 2.555.3 core); declarations match
 * the real API, bodies throw.
 */
public abstract class AbstractItem extends Actionable
    implements jenkins.model.Loadable, Item, hudson.security.AccessControlled {
  protected AbstractItem(ItemGroup parent, String name) {
    throw new UnsupportedOperationException("compile-only stub");
  }

  @Override
  public abstract java.util.Collection<? extends Job> getAllJobs();
}
