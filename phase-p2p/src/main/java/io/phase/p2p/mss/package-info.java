/**
 * multistream-select 1.0 ({@code /multistream/1.0.0}): protocol negotiation as Netty handlers that
 * remove themselves once a protocol is agreed.
 */
package io.phase.p2p.mss;
