package io.phase.p2p.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class Curve25519ImplementationTest {
  @Test
  void defaultIsOwn() {
    assertEquals(Curve25519Implementation.OWN, Curve25519Implementation.select(null));
    assertEquals(Curve25519Implementation.OWN, Curve25519Implementation.select(" "));
  }

  @Test
  void namedValues() {
    assertEquals(Curve25519Implementation.JDK, Curve25519Implementation.select("JDK"));
    assertEquals(Curve25519Implementation.OWN, Curve25519Implementation.select(" own "));
  }

  @Test
  void rejectsOtherValues() {
    assertThrows(IllegalArgumentException.class, () -> Curve25519Implementation.select("fast"));
  }
}
