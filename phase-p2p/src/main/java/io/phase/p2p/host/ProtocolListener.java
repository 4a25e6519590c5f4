package io.phase.p2p.host;

import java.util.Set;

/**
 * Hears when the set of protocols a {@link Host} serves changes (a handler added for a new protocol
 * id, or one removed). Called on the thread that changed the handlers; must not block.
 */
@FunctionalInterface
public interface ProtocolListener {
  /** The served protocol ids after the change. */
  void protocolsChanged(Set<String> protocols);
}
