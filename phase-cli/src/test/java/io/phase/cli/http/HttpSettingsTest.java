package io.phase.cli.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpSettingsTest {
  @TempDir Path dir;

  @Test
  void loopbackNeedsNoTokenAnythingElseDoes() throws Exception {
    assertEquals(9464, HttpSettings.of("127.0.0.1:9464", Optional.empty()).bind().getPort());
    assertTrue(
        HttpSettings.of("localhost:0", Optional.empty()).bind().getAddress().isLoopbackAddress());
    assertTrue(
        HttpSettings.of("[::1]:9464", Optional.empty()).bind().getAddress().isLoopbackAddress());
    assertEquals(
        "--http on a non-loopback address (0.0.0.0) needs --http-token FILE",
        assertThrows(
                IllegalArgumentException.class,
                () -> HttpSettings.of("0.0.0.0:9464", Optional.empty()))
            .getMessage());
    Path f = dir.resolve("t");
    Files.writeString(f, AccessTokenTest.SECRET);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    assertTrue(
        HttpSettings.of("0.0.0.0:9464", Optional.of(AccessToken.read(f))).token().isPresent());
  }

  @Test
  void refusesMalformedAddressesWithoutResolvingNames() {
    for (String bad :
        new String[] {
          "9464", ":9464", "127.0.0.1:", "127.0.0.1:x", "127.0.0.1:70000", "example.com:80"
        }) {
      assertThrows(
          IllegalArgumentException.class, () -> HttpSettings.of(bad, Optional.empty()), bad);
    }
  }

  @Test
  void loopbackHostHeaderCheck() {
    assertTrue(LoopbackHost.allowed("127.0.0.1"));
    assertTrue(LoopbackHost.allowed("127.0.0.1:9464"));
    assertTrue(LoopbackHost.allowed("localhost:9464"));
    assertTrue(LoopbackHost.allowed("[::1]:9464"));
    assertFalse(LoopbackHost.allowed(null));
    assertFalse(LoopbackHost.allowed("evil.example"));
    assertFalse(LoopbackHost.allowed("127.0.0.1.evil.example"));
    assertFalse(LoopbackHost.allowed("localhost.evil.example:9464"));
    assertFalse(LoopbackHost.allowed("10.0.0.1:9464"));
  }
}
