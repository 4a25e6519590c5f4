package io.phase.jenkins;

import io.phase.core.step.StepDefaults;
import io.phase.core.step.StepNode;
import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.peer.PeerId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The Phase cloud's configuration checked and in the form the embedded node takes: bootstrap peers
 * (each ending in {@code /p2p/<peer id>}), the listen address (blank: dial out only), the allowed
 * workers (empty: any), the discovery timeout and the defaults of every {@code phaseRun} step. Two
 * settings are equal when the node they start is the same, which is how a saved configuration tells
 * whether the node must restart.
 *
 * @param bootstrap the bootstrap multiaddrs, as written
 * @param listenAddress the listen multiaddr, or empty
 * @param allowedWorkers peer ids of the only workers steps may run on
 * @param discoveryTimeoutS how long to wait for the DHT join and for workers, seconds
 * @param defaults the limits of steps that do not set their own
 */
public record PhaseSettings(
    List<String> bootstrap,
    String listenAddress,
    List<String> allowedWorkers,
    int discoveryTimeoutS,
    StepDefaults defaults) {

  /** The listen address a new cloud starts with. */
  public static final String DEFAULT_LISTEN = "/ip4/0.0.0.0/tcp/4001";

  /** The discovery timeout a new cloud starts with, seconds. */
  public static final int DEFAULT_DISCOVERY_TIMEOUT_S = 30;

  /** The longest discovery timeout (that of the node), seconds. */
  public static final int MAX_DISCOVERY_TIMEOUT_S = 600;

  /**
   * Checks every value.
   *
   * @throws IllegalArgumentException with one line naming the first bad value
   */
  public PhaseSettings {
    bootstrap = List.copyOf(TextLines.clean(bootstrap));
    listenAddress = listenAddress == null ? "" : listenAddress.strip();
    allowedWorkers = List.copyOf(TextLines.clean(allowedWorkers));
    Objects.requireNonNull(defaults, "defaults");
    for (String address : bootstrap) {
      bootstrapProblem(address)
          .ifPresent(p -> fail("bootstrap address " + printable(address) + ": " + p));
    }
    if (!listenAddress.isEmpty()) {
      String listen = listenAddress;
      listenProblem(listen).ifPresent(p -> fail("listen address " + printable(listen) + ": " + p));
    }
    for (String peer : allowedWorkers) {
      peerIdProblem(peer).ifPresent(p -> fail("allowed worker " + printable(peer) + ": " + p));
    }
    discoveryTimeoutProblem(discoveryTimeoutS).ifPresent(p -> fail("discoveryTimeoutS " + p));
  }

  private static void fail(String message) {
    throw new IllegalArgumentException(message);
  }

  /** The configuration of the node these settings start, its key in {@code keyFile}. */
  public StepNode.Config nodeConfig(Path keyFile, String agentVersion) {
    List<Multiaddr> listen =
        listenAddress.isEmpty() ? List.of() : List.of(Multiaddr.parse(listenAddress));
    List<Multiaddr> peers = new ArrayList<>();
    for (String address : bootstrap) {
      peers.add(Multiaddr.parse(address));
    }
    Set<PeerId> allowed = new LinkedHashSet<>();
    for (String peer : allowedWorkers) {
      allowed.add(PeerId.parse(peer));
    }
    return new StepNode.Config(
        keyFile, listen, peers, allowed, Duration.ofSeconds(discoveryTimeoutS), agentVersion);
  }

  /** True when {@code other} starts a different node (only the step defaults may differ). */
  public boolean nodeDiffers(PhaseSettings other) {
    return other == null
        || !bootstrap.equals(other.bootstrap)
        || !listenAddress.equals(other.listenAddress)
        || !allowedWorkers.equals(other.allowedWorkers)
        || discoveryTimeoutS != other.discoveryTimeoutS;
  }

  /** What is wrong with a bootstrap address, if anything. */
  public static Optional<String> bootstrapProblem(String text) {
    Optional<Multiaddr> address = parse(text);
    if (address.isEmpty()) {
      return Optional.of(multiaddrProblem(text));
    }
    try {
      if (address.get().peerId().isEmpty()) {
        return Optional.of("must end in /p2p/<peer id>");
      }
    } catch (IllegalArgumentException e) {
      return Optional.of(oneLine(e));
    }
    return Optional.empty();
  }

  /** What is wrong with a listen address, if anything. */
  public static Optional<String> listenProblem(String text) {
    Optional<Multiaddr> address = parse(text);
    if (address.isEmpty()) {
      return Optional.of(multiaddrProblem(text));
    }
    if (!address.get().isTcp()) {
      return Optional.of("must be a TCP address such as " + DEFAULT_LISTEN);
    }
    try {
      if (address.get().peerId().isPresent()) {
        return Optional.of("must not name a peer (/p2p/...): the node's own id is added");
      }
    } catch (IllegalArgumentException e) {
      return Optional.of(oneLine(e));
    }
    return Optional.empty();
  }

  /** What is wrong with a peer id, if anything. */
  public static Optional<String> peerIdProblem(String text) {
    try {
      PeerId.parse(text == null ? "" : text.strip());
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(oneLine(e));
    }
  }

  /** What is wrong with a discovery timeout, if anything. */
  public static Optional<String> discoveryTimeoutProblem(long seconds) {
    if (seconds < 1 || seconds > MAX_DISCOVERY_TIMEOUT_S) {
      return Optional.of("must be between 1 and " + MAX_DISCOVERY_TIMEOUT_S + ", not " + seconds);
    }
    return Optional.empty();
  }

  private static Optional<Multiaddr> parse(String text) {
    try {
      return Optional.of(Multiaddr.parse(text == null ? "" : text.strip()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String multiaddrProblem(String text) {
    try {
      Multiaddr.parse(text == null ? "" : text.strip());
      return "not a multiaddr";
    } catch (IllegalArgumentException e) {
      return oneLine(e);
    }
  }

  static String oneLine(Exception e) {
    return printable(String.valueOf(e.getMessage()));
  }

  /** Text from a form or a file, cut and made printable for a one-line message. */
  static String printable(String text) {
    String s = String.valueOf(text);
    String cut = s.length() > 160 ? s.substring(0, 160) + "..." : s;
    return cut.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
