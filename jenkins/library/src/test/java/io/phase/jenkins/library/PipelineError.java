package io.phase.jenkins.library;

/** What the mocked {@code error} step (and a failing {@code sh}) throws: the build fails. */
final class PipelineError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  PipelineError(String message) {
    super(message);
  }
}
