package io.phase.cli;

import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.peer.PeerId;

/** Parsing of user-given network values into one-line errors. */
final class Parsing {
  private Parsing() {}

  static Multiaddr multiaddr(String text, String option) {
    return multiaddr(text, option, ExitCodes.USAGE);
  }

  static Multiaddr multiaddr(String text, String option, int exitCode) {
    try {
      return Multiaddr.parse(text);
    } catch (IllegalArgumentException e) {
      throw new UserError(exitCode, option + ": " + e.getMessage());
    }
  }

  static PeerId peerId(String text, String option) {
    return peerId(text, option, ExitCodes.USAGE);
  }

  static PeerId peerId(String text, String option, int exitCode) {
    try {
      return PeerId.parse(text);
    } catch (IllegalArgumentException e) {
      throw new UserError(exitCode, option + ": " + e.getMessage());
    }
  }

  /** A multiaddr that names its peer ({@code /p2p/<peer id>}), as bootstrap addresses must. */
  static Multiaddr bootstrap(String text, String option) {
    return bootstrap(text, option, ExitCodes.USAGE);
  }

  static Multiaddr bootstrap(String text, String option, int exitCode) {
    Multiaddr a = multiaddr(text, option, exitCode);
    if (a.peerId().isEmpty()) {
      throw new UserError(exitCode, option + ": must end in /p2p/<peer id>: " + text);
    }
    return a;
  }

  /** Text from a file or a peer, cut and made printable for one-line messages. */
  static String printable(String text) {
    String cut = text.length() > 128 ? text.substring(0, 128) + "..." : text;
    return cut.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
