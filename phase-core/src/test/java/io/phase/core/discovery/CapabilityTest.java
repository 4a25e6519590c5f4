package io.phase.core.discovery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CapabilityTest {
  @Test
  void keysAreTheRawStringAndItsSha256Multihash() throws Exception {
    assertEquals("/phase/capability/x86_64/wasm", Capability.name("x86_64"));
    assertArrayEquals(
        "/phase/capability/aarch64/wasm".getBytes(StandardCharsets.UTF_8),
        Capability.rawKey("aarch64"));
    byte[] mh = Capability.multihashKey("x86_64");
    assertEquals(34, mh.length);
    assertEquals(0x12, mh[0]);
    assertEquals(0x20, mh[1]);
    byte[] digest =
        MessageDigest.getInstance("SHA-256")
            .digest("/phase/capability/x86_64/wasm".getBytes(StandardCharsets.UTF_8));
    assertArrayEquals(digest, Arrays.copyOfRange(mh, 2, 34));
    assertEquals(2, Capability.keys("x86_64").size());
  }

  @Test
  void mapsJvmArchNames() {
    assertEquals(Optional.of("x86_64"), Capability.fromOsArch("amd64"));
    assertEquals(Optional.of("x86_64"), Capability.fromOsArch("x86_64"));
    assertEquals(Optional.of("aarch64"), Capability.fromOsArch("aarch64"));
    assertEquals(Optional.empty(), Capability.fromOsArch("riscv64"));
    assertThrows(IllegalArgumentException.class, () -> Capability.name("riscv64"));
    assertThrows(IllegalArgumentException.class, () -> Capability.rawKey("x86_64/../x"));
  }
}
