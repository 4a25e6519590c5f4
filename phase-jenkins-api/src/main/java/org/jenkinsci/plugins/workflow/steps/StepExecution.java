package org.jenkinsci.plugins.workflow.steps;

/**
 * Compile-only stub of {@code org.jenkinsci.plugins.workflow.steps.StepExecution}
 * (workflow-step-api 710); declarations match the real API, bodies throw.
 */
public abstract class StepExecution implements java.io.Serializable {
  protected StepExecution(StepContext context) {
    throw new UnsupportedOperationException("compile-only stub");
  }

  public StepContext getContext() {
    throw new UnsupportedOperationException("compile-only stub");
  }

  public abstract boolean start() throws Exception;

  public void stop(Throwable cause) throws Exception {
    throw new UnsupportedOperationException("compile-only stub");
  }

  public void onResume() {
    throw new UnsupportedOperationException("compile-only stub");
  }

  public String getStatus() {
    throw new UnsupportedOperationException("compile-only stub");
  }
}
