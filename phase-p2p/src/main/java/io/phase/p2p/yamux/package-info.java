/**
 * Yamux stream multiplexer (hashicorp/yamux spec, {@code /yamux/1.0.0}). {@link
 * io.phase.p2p.yamux.YamuxSession} sits on the connection pipeline; each stream is a {@link
 * io.phase.p2p.yamux.YamuxStreamChannel}, a Netty child channel with its own pipeline and
 * credit-based flow control.
 */
package io.phase.p2p.yamux;
