package io.phase.p2p.kad.wire;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import io.phase.p2p.bytes.Bytes;
import io.phase.p2p.kad.pb.KadProto;
import io.phase.p2p.kad.routing.PeerInfo;
import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.multiformats.Varint;
import io.phase.p2p.peer.PeerId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes {@link KadMessage}s as the libp2p kad-dht protobuf, enforcing the same bounds
 * in both directions so that we never send what we would refuse.
 *
 * <p>Structural violations (oversized message, key, value, peer id or address; too many peers or
 * addresses; unknown type; invalid peer id) reject the whole message. Addresses that are well
 * formed in size but use multiaddr protocols we do not know (e.g. websockets, circuit relay) are
 * skipped, since a peer's other addresses stay useful.
 */
public final class MessageCodec {

  /** Largest encoded message accepted or produced (without the length prefix). */
  public static final int MAX_MESSAGE_BYTES = 64 * 1024;

  /** Largest {@code key} (message key and record key). */
  public static final int MAX_KEY_BYTES = 256;

  /** Largest record value on the wire. */
  public static final int MAX_VALUE_BYTES = 32 * 1024;

  /** Largest record {@code timeReceived} text. */
  public static final int MAX_TIME_RECEIVED_CHARS = 64;

  /** Most {@code closerPeers} in one message. */
  public static final int MAX_CLOSER_PEERS = 32;

  /** Most {@code providerPeers} in one message. */
  public static final int MAX_PROVIDER_PEERS = 64;

  /** Most addresses per peer entry. */
  public static final int MAX_ADDRS_PER_PEER = 16;

  /** Largest binary multiaddr in a peer entry. */
  public static final int MAX_ADDR_BYTES = 256;

  /** Largest binary peer id. */
  public static final int MAX_PEER_ID_BYTES = 64;

  private MessageCodec() {}

  /**
   * Encodes a message to protobuf bytes (no length prefix).
   *
   * @throws IllegalArgumentException if the message breaks a limit
   */
  public static byte[] encode(KadMessage m) {
    checkKey(m.key().length(), "key");
    checkPeerCount(m.closerPeers().size(), MAX_CLOSER_PEERS, "closerPeers");
    checkPeerCount(m.providerPeers().size(), MAX_PROVIDER_PEERS, "providerPeers");
    KadProto.Message.Builder b =
        KadProto.Message.newBuilder()
            .setTypeValue(m.type().code())
            .setKey(ByteString.copyFrom(m.key().unsafeArray()));
    if (m.record() != null) {
      KadRecord r = m.record();
      checkKey(r.key().length(), "record key");
      if (r.value().length() > MAX_VALUE_BYTES) {
        throw new IllegalArgumentException(
            "record value " + r.value().length() + " bytes exceeds " + MAX_VALUE_BYTES);
      }
      if (r.timeReceived().length() > MAX_TIME_RECEIVED_CHARS) {
        throw new IllegalArgumentException("record timeReceived too long");
      }
      b.setRecord(
          KadProto.Record.newBuilder()
              .setKey(ByteString.copyFrom(r.key().unsafeArray()))
              .setValue(ByteString.copyFrom(r.value().unsafeArray()))
              .setTimeReceived(r.timeReceived()));
    }
    for (PeerInfo p : m.closerPeers()) {
      b.addCloserPeers(encodePeer(p));
    }
    for (PeerInfo p : m.providerPeers()) {
      b.addProviderPeers(encodePeer(p));
    }
    byte[] out = b.build().toByteArray();
    if (out.length > MAX_MESSAGE_BYTES) {
      throw new IllegalArgumentException(
          "encoded kad message " + out.length + " bytes exceeds " + MAX_MESSAGE_BYTES);
    }
    return out;
  }

  /** Encodes a message with its unsigned-varint length prefix, ready to write to a stream. */
  public static byte[] encodeFramed(KadMessage m) {
    byte[] body = encode(m);
    byte[] out = new byte[Varint.encodedLength(body.length) + body.length];
    int n = Varint.write(body.length, out, 0);
    System.arraycopy(body, 0, out, n, body.length);
    return out;
  }

  private static KadProto.Message.Peer encodePeer(PeerInfo p) {
    if (p.addrs().size() > MAX_ADDRS_PER_PEER) {
      throw new IllegalArgumentException(
          "peer " + p.id() + " has " + p.addrs().size() + " addrs, max " + MAX_ADDRS_PER_PEER);
    }
    KadProto.Message.Peer.Builder pb =
        KadProto.Message.Peer.newBuilder().setId(ByteString.copyFrom(p.id().toBytes()));
    for (Multiaddr a : p.addrs()) {
      byte[] raw = a.toBytes();
      if (raw.length > MAX_ADDR_BYTES) {
        throw new IllegalArgumentException("address longer than " + MAX_ADDR_BYTES + " bytes");
      }
      pb.addAddrs(ByteString.copyFrom(raw));
    }
    return pb.build();
  }

