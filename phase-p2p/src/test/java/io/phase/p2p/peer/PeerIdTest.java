package io.phase.p2p.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.phase.p2p.crypto.Ed25519PrivateKey;
import io.phase.p2p.crypto.Ed25519PublicKey;
import io.phase.p2p.multiformats.Base58;
import io.phase.p2p.multiformats.Multibase;
import io.phase.p2p.multiformats.Multihash;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PeerIdTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final Ed25519PublicKey SPEC_KEY =
      Ed25519PublicKey.fromRaw(
          HEX.parseHex("1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e"));
  private static final String SPEC_PEER_ID = "12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq";

  @Test
  void specEd25519Vector() {
    PeerId id = PeerId.fromPublicKey(SPEC_KEY);
    assertEquals(SPEC_PEER_ID, id.toString());
    assertEquals(38, id.toBytes().length);
    assertArrayEquals(
        HEX.parseHex(
            "0024080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e"),
        id.toBytes());
    PeerId parsed = PeerId.parse(SPEC_PEER_ID);
    assertEquals(id, parsed);
    assertEquals(id.hashCode(), parsed.hashCode());
    assertEquals(SPEC_KEY, parsed.publicKey().orElseThrow());
    assertTrue(parsed.matches(SPEC_KEY));
  }

  @Test
  void cidFormRoundTrips() {
    PeerId id = PeerId.fromPublicKey(SPEC_KEY);
    String cid = id.toCidString();
    assertTrue(cid.startsWith("bafz"), cid);
    assertEquals(id, PeerId.parse(cid));
    byte[] raw = Multibase.decode(cid);
    assertEquals(1, raw[0]);
    assertEquals(0x72, raw[1]);
  }

  @Test
  void specSha256Vectors() {
    PeerId base58 = PeerId.parse("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N");
    PeerId cid = PeerId.parse("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe");
    assertEquals(base58, cid);
    assertEquals(
        "bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe", base58.toCidString());
    assertTrue(base58.publicKey().isEmpty());
    assertEquals("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N", cid.toBase58());
  }

  @Test
  void generatedKeysStartWith12D3KooW() {
    for (int i = 0; i < 20; i++) {
      Ed25519PrivateKey key = Ed25519PrivateKey.generate();
      PeerId id = PeerId.fromPublicKey(key.publicKey());
      assertTrue(id.toString().startsWith("12D3KooW"), id.toString());
      assertEquals(id, PeerId.fromBytes(id.toBytes()));
      assertEquals(id, PeerId.parse(id.toCidString()));
      assertNotEquals(id, PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey()));
    }
  }

  @Test
  void rejectsInvalid() {
    assertThrows(IllegalArgumentException.class, () -> PeerId.parse(""));
    assertThrows(IllegalArgumentException.class, () -> PeerId.parse("12D3KooW0"));
    assertThrows(IllegalArgumentException.class, () -> PeerId.parse("x" + SPEC_PEER_ID));
    assertThrows(IllegalArgumentException.class, () -> PeerId.parse(SPEC_PEER_ID + "1"));
    assertThrows(IllegalArgumentException.class, () -> PeerId.parse("1".repeat(200)));
    // Identity multihash holding a secp256k1 key: rejected with a clear message.
    byte[] secp = new byte[2 + 37];
    secp[0] = 0;
    secp[1] = 37;
    secp[2] = 0x08;
    secp[3] = 0x02;
    secp[4] = 0x12;
    secp[5] = 33;
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PeerId.fromBytes(secp));
    assertTrue(e.getMessage().contains("Secp256k1"), e.getMessage());
    // Identity multihash longer than 42 bytes.
    assertThrows(
        IllegalArgumentException.class,
        () -> PeerId.fromBytes(Multihash.identity(new byte[43]).toBytes()));
    // Wrong CID codec (dag-pb 0x70) and wrong CID version.
    byte[] mh = PeerId.fromPublicKey(SPEC_KEY).toBytes();
    byte[] dagPb = new byte[mh.length + 2];
    dagPb[0] = 1;
    dagPb[1] = 0x70;
    System.arraycopy(mh, 0, dagPb, 2, mh.length);
    e =
        assertThrows(
            IllegalArgumentException.class, () -> PeerId.parse(Multibase.encodeBase32(dagPb)));
    assertTrue(e.getMessage().contains("libp2p-key"), e.getMessage());
    dagPb[0] = 2;
    dagPb[1] = 0x72;
    assertThrows(IllegalArgumentException.class, () -> PeerId.parse(Multibase.encodeBase32(dagPb)));
    // Unsupported multihash code.
    byte[] md5ish = HEX.parseHex("d50110" + "00".repeat(16));
    assertThrows(IllegalArgumentException.class, () -> PeerId.parse(Base58.encode(md5ish)));
  }
}
