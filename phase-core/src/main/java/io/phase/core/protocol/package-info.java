/**
 * The message layer of remote execution, independent of any transport: the inherited {@code
 * /phase/job-offer/1.0.0} request/response ({@link io.phase.core.protocol.JobOffer}, {@link
 * io.phase.core.protocol.JobResponse}, {@link io.phase.core.protocol.OfferCodec}), the streaming
 * {@code /phase/job-run/1.0.0} protocol ({@link io.phase.core.protocol.RunMessage}, {@link
 * io.phase.core.protocol.RunFrameCodec}, {@link io.phase.core.protocol.ClientRunSession}, {@link
 * io.phase.core.protocol.WorkerRunSession}) and the workspace archive it carries ({@link
 * io.phase.core.workspace.WorkspaceArchive}, in {@code io.phase.core.workspace}). See {@code
 * docs/protocol.md}.
 */
package io.phase.core.protocol;
