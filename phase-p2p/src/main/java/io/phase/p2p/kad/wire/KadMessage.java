package io.phase.p2p.kad.wire;

import io.phase.p2p.bytes.Bytes;
import io.phase.p2p.kad.routing.PeerInfo;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A decoded {@code /ipfs/kad/1.0.0} message (request or response). {@code record} may be {@code
 * null}. Bounds are enforced by {@link MessageCodec} in both directions. Immutable.
 */
public record KadMessage(
    Type type,
    Bytes key,
    KadRecord record,
    List<PeerInfo> closerPeers,
    List<PeerInfo> providerPeers) {

  /** The RPC type, with its protobuf number. */
  public enum Type {
    PUT_VALUE(0),
    GET_VALUE(1),
    ADD_PROVIDER(2),
    GET_PROVIDERS(3),
    FIND_NODE(4),
    PING(5);

    private final int code;

    Type(int code) {
      this.code = code;
    }

    /** The protobuf enum number. */
    public int code() {
      return code;
    }

    /** The type with protobuf number {@code code}, or {@code null} if unknown. */
    static Type fromCode(int code) {
      for (Type t : values()) {
        if (t.code == code) {
          return t;
        }
      }
      return null;
    }
  }

  /** Copies the lists. */
  public KadMessage {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(key, "key");
    closerPeers = List.copyOf(closerPeers);
    providerPeers = List.copyOf(providerPeers);
  }

  /** Copies the key and lists. */
  public KadMessage(
      Type type,
      byte[] key,
      KadRecord record,
      List<PeerInfo> closerPeers,
      List<PeerInfo> providerPeers) {
    this(type, Bytes.copyOf(key), record, closerPeers, providerPeers);
  }

  /** {@code FIND_NODE} request for {@code key} (normally a binary peer id). */
  public static KadMessage findNode(byte[] key) {
    return new KadMessage(Type.FIND_NODE, key, null, List.of(), List.of());
  }

  /** {@code GET_PROVIDERS} request. */
  public static KadMessage getProviders(byte[] key) {
    return new KadMessage(Type.GET_PROVIDERS, key, null, List.of(), List.of());
  }

  /** {@code ADD_PROVIDER} request announcing {@code self} as a provider of {@code key}. */
  public static KadMessage addProvider(byte[] key, PeerInfo self) {
    return new KadMessage(Type.ADD_PROVIDER, key, null, List.of(), List.of(self));
  }

  /** {@code GET_VALUE} request. */
  public static KadMessage getValue(byte[] key) {
    return new KadMessage(Type.GET_VALUE, key, null, List.of(), List.of());
  }

  /** {@code PUT_VALUE} request storing {@code record} under its key. */
  public static KadMessage putValue(KadRecord record) {
    return new KadMessage(Type.PUT_VALUE, record.key(), record, List.of(), List.of());
  }

  /** {@code PING} request (and response). */
  public static KadMessage ping() {
    return new KadMessage(Type.PING, Bytes.empty(), null, List.of(), List.of());
  }

  @Override
  public String toString() {
    return "KadMessage[type="
        + type
        + ", key="
        + printableKey(key.unsafeArray())
        + ", record="
        + record
        + ", closerPeers="
        + closerPeers.size()
        + ", providerPeers="
        + providerPeers.size()
        + "]";
  }

  /** A key for logs: its text if it is printable ASCII starting with '/', else hex. */
  public static String printableKey(byte[] key) {
    if (key.length > 0 && key[0] == '/') {
      boolean printable = true;
      for (byte b : key) {
        printable &= b >= 0x21 && b < 0x7f;
      }
      if (printable) {
        return new String(key, StandardCharsets.US_ASCII);
      }
    }
    return HexFormat.of().formatHex(key);
  }
}
