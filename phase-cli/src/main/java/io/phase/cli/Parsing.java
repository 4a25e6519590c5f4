package io.phase.cli;

import io.phase.core.step.EventText;
import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.peer.PeerId;
import java.util.ArrayList;
import java.util.List;

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

  /** The environment variable that gives bootstrap peers when {@code --bootstrap} is absent. */
  static final String BOOTSTRAP_ENV = "PHASE_BOOTSTRAP";

  /** Most peers {@link #BOOTSTRAP_ENV} may name. */
  static final int MAX_ENV_PEERS = 32;

  /**
   * The bootstrap peers: those given with {@code --bootstrap}, or else the space- or
   * comma-separated multiaddrs of {@code env} (the value of {@link #BOOTSTRAP_ENV}, may be null).
   */
  static List<Multiaddr> bootstrapPeers(List<String> given, String env, int exitCode) {
    List<Multiaddr> peers = new ArrayList<>();
    if (!given.isEmpty()) {
      for (String text : given) {
        peers.add(bootstrap(text, "--bootstrap", exitCode));
      }
      return peers;
    }
    String value = env == null ? "" : env.strip();
    if (value.isEmpty()) {
      throw new UserError(exitCode, "no bootstrap peer: give --bootstrap or set " + BOOTSTRAP_ENV);
    }
    String[] parts = value.split("[\\s,]+");
    if (parts.length > MAX_ENV_PEERS) {
      throw new UserError(exitCode, BOOTSTRAP_ENV + " names more than " + MAX_ENV_PEERS + " peers");
    }
    for (String text : parts) {
      if (!text.isEmpty()) {
        peers.add(bootstrap(text, BOOTSTRAP_ENV, exitCode));
      }
    }
    return peers;
  }

  /** Text from a file or a peer, cut and made printable for one-line messages. */
  static String printable(String text) {
    return EventText.printable(text);
  }
}