  private static void checkKey(int length, String what) {
    if (length > MAX_KEY_BYTES) {
      throw new IllegalArgumentException(what + " " + length + " bytes exceeds " + MAX_KEY_BYTES);
    }
  }

  private static void checkPeerCount(int n, int max, String what) {
    if (n > max) {
      throw new IllegalArgumentException(what + ": " + n + " entries, max " + max);
    }
  }

  /**
   * Decodes protobuf bytes (no length prefix).
   *
   * @throws KadMessageException if the bytes are malformed or break a limit
   */
  public static KadMessage decode(byte[] data) throws KadMessageException {
    if (data.length > MAX_MESSAGE_BYTES) {
      throw new KadMessageException(
          "kad message " + data.length + " bytes exceeds " + MAX_MESSAGE_BYTES);
    }
    KadProto.Message pm;
    try {
      CodedInputStream in = CodedInputStream.newInstance(data);
      in.setRecursionLimit(8);
      pm = KadProto.Message.parseFrom(in);
    } catch (IOException e) {
      throw new KadMessageException("malformed kad message: " + e.getMessage(), e);
    }
    KadMessage.Type type = KadMessage.Type.fromCode(pm.getTypeValue());
    if (type == null) {
      throw new KadMessageException("unknown kad message type " + pm.getTypeValue());
    }
    byte[] key = pm.getKey().toByteArray();
    if (key.length > MAX_KEY_BYTES) {
      throw new KadMessageException("key " + key.length + " bytes exceeds " + MAX_KEY_BYTES);
    }
    KadRecord record = pm.hasRecord() ? decodeRecord(pm.getRecord()) : null;
    if (pm.getCloserPeersCount() > MAX_CLOSER_PEERS) {
      throw new KadMessageException(
          "closerPeers: " + pm.getCloserPeersCount() + " entries, max " + MAX_CLOSER_PEERS);
    }
    if (pm.getProviderPeersCount() > MAX_PROVIDER_PEERS) {
      throw new KadMessageException(
          "providerPeers: " + pm.getProviderPeersCount() + " entries, max " + MAX_PROVIDER_PEERS);
    }
    return new KadMessage(
        type,
        Bytes.wrapOwned(key),
        record,
        decodePeers(pm.getCloserPeersList()),
        decodePeers(pm.getProviderPeersList()));
  }

  private static KadRecord decodeRecord(KadProto.Record r) throws KadMessageException {
    if (r.getKey().size() > MAX_KEY_BYTES) {
      throw new KadMessageException(
          "record key " + r.getKey().size() + " bytes exceeds " + MAX_KEY_BYTES);
    }
    if (r.getValue().size() > MAX_VALUE_BYTES) {
      throw new KadMessageException(
          "record value " + r.getValue().size() + " bytes exceeds " + MAX_VALUE_BYTES);
    }
    if (r.getTimeReceived().length() > MAX_TIME_RECEIVED_CHARS) {
      throw new KadMessageException("record timeReceived longer than " + MAX_TIME_RECEIVED_CHARS);
    }
    return new KadRecord(
        Bytes.wrapOwned(r.getKey().toByteArray()),
        Bytes.wrapOwned(r.getValue().toByteArray()),
        r.getTimeReceived());
  }

  private static List<PeerInfo> decodePeers(List<KadProto.Message.Peer> peers)
      throws KadMessageException {
    List<PeerInfo> out = new ArrayList<>(peers.size());
    for (KadProto.Message.Peer p : peers) {
      if (p.getId().size() > MAX_PEER_ID_BYTES) {
        throw new KadMessageException(
            "peer id " + p.getId().size() + " bytes exceeds " + MAX_PEER_ID_BYTES);
      }
      PeerId id;
      try {
        id = PeerId.fromBytes(p.getId().toByteArray());
      } catch (IllegalArgumentException e) {
        throw new KadMessageException("bad peer id in kad message: " + e.getMessage(), e);
      }
      if (p.getAddrsCount() > MAX_ADDRS_PER_PEER) {
        throw new KadMessageException(
            "peer " + id + ": " + p.getAddrsCount() + " addrs, max " + MAX_ADDRS_PER_PEER);
      }
      List<Multiaddr> addrs = new ArrayList<>(p.getAddrsCount());
      for (ByteString raw : p.getAddrsList()) {
        if (raw.size() > MAX_ADDR_BYTES) {
          throw new KadMessageException(
              "peer " + id + ": address " + raw.size() + " bytes exceeds " + MAX_ADDR_BYTES);
        }
        try {
          addrs.add(Multiaddr.fromBytes(raw.toByteArray()));
        } catch (IllegalArgumentException e) {
          // Unknown or malformed multiaddr protocol: skip this address, keep the peer.
        }
      }
      out.add(new PeerInfo(id, addrs));
    }
    return out;
  }
}
