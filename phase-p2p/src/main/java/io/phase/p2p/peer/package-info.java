/** libp2p peer identities. */
package io.phase.p2p.peer;
