package io.phase.p2p.identify;

import com.google.protobuf.ByteString;
import io.phase.p2p.crypto.Ed25519PublicKey;
import io.phase.p2p.identify.pb.IdentifyProto;
import io.phase.p2p.mss.MultistreamCodec;
import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.peer.PeerId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds our Identify message and turns received ones into {@link IdentifyResult}s, enforcing the
 * count caps and checking the public key against the authenticated peer.
 */
final class IdentifyMessages {
  private static final Logger LOG = LoggerFactory.getLogger(IdentifyMessages.class);

  private IdentifyMessages() {}

  /**
   * Our message. Lists beyond the caps, and then whatever does not fit in {@link
   * IdentifyReader#MAX_MESSAGE_BYTES}, are dropped (listen addresses first) with a warning.
   */
  static IdentifyProto.Identify build(
      String agentVersion,
      Ed25519PublicKey publicKey,
      List<Multiaddr> listenAddresses,
      Optional<Multiaddr> observed,
      Set<String> protocols) {
    List<Multiaddr> addrs =
        listenAddresses.subList(0, Math.min(listenAddresses.size(), Identify.MAX_LISTEN_ADDRESSES));
    List<String> protos = new ArrayList<>(protocols);
    protos.sort(null);
    protos = protos.subList(0, Math.min(protos.size(), Identify.MAX_PROTOCOLS));
    while (true) {
      IdentifyProto.Identify.Builder b =
          IdentifyProto.Identify.newBuilder()
              .setProtocolVersion(Identify.PROTOCOL_VERSION)
              .setAgentVersion(agentVersion)
              .setPublicKey(ByteString.copyFrom(publicKey.marshal()))
              .addAllProtocols(protos);
      for (Multiaddr a : addrs) {
        b.addListenAddrs(ByteString.copyFrom(a.toBytes()));
      }
      observed.ifPresent(o -> b.setObservedAddr(ByteString.copyFrom(o.toBytes())));
      IdentifyProto.Identify message = b.build();
      if (message.getSerializedSize() <= IdentifyReader.MAX_MESSAGE_BYTES) {
        if (addrs.size() < Math.min(listenAddresses.size(), Identify.MAX_LISTEN_ADDRESSES)
            || protos.size() < Math.min(protocols.size(), Identify.MAX_PROTOCOLS)
            || listenAddresses.size() > Identify.MAX_LISTEN_ADDRESSES
            || protocols.size() > Identify.MAX_PROTOCOLS) {
          LOG.warn(
              "identify_message_truncated listen_addrs={}/{} protocols={}/{}",
              addrs.size(),
              listenAddresses.size(),
              protos.size(),
              protocols.size());
        }
        return message;
      }
      if (!addrs.isEmpty()) {
        addrs = addrs.subList(0, addrs.size() - 1);
      } else {
        protos = protos.subList(0, protos.size() - 1);
      }
    }
  }

  /**
   * Merges the messages of one stream (later fields win, lists are concatenated) and validates the
   * result.
   *
   * @param remote the authenticated peer of the connection
   * @param requireKey whether the public key must be present (Identify) or may be absent (Push)
   * @param previous what we knew before, for fields a push leaves out
   */
  static IdentifyResult toResult(
      List<IdentifyProto.Identify> messages,
      PeerId remote,
      boolean requireKey,
      Optional<IdentifyResult> previous)
      throws IdentifyException {
    String protocolVersion = null;
    String agentVersion = null;
    ByteString key = null;
    ByteString observed = null;
    List<ByteString> rawAddrs = new ArrayList<>();
    Set<String> protocols = new LinkedHashSet<>();
    for (IdentifyProto.Identify m : messages) {
      if (m.hasProtocolVersion()) {
        protocolVersion = m.getProtocolVersion();
      }
      if (m.hasAgentVersion()) {
        agentVersion = m.getAgentVersion();
      }
      if (m.hasPublicKey()) {
        key = m.getPublicKey();
      }
      if (m.hasObservedAddr()) {
        observed = m.getObservedAddr();
      }
      rawAddrs.addAll(m.getListenAddrsList());
      protocols.addAll(m.getProtocolsList());
      if (rawAddrs.size() > Identify.MAX_LISTEN_ADDRESSES) {
        throw new IdentifyException(
            "more than " + Identify.MAX_LISTEN_ADDRESSES + " listen addresses");
      }
      if (protocols.size() > Identify.MAX_PROTOCOLS) {
        throw new IdentifyException("more than " + Identify.MAX_PROTOCOLS + " protocols");
      }
    }
    for (String p : protocols) {
      try {
        MultistreamCodec.validateProtocolId(p);
      } catch (IllegalArgumentException e) {
        throw new IdentifyException("invalid protocol id: " + e.getMessage());
      }
    }
    Ed25519PublicKey remoteKey =
        remote
            .publicKey()
            .orElseThrow(() -> new IdentifyException("peer id " + remote + " embeds no key"));
    if (key == null) {
      if (requireKey) {
        throw new IdentifyException("identify message has no public key");
      }
    } else {
      Ed25519PublicKey sent;
      try {
        sent = Ed25519PublicKey.unmarshal(key.toByteArray());
      } catch (IllegalArgumentException e) {
        throw new IdentifyException("bad public key: " + e.getMessage());
      }
      if (!remote.matches(sent)) {
        throw new IdentifyException(
            "public key is of peer " + PeerId.fromPublicKey(sent) + ", not of " + remote);
      }
    }
    List<Multiaddr> addrs = new ArrayList<>();
    for (ByteString raw : rawAddrs) {
      parse(raw, remote, "listen").ifPresent(addrs::add);
    }
    IdentifyResult old = previous.orElse(null);
    Optional<Multiaddr> observedAddr;
    if (observed != null) {
      observedAddr = parse(observed, remote, "observed");
    } else {
      observedAddr = old == null ? Optional.empty() : old.observedAddress();
    }
    return new IdentifyResult(
        remote,
        pick(protocolVersion, old == null ? "" : old.protocolVersion()),
        pick(agentVersion, old == null ? "" : old.agentVersion()),
        remoteKey,
        rawAddrs.isEmpty() && old != null ? old.listenAddresses() : addrs,
        observedAddr,
        protocols.isEmpty() && old != null ? old.protocols() : protocols,
        Instant.now());
  }

  private static String pick(String sent, String fallback) {
    return sent != null ? sent : fallback;
  }

  /** Addresses with protocols we do not know are skipped, not fatal: peers may have newer ones. */
  private static Optional<Multiaddr> parse(ByteString raw, PeerId remote, String what) {
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Multiaddr.fromBytes(raw.toByteArray()));
    } catch (IllegalArgumentException e) {
      LOG.debug("identify_address_skipped peer={} kind={} reason={}", remote, what, e.getMessage());
      return Optional.empty();
    }
  }
}
