package org.jenkinsci.plugins.workflow.steps;

/**
 * Compile-only stub of {@code org.jenkinsci.plugins.workflow.steps.StepContext} (workflow-step-api
 * 710); declarations match the real API, bodies throw.
 */
public abstract class StepContext
    implements com.google.common.util.concurrent.FutureCallback<Object>, java.io.Serializable {
  public StepContext() {}

  public abstract <T> T get(Class<T> key) throws java.io.IOException, InterruptedException;

  @Override
  public abstract void onSuccess(Object result);

  public abstract boolean isReady();

  public abstract com.google.common.util.concurrent.ListenableFuture<Void> saveState();

  public abstract void setResult(hudson.model.Result r);

  @Override
  public abstract boolean equals(Object o);

  @Override
  public abstract int hashCode();
}
