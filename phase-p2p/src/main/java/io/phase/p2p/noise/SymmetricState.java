package io.phase.p2p.noise;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Noise SymmetricState over SHA-256: chaining key, handshake hash and a CipherState. */
final class SymmetricState {
  static final int HASH_LENGTH = 32;

  private final CipherState cipher = new CipherState();
  private byte[] ck;
  private byte[] h;

  SymmetricState(String protocolName) {
    byte[] name = protocolName.getBytes(StandardCharsets.US_ASCII);
    h = name.length <= HASH_LENGTH ? Arrays.copyOf(name, HASH_LENGTH) : sha256(name);
    ck = h.clone();
  }

  void mixKey(byte[] inputKeyMaterial) {
    byte[][] out = hkdf(ck, inputKeyMaterial, 2);
    ck = out[0];
    cipher.initializeKey(out[1]);
  }

  void mixHash(byte[] data) {
    h = sha256(h, data);
  }

  byte[] encryptAndHash(byte[] plaintext) {
    byte[] ciphertext = cipher.encryptWithAd(h, plaintext);
    mixHash(ciphertext);
    return ciphertext;
  }

  byte[] decryptAndHash(byte[] ciphertext) throws NoiseException {
    byte[] plaintext = cipher.decryptWithAd(h, ciphertext);
    mixHash(ciphertext);
    return plaintext;
  }

  boolean hasKey() {
    return cipher.hasKey();
  }

  byte[] handshakeHash() {
    return h.clone();
  }

  /** Returns the two transport cipher states (initiator-to-responder first). */
  CipherState[] split() {
    byte[][] out = hkdf(ck, new byte[0], 2);
    CipherState c1 = new CipherState();
    c1.initializeKey(out[0]);
    CipherState c2 = new CipherState();
    c2.initializeKey(out[1]);
    return new CipherState[] {c1, c2};
  }

  static byte[] sha256(byte[]... parts) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (byte[] p : parts) {
        digest.update(p);
      }
      return digest.digest();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  /** HKDF as defined by Noise (HMAC-SHA256 based), producing 2 or 3 outputs. */
  static byte[][] hkdf(byte[] chainingKey, byte[] inputKeyMaterial, int outputs) {
    byte[] tempKey = hmac(chainingKey, inputKeyMaterial);
    byte[][] out = new byte[outputs][];
    byte[] previous = new byte[0];
    for (int i = 0; i < outputs; i++) {
      byte[] input = Arrays.copyOf(previous, previous.length + 1);
      input[previous.length] = (byte) (i + 1);
      previous = hmac(tempKey, input);
      out[i] = previous;
    }
    return out;
  }

  static byte[] hmac(byte[] key, byte[] data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 unavailable", e);
    }
  }
}
