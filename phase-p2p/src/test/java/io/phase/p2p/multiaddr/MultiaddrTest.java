package io.phase.p2p.multiaddr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phase.p2p.crypto.Ed25519PrivateKey;
import io.phase.p2p.peer.PeerId;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MultiaddrTest {
  private static final HexFormat HEX = HexFormat.of();

  private static PeerId newPeer() {
    return PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
  }

  @Test
  void knownBinaryForms() {
    assertEquals(
        "047f000001060fa1", HEX.formatHex(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001").toBytes()));
    assertEquals(
        "047f000001910204d2cd03",
        HEX.formatHex(Multiaddr.parse("/ip4/127.0.0.1/udp/1234/quic-v1").toBytes()));
    assertEquals(
        "29" + "00000000000000000000000000000001" + "060050",
        HEX.formatHex(Multiaddr.parse("/ip6/::1/tcp/80").toBytes()));
    assertEquals(
        "360b6578616d706c652e636f6d060050",
        HEX.formatHex(Multiaddr.parse("/dns4/example.com/tcp/80").toBytes()));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/ip4/1.2.3.4/tcp/0",
        "/ip4/255.255.255.255/udp/65535/quic-v1",
        "/ip6/2001:db8::1/tcp/4001",
        "/ip6/::/tcp/1",
        "/dns6/node-1.example.org/tcp/443",
        "/dnsaddr/bootstrap.libp2p.io",
        "/dns/localhost/tcp/1"
      })
  void textAndBinaryRoundTrip(String text) {
    Multiaddr m = Multiaddr.parse(text);
    assertEquals(text, m.toString());
    assertEquals(m, Multiaddr.fromBytes(m.toBytes()));
    assertEquals(m.hashCode(), Multiaddr.fromBytes(m.toBytes()).hashCode());
  }

  @Test
  void ip6IsCanonicalised() {
    assertEquals(
        "/ip6/2001:db8::1/tcp/1", Multiaddr.parse("/ip6/2001:0DB8:0:0:0:0:0:1/tcp/1").toString());
    assertEquals("/ip6/1:0:1::/tcp/1", Multiaddr.parse("/ip6/1:0:1:0:0:0:0:0/tcp/1").toString());
    assertEquals("/ip6/::ffff:102:304", Multiaddr.parse("/ip6/::ffff:1.2.3.4").toString());
  }

  @Test
  void p2pComponent() {
    PeerId peer = newPeer();
    Multiaddr base = Multiaddr.parse("/ip4/10.0.0.1/tcp/4001");
    Multiaddr full = base.withP2p(peer);
    assertEquals(base + "/p2p/" + peer.toBase58(), full.toString());
    assertEquals(peer, full.peerId().orElseThrow());
    assertEquals(full, Multiaddr.parse(full.toString()));
    assertEquals(full, Multiaddr.fromBytes(full.toBytes()));
    assertSame(full, full.withP2p(peer));
    assertThrows(IllegalArgumentException.class, () -> full.withP2p(newPeer()));
    assertEquals(base, full.withoutP2p());
    assertTrue(base.peerId().isEmpty());
    assertEquals(full, Multiaddr.parse(base + "/ipfs/" + peer.toBase58()));
  }

  @Test
  void socketAddresses() {
    PeerId peer = newPeer();
    Multiaddr m = Multiaddr.parse("/ip4/127.0.0.1/tcp/4001").withP2p(peer);
    assertTrue(m.isTcp());
    assertEquals(new InetSocketAddress("127.0.0.1", 4001), m.toSocketAddress());
    assertEquals(
        Multiaddr.parse("/ip6/::1/tcp/5"),
        Multiaddr.fromSocketAddress(Multiaddr.parse("/ip6/::1/tcp/5").toSocketAddress()));
    assertFalse(Multiaddr.parse("/dns4/example.com/tcp/1").isTcp());
    assertThrows(
        IllegalArgumentException.class,
        () -> Multiaddr.parse("/ip4/1.2.3.4/udp/1/quic-v1").toSocketAddress());
  }

  @Test
  void equalityIsByValue() {
    assertEquals(Multiaddr.parse("/ip4/1.2.3.4/tcp/1"), Multiaddr.parse("/ip4/1.2.3.4/tcp/1"));
    assertNotEquals(Multiaddr.parse("/ip4/1.2.3.4/tcp/1"), Multiaddr.parse("/ip4/1.2.3.4/udp/1"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "/",
        "ip4/1.2.3.4",
        "/ip4/1.2.3.4/",
        "/ip4//tcp/1",
        "/ip4",
        "/ip4/1.2.3",
        "/ip4/1.2.3.256",
        "/ip4/01.2.3.4",
        "/ip4/1.2.3.4.5",
        "/ip4/example.com",
        "/ip6/1.2.3.4",
        "/ip6/::1%eth0",
        "/ip6/localhost",
        "/ip6/1:2:3:4:5:6:7:8:9",
        "/tcp/65536",
        "/tcp/-1",
        "/tcp/+1",
        "/tcp/01",
        "/tcp/1x",
        "/udp/",
        "/unknown/1",
        "/ip4/1.2.3.4/tcp/1/garbage",
        "/quic-v1/x",
        "/dns4/exa mple.com",
        "/dns4/",
        "/p2p/notapeer",
        "/p2p/QmInvalid0OIl"
      })
  void rejectsBadText(String text) {
    assertThrows(IllegalArgumentException.class, () -> Multiaddr.parse(text));
  }

  @Test
  void rejectsOversize() {
    assertThrows(
        IllegalArgumentException.class, () -> Multiaddr.parse("/dns4/" + "a".repeat(2000)));
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 210; i++) {
      sb.append("/ip4/1.2.3.4"); // 5 bytes each: 1050 bytes, over the binary cap
    }
    assertThrows(IllegalArgumentException.class, () -> Multiaddr.parse(sb.toString()));
    assertThrows(
        IllegalArgumentException.class,
        () -> Multiaddr.parse("/ip4/1.2.3.4" + "/".repeat(Multiaddr.MAX_TEXT_LENGTH)));
    assertThrows(IllegalArgumentException.class, () -> Multiaddr.fromBytes(new byte[1025]));
  }

  @Test
  void rejectsBadBinary() {
    // unknown code
    assertThrows(IllegalArgumentException.class, () -> Multiaddr.fromBytes(HEX.parseHex("7f")));
    // truncated ip4
    assertThrows(IllegalArgumentException.class, () -> Multiaddr.fromBytes(HEX.parseHex("047f00")));
    // trailing partial component
    assertThrows(
        IllegalArgumentException.class, () -> Multiaddr.fromBytes(HEX.parseHex("047f00000106")));
    // length prefix beyond the end
    assertThrows(
        IllegalArgumentException.class, () -> Multiaddr.fromBytes(HEX.parseHex("36ff0161")));
    // non-minimal varint code
    assertThrows(
        IllegalArgumentException.class, () -> Multiaddr.fromBytes(HEX.parseHex("84007f000001")));
    // bad dns bytes
    assertThrows(IllegalArgumentException.class, () -> Multiaddr.fromBytes(HEX.parseHex("36012f")));
    // garbage p2p
    assertThrows(
        IllegalArgumentException.class, () -> Multiaddr.fromBytes(HEX.parseHex("a50303010203")));
    assertThrows(IllegalArgumentException.class, () -> Multiaddr.fromBytes(new byte[0]));
  }

  @Test
  void binaryRejectsAndRoundTripsBytes() {
    byte[] bytes = Multiaddr.parse("/ip4/1.2.3.4/tcp/1").toBytes();
    assertArrayEquals(bytes, Multiaddr.fromBytes(bytes).toBytes());
  }
}
