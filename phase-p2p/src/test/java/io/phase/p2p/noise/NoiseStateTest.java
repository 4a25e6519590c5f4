package io.phase.p2p.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class NoiseStateTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void x25519MatchesRfc7748() throws Exception {
    byte[] alicePriv =
        HEX.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    byte[] bobPriv =
        HEX.parseHex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
    X25519.KeyPair alice = X25519.fromPrivate(alicePriv);
    X25519.KeyPair bob = X25519.fromPrivate(bobPriv);
    assertEquals(
        "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
        HEX.formatHex(alice.publicKey()));
    assertEquals(
        "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f",
        HEX.formatHex(bob.publicKey()));
    String shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
    assertEquals(shared, HEX.formatHex(X25519.dh(alicePriv, bob.publicKey())));
    assertEquals(shared, HEX.formatHex(X25519.dh(bobPriv, alice.publicKey())));
  }

  @Test
  void x25519RejectsSmallOrderPoints() {
    byte[] priv = X25519.generate().privateKey();
    assertThrows(NoiseException.class, () -> X25519.dh(priv, new byte[32]));
    assertThrows(NoiseException.class, () -> X25519.dh(priv, new byte[31]));
  }

  @Test
  void generatedKeysAgree() throws Exception {
    X25519.KeyPair a = X25519.generate();
    X25519.KeyPair b = X25519.generate();
    assertArrayEquals(X25519.fromPrivate(a.privateKey()).publicKey(), a.publicKey());
    assertArrayEquals(
        X25519.dh(a.privateKey(), b.publicKey()), X25519.dh(b.privateKey(), a.publicKey()));
  }

  @Test
  void cipherStateRoundTripNonceAndTamper() throws Exception {
    byte[] key = new byte[32];
    key[0] = 1;
    CipherState enc = new CipherState();
    enc.initializeKey(key);
    CipherState dec = new CipherState();
    dec.initializeKey(key);
    byte[] ad = "ad".getBytes(StandardCharsets.UTF_8);
    byte[] c0 = enc.encryptWithAd(ad, "hello".getBytes(StandardCharsets.UTF_8));
    byte[] c1 = enc.encryptWithAd(ad, "hello".getBytes(StandardCharsets.UTF_8));
    assertEquals(5 + 16, c0.length);
    assertFalse(java.util.Arrays.equals(c0, c1), "nonce must change the ciphertext");
    assertEquals("hello", new String(dec.decryptWithAd(ad, c0), StandardCharsets.UTF_8));
    // Replaying c0 at nonce 1 fails.
    assertThrows(NoiseException.class, () -> dec.decryptWithAd(ad, c0));

    CipherState enc2 = new CipherState();
    enc2.initializeKey(key);
    CipherState dec2 = new CipherState();
    dec2.initializeKey(key);
    byte[] c = enc2.encryptWithAd(ad, new byte[100]);
    c[50] ^= 1;
    assertThrows(NoiseException.class, () -> dec2.decryptWithAd(ad, c));
  }

  @Test
  void inPlaceApiMatchesArrayApi() throws Exception {
    byte[] key = new byte[32];
    CipherState a = new CipherState();
    a.initializeKey(key);
    CipherState b = new CipherState();
    b.initializeKey(key);
    byte[] text = "in-place plaintext".getBytes(StandardCharsets.UTF_8);
    byte[] expected = a.encryptWithAd(new byte[0], text);
    byte[] buf = new byte[3 + text.length + 16];
    System.arraycopy(text, 0, buf, 3, text.length);
    assertEquals(expected.length, b.encryptInPlace(buf, 3, text.length));
    assertArrayEquals(expected, Arrays.copyOfRange(buf, 3, buf.length));
    assertEquals(1, b.nonce());
    CipherState c = new CipherState();
    c.initializeKey(key);
    assertEquals(text.length, c.decryptInPlace(buf, 3, expected.length));
    assertArrayEquals(text, Arrays.copyOfRange(buf, 3, 3 + text.length));
    assertThrows(NoiseException.class, () -> c.decryptInPlace(buf, 0, 15));
  }

  @Test
  void fullXxHandshake() throws Exception {
    X25519.KeyPair is = X25519.generate();
    X25519.KeyPair rs = X25519.generate();
    HandshakeState i = new HandshakeState(true, is, new byte[0]);
    HandshakeState r = new HandshakeState(false, rs, new byte[0]);
    byte[] m1 = i.writeMessage(new byte[0]);
    assertEquals(32, m1.length);
    assertEquals(0, r.readMessage(m1).length);
    byte[] m2 = r.writeMessage("resp".getBytes(StandardCharsets.UTF_8));
    assertEquals(32 + 48 + 4 + 16, m2.length);
    assertEquals("resp", new String(i.readMessage(m2), StandardCharsets.UTF_8));
    assertArrayEquals(rs.publicKey(), i.remoteStaticKey());
    byte[] m3 = i.writeMessage("init".getBytes(StandardCharsets.UTF_8));
    assertEquals("init", new String(r.readMessage(m3), StandardCharsets.UTF_8));
    assertArrayEquals(is.publicKey(), r.remoteStaticKey());
    assertTrue(i.isComplete());
    assertTrue(r.isComplete());
    assertArrayEquals(i.handshakeHash(), r.handshakeHash());

    CipherState[] ic = i.split();
    CipherState[] rc = r.split();
    byte[] x = ic[0].encryptWithAd(new byte[0], new byte[] {1, 2, 3});
    assertArrayEquals(new byte[] {1, 2, 3}, rc[1].decryptWithAd(new byte[0], x));
    byte[] y = rc[0].encryptWithAd(new byte[0], new byte[] {4});
    assertArrayEquals(new byte[] {4}, ic[1].decryptWithAd(new byte[0], y));
  }

  @Test
  void deterministicWithFixedKeys() throws Exception {
    X25519.KeyPair is = X25519.fromPrivate(HEX.parseHex("00".repeat(31) + "01"));
    X25519.KeyPair ie = X25519.fromPrivate(HEX.parseHex("00".repeat(31) + "02"));
    X25519.KeyPair rs = X25519.fromPrivate(HEX.parseHex("00".repeat(31) + "03"));
    X25519.KeyPair re = X25519.fromPrivate(HEX.parseHex("00".repeat(31) + "04"));
    byte[][] first = transcript(is, ie, rs, re);
    byte[][] second = transcript(is, ie, rs, re);
    for (int k = 0; k < first.length; k++) {
      assertArrayEquals(first[k], second[k]);
    }
  }

  private static byte[][] transcript(
      X25519.KeyPair is, X25519.KeyPair ie, X25519.KeyPair rs, X25519.KeyPair re) throws Exception {
    HandshakeState i = new HandshakeState(true, is, ie, new byte[0]);
    HandshakeState r = new HandshakeState(false, rs, re, new byte[0]);
    byte[] m1 = i.writeMessage(new byte[0]);
    r.readMessage(m1);
    byte[] m2 = r.writeMessage(new byte[0]);
    i.readMessage(m2);
    byte[] m3 = i.writeMessage(new byte[0]);
    r.readMessage(m3);
    return new byte[][] {m1, m2, m3, i.handshakeHash()};
  }

  @Test
  void tamperedHandshakeMessagesFail() throws Exception {
    for (int which = 2; which <= 3; which++) {
      HandshakeState i = new HandshakeState(true, X25519.generate(), new byte[0]);
      HandshakeState r = new HandshakeState(false, X25519.generate(), new byte[0]);
      r.readMessage(i.writeMessage(new byte[0]));
      byte[] m2 = r.writeMessage(new byte[0]);
      if (which == 2) {
        m2[40] ^= 0x10;
        assertThrows(NoiseException.class, () -> i.readMessage(m2));
        continue;
      }
      i.readMessage(m2);
      byte[] m3 = i.writeMessage(new byte[0]);
      m3[m3.length - 1] ^= 1;
      assertThrows(NoiseException.class, () -> r.readMessage(m3));
    }
  }

  @Test
  void truncatedHandshakeMessagesFail() throws Exception {
    HandshakeState r = new HandshakeState(false, X25519.generate(), new byte[0]);
    assertThrows(NoiseException.class, () -> r.readMessage(new byte[31]));
    HandshakeState i = new HandshakeState(true, X25519.generate(), new byte[0]);
    i.writeMessage(new byte[0]);
    assertThrows(NoiseException.class, () -> i.readMessage(new byte[95]));
  }
}
