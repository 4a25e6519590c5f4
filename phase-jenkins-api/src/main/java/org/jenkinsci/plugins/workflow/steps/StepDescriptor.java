package org.jenkinsci.plugins.workflow.steps;

/**
 * Compile-only stub of {@code org.jenkinsci.plugins.workflow.steps.StepDescriptor}
 * (workflow-step-api 710); declarations match the real API, bodies throw.
 */
public abstract class StepDescriptor extends hudson.model.Descriptor<Step> {
  public StepDescriptor() {}

  public abstract java.util.Set<? extends Class<?>> getRequiredContext();

  public abstract String getFunctionName();

  @Deprecated
  public Step newInstance(java.util.Map<String, Object> arguments) throws Exception {
    throw new UnsupportedOperationException("compile-only stub");
  }
}
