/** Small Netty building blocks shared by the protocol packages; depends on nothing else here. */
package io.phase.p2p.netty;
