package hudson.model;

/**
 * Compile-only stub of {@code hudson.model.Job} (Jenkins 2.555.3 core); declarations match the real
 * API, bodies throw.
 */
public abstract class Job<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>>
    extends AbstractItem implements hudson.ExtensionPoint {
  protected Job(ItemGroup parent, String name) {
    super(parent, name);
  }

  public abstract boolean isBuildable();

  protected abstract java.util.SortedMap<Integer, ? extends RunT> _getRuns();

  protected abstract void removeRun(RunT run);
}
