package io.phase.cli;

import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.peer.PeerId;

/** Parsing of user-given network values into one-line errors. */
final class Parsing {
  private Parsing() {}

  static Multiaddr multiaddr(String text, String option) {
    try {
      return Multiaddr.parse(text);
    } catch (IllegalArgumentException e) {
      throw new UserError(ExitCodes.USAGE, option + ": " + e.getMessage());
    }
  }

  static PeerId peerId(String text, String option) {
    try {
      return PeerId.parse(text);
    } catch (IllegalArgumentException e) {
      throw new UserError(ExitCodes.USAGE, option + ": " + e.getMessage());
    }
  }

  /** A multiaddr that names its peer ({@code /p2p/<peer id>}), as bootstrap addresses must. */
  static Multiaddr bootstrap(String text, String option) {
    Multiaddr a = multiaddr(text, option);
    if (a.peerId().isEmpty()) {
      throw new UserError(ExitCodes.USAGE, option + ": must end in /p2p/<peer id>: " + text);
    }
    return a;
  }
}
