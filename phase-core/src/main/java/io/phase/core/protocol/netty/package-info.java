/**
 * Netty glue for the job protocols on libp2p stream channels: the job-offer exchange read to end of
 * stream under caps ({@link io.phase.core.protocol.netty.OfferResponder}, {@link
 * io.phase.core.protocol.netty.OfferRequester}) and job-run frames decoded into messages for a
 * session owner ({@link io.phase.core.protocol.netty.RunFrameHandler}). Everything here runs on the
 * stream's event loop and never blocks; every exchange has a timeout.
 */
package io.phase.core.protocol.netty;
