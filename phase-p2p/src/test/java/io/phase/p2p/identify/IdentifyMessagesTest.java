package io.phase.p2p.identify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.phase.p2p.crypto.Ed25519PrivateKey;
import io.phase.p2p.identify.pb.IdentifyProto;
import io.phase.p2p.multiaddr.Multiaddr;
import io.phase.p2p.peer.PeerId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdentifyMessagesTest {
  private final Ed25519PrivateKey key = Ed25519PrivateKey.generate();
  private final PeerId peer = PeerId.fromPublicKey(key.publicKey());
  private final Multiaddr addr = Multiaddr.parse("/ip4/10.0.0.1/tcp/4001");

  private IdentifyProto.Identify.Builder full() {
    return IdentifyProto.Identify.newBuilder()
        .setProtocolVersion("ipfs/0.1.0")
        .setAgentVersion("test/1")
        .setPublicKey(ByteString.copyFrom(key.publicKey().marshal()))
        .addListenAddrs(ByteString.copyFrom(addr.toBytes()))
        .setObservedAddr(ByteString.copyFrom(Multiaddr.parse("/ip4/192.0.2.7/tcp/5555").toBytes()))
        .addProtocols("/ipfs/id/1.0.0")
        .addProtocols("/x/1.0.0");
  }

  private IdentifyResult result(IdentifyProto.Identify... messages) throws IdentifyException {
    return IdentifyMessages.toResult(List.of(messages), peer, true, Optional.empty());
  }

  @Test
  void fullMessageBecomesResult() throws Exception {
    IdentifyResult r = result(full().build());
    assertEquals(peer, r.peer());
    assertEquals("ipfs/0.1.0", r.protocolVersion());
    assertEquals("test/1", r.agentVersion());
    assertEquals(key.publicKey(), r.publicKey());
    assertEquals(List.of(addr), r.listenAddresses());
    assertEquals(Optional.of(Multiaddr.parse("/ip4/192.0.2.7/tcp/5555")), r.observedAddress());
    assertEquals(Set.of("/ipfs/id/1.0.0", "/x/1.0.0"), r.protocols());
    assertTrue(r.supports("/x/1.0.0"));
  }

  @Test
  void keyOfAnotherPeerIsRejected() {
    Ed25519PrivateKey other = Ed25519PrivateKey.generate();
    IdentifyProto.Identify m =
        full().setPublicKey(ByteString.copyFrom(other.publicKey().marshal())).build();
    IdentifyException e = assertThrows(IdentifyException.class, () -> result(m));
    assertTrue(e.getMessage().contains("not of " + peer), e.getMessage());
    assertThrows(
        IdentifyException.class,
        () -> IdentifyMessages.toResult(List.of(m), peer, false, Optional.empty()),
        "a push with a wrong key is rejected too");
  }

  @Test
  void missingOrMalformedKeyIsRejected() {
    assertThrows(IdentifyException.class, () -> result(full().clearPublicKey().build()));
    IdentifyProto.Identify rsa =
        full()
            .setPublicKey(ByteString.copyFrom(HexFormat.of().parseHex("0800120401020304")))
            .build();
    assertThrows(IdentifyException.class, () -> result(rsa));
  }

  @Test
  void countCapsAreEnforced() {
    IdentifyProto.Identify.Builder protos = full();
    for (int i = 0; i < Identify.MAX_PROTOCOLS; i++) {
      protos.addProtocols("/p/" + i);
    }
    IdentifyException e = assertThrows(IdentifyException.class, () -> result(protos.build()));
    assertTrue(e.getMessage().contains("protocols"), e.getMessage());

    IdentifyProto.Identify.Builder addrs = full();
    for (int i = 0; i < Identify.MAX_LISTEN_ADDRESSES; i++) {
      addrs.addListenAddrs(ByteString.copyFrom(addr.toBytes()));
    }
    e = assertThrows(IdentifyException.class, () -> result(addrs.build()));
    assertTrue(e.getMessage().contains("listen addresses"), e.getMessage());
  }

  @Test
  void capsCountAcrossMergedMessages() throws Exception {
    List<IdentifyProto.Identify> messages = new ArrayList<>();
    for (int m = 0; m < 3; m++) {
      IdentifyProto.Identify.Builder b = IdentifyProto.Identify.newBuilder();
      for (int i = 0; i < 50; i++) {
        b.addProtocols("/p/" + m + "/" + i);
      }
      messages.add(b.build());
    }
    messages.set(0, messages.get(0).toBuilder().mergeFrom(full().build()).build());
    assertThrows(
        IdentifyException.class,
        () -> IdentifyMessages.toResult(messages, peer, true, Optional.empty()));
    IdentifyResult two =
        IdentifyMessages.toResult(messages.subList(0, 2), peer, true, Optional.empty());
    assertEquals(102, two.protocols().size());
  }

  @Test
  void invalidProtocolIdIsRejected() {
    assertThrows(IdentifyException.class, () -> result(full().addProtocols("").build()));
    assertThrows(IdentifyException.class, () -> result(full().addProtocols("/a\n/b").build()));
  }

  @Test
  void unparseableAddressesAreSkipped() throws Exception {
    IdentifyProto.Identify m =
        full()
            .addListenAddrs(ByteString.copyFrom(new byte[] {(byte) 0xff, (byte) 0xff, 0x03, 1}))
            .addListenAddrs(ByteString.EMPTY)
            .setObservedAddr(ByteString.copyFrom(new byte[] {0x04, 1, 2}))
            .build();
    IdentifyResult r = result(m);
    assertEquals(List.of(addr), r.listenAddresses());
    assertEquals(Optional.empty(), r.observedAddress());
  }

  @Test
  void pushUpdatesOnlyWhatItCarries() throws Exception {
    IdentifyResult before = result(full().build());
    IdentifyProto.Identify push = IdentifyProto.Identify.newBuilder().addProtocols("/y/2").build();
    IdentifyResult after =
        IdentifyMessages.toResult(List.of(push), peer, false, Optional.of(before));
    assertEquals(Set.of("/y/2"), after.protocols());
    assertEquals("test/1", after.agentVersion());
    assertEquals(before.listenAddresses(), after.listenAddresses());
    assertEquals(before.observedAddress(), after.observedAddress());

    IdentifyResult fresh = IdentifyMessages.toResult(List.of(push), peer, false, Optional.empty());
    assertEquals("", fresh.agentVersion());
    assertEquals(key.publicKey(), fresh.publicKey(), "the key comes from the peer id");
  }

  @Test
  void ourMessageIsTruncatedToFit() throws Exception {
    Set<String> protocols = new LinkedHashSet<>();
    for (int i = 0; i < 200; i++) {
      protocols.add("/" + "p".repeat(900) + "/" + i);
    }
    List<Multiaddr> addrs = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      addrs.add(Multiaddr.parse("/ip4/10.0.0." + (i % 250) + "/tcp/" + (1000 + i)));
    }
    IdentifyProto.Identify m =
        IdentifyMessages.build("a", key.publicKey(), addrs, Optional.empty(), protocols);
    assertTrue(
        m.getSerializedSize() <= IdentifyReader.MAX_MESSAGE_BYTES, "" + m.getSerializedSize());
    assertTrue(m.getProtocolsCount() > 0);
    IdentifyResult parsed = result(m);
    assertEquals(key.publicKey(), parsed.publicKey());

    IdentifyProto.Identify small =
        IdentifyMessages.build("a", key.publicKey(), addrs, Optional.empty(), Set.of("/a/1"));
    assertEquals(Identify.MAX_LISTEN_ADDRESSES, small.getListenAddrsCount());
  }
}
