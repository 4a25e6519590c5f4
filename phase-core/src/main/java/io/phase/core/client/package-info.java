/**
 * Remote execution from the submitting side: {@link io.phase.core.client.PhaseClient} dispatches a
 * {@link io.phase.core.client.JobSpec} to a worker found through a {@link
 * io.phase.core.client.WorkerDirectory}, streams its output, verifies the signed receipt against
 * what was received before trusting anything, retries elsewhere on failure without delivering the
 * same output twice, and reattaches after a dropped connection.
 */
package io.phase.core.client;
