/**
 * What a CI step needs, free of any CI system: {@link io.phase.core.step.StepNode} (an embedded
 * node that dispatches steps), {@link io.phase.core.step.RemoteStep} (one step: live output into a
 * log, cancel, detach and resume after a restart, receipt and transcript kept in the step's
 * directory), and the exit statuses and messages {@code phase run} uses ({@link
 * io.phase.core.step.ExitStatus}). The Jenkins plugin is a thin adapter over this package.
 */
package io.phase.core.step;
