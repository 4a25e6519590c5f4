/**
 * Worker-side policy and admission: {@link io.phase.core.worker.WorkerPolicy} (who may submit and
 * the server-side maxima), {@link io.phase.core.worker.Admission} (accept or reject, with a reason
 * for every refusal, and run/queue slot accounting) and {@link io.phase.core.worker.ReplayGuard}
 * (bounded memory of job ids and nonces). See {@code docs/protocol.md}.
 */
package io.phase.core.worker;
