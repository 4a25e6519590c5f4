package io.phase.p2p.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.phase.p2p.crypto.Curve25519Implementation;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Noise's X25519 gives the same keys, secrets and refusals on both implementations. */
class X25519ImplementationTest {

  private static final Curve25519Implementation OWN = Curve25519Implementation.OWN;
  private static final Curve25519Implementation JDK = Curve25519Implementation.JDK;

  @Test
  void keysAndSecretsAgree() throws NoiseException {
    Random random = new Random(42);
    for (int i = 0; i < 200; i++) {
      X25519.KeyPair ours = X25519.generate(OWN);
      X25519.KeyPair theirs = X25519.generate(JDK);
      assertArrayEquals(X25519.fromPrivate(ours.privateKey(), JDK).publicKey(), ours.publicKey());
      assertArrayEquals(
          X25519.fromPrivate(theirs.privateKey(), OWN).publicKey(), theirs.publicKey());
      byte[] secret = X25519.dh(ours.privateKey(), theirs.publicKey(), OWN);
      assertArrayEquals(X25519.dh(theirs.privateKey(), ours.publicKey(), JDK), secret);
      assertArrayEquals(X25519.dh(ours.privateKey(), theirs.publicKey(), JDK), secret);
      byte[] u = new byte[32];
      random.nextBytes(u);
      assertArrayEquals(X25519.dh(ours.privateKey(), u, JDK), X25519.dh(ours.privateKey(), u, OWN));
    }
  }

  @Test
  void smallOrderPeerKeysAreRefusedByBoth() {
    X25519.KeyPair pair = X25519.generate(OWN);
    byte[] zero = new byte[32];
    byte[] one = new byte[32];
    one[0] = 1;
    for (byte[] u : new byte[][] {zero, one}) {
      for (Curve25519Implementation impl : Curve25519Implementation.values()) {
        assertThrows(NoiseException.class, () -> X25519.dh(pair.privateKey(), u, impl));
      }
    }
    for (Curve25519Implementation impl : Curve25519Implementation.values()) {
      assertThrows(NoiseException.class, () -> X25519.dh(pair.privateKey(), new byte[31], impl));
      assertThrows(
          IllegalArgumentException.class, () -> X25519.dh(new byte[31], new byte[32], impl));
      assertThrows(IllegalArgumentException.class, () -> X25519.fromPrivate(new byte[33], impl));
    }
  }
}
