package io.phase.core.step;

/**
 * A step's result after its process let go of it ({@link StepNode#close()}): the job goes on on its
 * worker and {@link StepNode#resume} follows it from the step's directory.
 */
public final class StepDetachedException extends Exception {
  private static final long serialVersionUID = 1L;

  StepDetachedException(String jobId) {
    super("detached from job " + jobId + "; resume it from the step directory");
  }
}
