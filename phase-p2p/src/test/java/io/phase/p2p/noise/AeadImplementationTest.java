package io.phase.p2p.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AeadImplementationTest {
  @Test
  void autoTakesOursBeforeJdk20AndTheJdksFrom20On() {
    assertEquals(AeadImplementation.OWN, AeadImplementation.select(null, 17));
    assertEquals(AeadImplementation.OWN, AeadImplementation.select("auto", 19));
    assertEquals(AeadImplementation.JDK, AeadImplementation.select(null, 20));
    assertEquals(AeadImplementation.JDK, AeadImplementation.select(" ", 25));
  }

  @Test
  void operatorsCanForceEither() {
    assertEquals(AeadImplementation.JDK, AeadImplementation.select("jdk", 17));
    assertEquals(AeadImplementation.OWN, AeadImplementation.select("OWN", 25));
    assertThrows(IllegalArgumentException.class, () -> AeadImplementation.select("openssl", 17));
  }

  @Test
  void cipherStatesOfBothImplementationsTalkToEachOther() throws Exception {
    byte[] key = new byte[32];
    key[31] = 7;
    CipherState own = new CipherState(AeadImplementation.OWN);
    CipherState jdk = new CipherState(AeadImplementation.JDK);
    own.initializeKey(key);
    jdk.initializeKey(key);
    byte[] ad = "h".getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < 5; i++) {
      byte[] message = ("message " + i).getBytes(StandardCharsets.UTF_8);
      byte[] sealed = i % 2 == 0 ? own.encryptWithAd(ad, message) : jdk.encryptWithAd(ad, message);
      byte[] opened = i % 2 == 0 ? jdk.decryptWithAd(ad, sealed) : own.decryptWithAd(ad, sealed);
      assertArrayEquals(message, opened);
    }
    assertEquals(5, own.nonce());
    assertEquals(5, jdk.nonce());
  }
}
