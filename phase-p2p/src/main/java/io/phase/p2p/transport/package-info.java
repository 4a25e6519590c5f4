/** TCP transport on Netty NIO: event loops, socket options, bind and connect. */
package io.phase.p2p.transport;
