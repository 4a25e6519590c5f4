package org.jenkinsci.plugins.workflow.steps;

/**
 * Compile-only stub of {@code org.jenkinsci.plugins.workflow.steps.Step} (workflow-step-api 710);
 * declarations match the real API, bodies throw.
 */
public abstract class Step extends hudson.model.AbstractDescribableImpl<Step>
    implements hudson.ExtensionPoint {
  public Step() {}

  public abstract StepExecution start(StepContext context) throws Exception;

  @Override
  public StepDescriptor getDescriptor() {
    throw new UnsupportedOperationException("compile-only stub");
  }
}
