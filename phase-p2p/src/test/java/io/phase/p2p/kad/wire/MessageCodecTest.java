package io.phase.p2p.kad.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.phase.p2p.kad.TestPeers;
import io.phase.p2p.kad.pb.KadProto;
import io.phase.p2p.kad.routing.PeerInfo;
import io.phase.p2p.multiaddr.Multiaddr;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageCodecTest {

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static KadMessage roundTrip(KadMessage m) throws KadMessageException {
    return MessageCodec.decode(MessageCodec.encode(m));
  }

  @Test
  void wireBytesOfFindNodeMatchTheProtobufLayout() {
    // field 1 (type) varint 4, field 2 (key) length 3 "abc"
    assertArrayEquals(
        HexFormat.of().parseHex("0804" + "1203616263"),
        MessageCodec.encode(KadMessage.findNode(utf8("abc"))));
    // PUT_VALUE is enum 0, the proto3 default, so it is omitted on the wire.
    byte[] put = MessageCodec.encode(KadMessage.putValue(KadRecord.of(utf8("/a/b"), utf8("v"))));
    assertEquals(0x12, put[0]);
  }

  @Test
  void framedEncodingHasVarintLengthPrefix() {
    byte[] body = MessageCodec.encode(KadMessage.ping());
    byte[] framed = MessageCodec.encodeFramed(KadMessage.ping());
    assertEquals(body.length, framed[0]);
    assertEquals(body.length + 1, framed.length);
    KadMessage big =
        new KadMessage(
            KadMessage.Type.GET_VALUE,
            utf8("/v/k"),
            KadRecord.of(utf8("/v/k"), new byte[300]),
            List.of(),
            List.of());
    byte[] f = MessageCodec.encodeFramed(big);
    int len = (f[0] & 0x7f) | ((f[1] & 0x7f) << 7);
    assertTrue((f[0] & 0x80) != 0);
    assertEquals(f.length - 2, len);
  }

  @Test
  void allTypesRoundTrip() throws Exception {
    PeerInfo p1 =
        new PeerInfo(
            TestPeers.peer(1),
            List.of(
                Multiaddr.parse("/ip4/1.2.3.4/tcp/4001"),
                Multiaddr.parse("/ip6/2001:db8::1/udp/4001/quic-v1")));
    PeerInfo p2 = PeerInfo.of(TestPeers.peer(2));
    for (KadMessage m :
        List.of(
            KadMessage.findNode(TestPeers.peer(3).toBytes()),
            KadMessage.getProviders(utf8("/phase/capability/x86_64/chicory")),
            KadMessage.addProvider(utf8("k"), p1),
            KadMessage.getValue(utf8("/pk/x")),
            KadMessage.putValue(new KadRecord(utf8("/a/b"), utf8("val"), "2026-01-01T00:00:00Z")),
            KadMessage.ping(),
            new KadMessage(
                KadMessage.Type.GET_PROVIDERS, utf8("k"), null, List.of(p1, p2), List.of(p2)))) {
      KadMessage back = roundTrip(m);
      assertEquals(m, back);
      assertEquals(m.hashCode(), back.hashCode());
    }
    assertNull(roundTrip(KadMessage.ping()).record());
  }

  @Test
  void unknownMultiaddrProtocolsAreSkippedNotFatal() throws Exception {
    byte[] unknown = HexFormat.of().parseHex("fe0301"); // unassigned protocol code
    KadProto.Message pm =
        KadProto.Message.newBuilder()
            .setTypeValue(4)
            .addCloserPeers(
                KadProto.Message.Peer.newBuilder()
                    .setId(ByteString.copyFrom(TestPeers.peer(1).toBytes()))
                    .addAddrs(ByteString.copyFrom(unknown))
                    .addAddrs(ByteString.copyFrom(TestPeers.addr(1).toBytes()))
                    .setConnectionValue(1))
            .build();
    KadMessage m = MessageCodec.decode(pm.toByteArray());
    assertEquals(List.of(TestPeers.addr(1)), m.closerPeers().get(0).addrs());
  }

  private static KadProto.Message.Peer.Builder peer(int n) {
    return KadProto.Message.Peer.newBuilder()
        .setId(ByteString.copyFrom(TestPeers.peer(n).toBytes()));
  }

  private static void assertRejected(KadProto.Message.Builder b, String fragment) {
    KadMessageException e =
        assertThrows(KadMessageException.class, () -> MessageCodec.decode(b.build().toByteArray()));
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }

  @Test
  void hostileMessagesAreRejected() {
    assertRejected(KadProto.Message.newBuilder().setTypeValue(6), "unknown kad message type");
    assertRejected(KadProto.Message.newBuilder().setTypeValue(-1), "unknown kad message type");
    assertRejected(
        KadProto.Message.newBuilder().setKey(ByteString.copyFrom(new byte[257])), "key 257");
    KadProto.Message.Builder many = KadProto.Message.newBuilder().setTypeValue(4);
    for (int i = 0; i < 33; i++) {
      many.addCloserPeers(peer(1));
    }
    assertRejected(many, "closerPeers");
    KadProto.Message.Builder providers = KadProto.Message.newBuilder().setTypeValue(3);
    for (int i = 0; i < 65; i++) {
      providers.addProviderPeers(peer(1));
    }
    assertRejected(providers, "providerPeers");
    KadProto.Message.Peer.Builder addrs = peer(1);
    for (int i = 0; i < 17; i++) {
      addrs.addAddrs(ByteString.copyFrom(TestPeers.addr(i).toBytes()));
    }
    assertRejected(KadProto.Message.newBuilder().addCloserPeers(addrs), "addrs, max 16");
    assertRejected(
        KadProto.Message.newBuilder()
            .addCloserPeers(peer(1).addAddrs(ByteString.copyFrom(new byte[257]))),
        "address 257");
    assertRejected(
        KadProto.Message.newBuilder()
            .addCloserPeers(
                KadProto.Message.Peer.newBuilder().setId(ByteString.copyFromUtf8("garbage"))),
        "bad peer id");
    assertRejected(
        KadProto.Message.newBuilder()
            .addCloserPeers(
                KadProto.Message.Peer.newBuilder().setId(ByteString.copyFrom(new byte[65]))),
        "peer id 65");
    assertRejected(
        KadProto.Message.newBuilder()
            .setRecord(KadProto.Record.newBuilder().setValue(ByteString.copyFrom(new byte[32769]))),
        "record value");
    assertRejected(
        KadProto.Message.newBuilder()
            .setRecord(KadProto.Record.newBuilder().setKey(ByteString.copyFrom(new byte[300]))),
        "record key");
    assertRejected(
        KadProto.Message.newBuilder()
            .setRecord(KadProto.Record.newBuilder().setTimeReceived("x".repeat(65))),
        "timeReceived");
  }

  @Test
  void garbageAndOversizeAreRejected() {
    assertThrows(
        KadMessageException.class, () -> MessageCodec.decode(new byte[] {(byte) 0xff, 0x01}));
    assertThrows(KadMessageException.class, () -> MessageCodec.decode(new byte[] {0x12, 0x05, 1}));
    assertThrows(
        KadMessageException.class,
        () -> MessageCodec.decode(new byte[MessageCodec.MAX_MESSAGE_BYTES + 1]));
  }

  @Test
  void encoderRefusesWhatDecoderWouldRefuse() {
    List<PeerInfo> peers = new ArrayList<>();
    for (int i = 0; i < 33; i++) {
      peers.add(PeerInfo.of(TestPeers.peer(i)));
    }
    assertThrows(
        IllegalArgumentException.class,
        () ->
            MessageCodec.encode(
                new KadMessage(KadMessage.Type.FIND_NODE, new byte[0], null, peers, List.of())));
    assertThrows(
        IllegalArgumentException.class,
        () -> MessageCodec.encode(KadMessage.findNode(new byte[257])));
    assertThrows(
        IllegalArgumentException.class,
        () -> MessageCodec.encode(KadMessage.putValue(KadRecord.of(utf8("k"), new byte[40000]))));
    List<Multiaddr> addrs = new ArrayList<>();
    for (int i = 0; i < 17; i++) {
      addrs.add(TestPeers.addr(i));
    }
    assertThrows(
        IllegalArgumentException.class,
        () ->
            MessageCodec.encode(
                KadMessage.addProvider(utf8("k"), new PeerInfo(TestPeers.peer(1), addrs))));
  }
}
