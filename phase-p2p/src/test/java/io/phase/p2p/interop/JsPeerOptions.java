package io.phase.p2p.interop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How to start a {@link JsPeer}: the flags passed to {@code interop/peer.mjs} and the harness's own
 * limits. Immutable; build with {@link #defaults()} and the {@code with*} methods.
 */
public final class JsPeerOptions {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final int MAX_AGENT_LENGTH = 1024;
  private static final int MAX_KEY_BYTES = 8192;

  private final String name;
  private final String agent;
  private final byte[] privateKey;
  private final boolean dht;
  private final String listen;
  private final Duration readyTimeout;

  private JsPeerOptions(
      String name,
      String agent,
      byte[] privateKey,
      boolean dht,
      String listen,
      Duration readyTimeout) {
    this.name = name;
    this.agent = agent;
    this.privateKey = privateKey;
    this.dht = dht;
    this.listen = listen;
    this.readyTimeout = readyTimeout;
  }

  /** A peer named "js" with a fresh Ed25519 key, no DHT, listening on 127.0.0.1, 30 s to start. */
  public static JsPeerOptions defaults() {
    return new JsPeerOptions("js", null, null, false, null, Duration.ofSeconds(30));
  }

  /** Names the peer in the harness's log file name; letters, digits, '.', '_', '-'. */
  public JsPeerOptions withName(String name) {
    if (!NAME.matcher(Objects.requireNonNull(name, "name")).matches()) {
      throw new IllegalArgumentException("name must match " + NAME + ": " + name);
    }
    return new JsPeerOptions(name, agent, privateKey, dht, listen, readyTimeout);
  }

  /** Sets the identify agentVersion the peer announces. */
  public JsPeerOptions withAgent(String agent) {
    Objects.requireNonNull(agent, "agent");
    if (agent.isEmpty() || agent.length() > MAX_AGENT_LENGTH) {
      throw new IllegalArgumentException("agent must have 1.." + MAX_AGENT_LENGTH + " characters");
    }
    return new JsPeerOptions(name, agent, privateKey, dht, listen, readyTimeout);
  }

  /** Gives the peer a fixed identity: a libp2p protobuf-encoded PrivateKey. */
  public JsPeerOptions withPrivateKey(byte[] protobufPrivateKey) {
    Objects.requireNonNull(protobufPrivateKey, "protobufPrivateKey");
    if (protobufPrivateKey.length == 0 || protobufPrivateKey.length > MAX_KEY_BYTES) {
      throw new IllegalArgumentException("private key must have 1.." + MAX_KEY_BYTES + " bytes");
    }
    return new JsPeerOptions(name, agent, protobufPrivateKey.clone(), dht, listen, readyTimeout);
  }

  /** Runs a Kademlia DHT server ({@code /ipfs/kad/1.0.0}) in the peer. */
  public JsPeerOptions withDht(boolean dht) {
    return new JsPeerOptions(name, agent, privateKey, dht, listen, readyTimeout);
  }

  /** Listens on this multiaddr instead of {@code /ip4/127.0.0.1/tcp/0}. */
  public JsPeerOptions withListen(String multiaddr) {
    Objects.requireNonNull(multiaddr, "multiaddr");
    if (!multiaddr.startsWith("/") || multiaddr.length() > 1024) {
      throw new IllegalArgumentException("listen must be a multiaddr: " + multiaddr);
    }
    return new JsPeerOptions(name, agent, privateKey, dht, multiaddr, readyTimeout);
  }

  /** How long {@link JsPeer#start} waits for the peer's ready line. */
  public JsPeerOptions withReadyTimeout(Duration readyTimeout) {
    Objects.requireNonNull(readyTimeout, "readyTimeout");
    if (readyTimeout.isNegative() || readyTimeout.isZero()) {
      throw new IllegalArgumentException("readyTimeout must be positive");
    }
    return new JsPeerOptions(name, agent, privateKey, dht, listen, readyTimeout);
  }

  String name() {
    return name;
  }

  Duration readyTimeout() {
    return readyTimeout;
  }

  /** The peer.mjs command-line flags for these options. */
  List<String> peerArguments() {
    List<String> args = new ArrayList<>();
    if (listen != null) {
      args.add("--listen");
      args.add(listen);
    }
    if (agent != null) {
      args.add("--agent");
      args.add(agent);
    }
    if (privateKey != null) {
      args.add("--key");
      args.add(HexFormat.of().formatHex(privateKey));
    }
    if (dht) {
      args.add("--dht");
    }
    return args;
  }
}
