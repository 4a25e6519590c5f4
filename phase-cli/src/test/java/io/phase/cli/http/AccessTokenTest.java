package io.phase.cli.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessTokenTest {
  static final String SECRET = "0123456789abcdef-secret";

  @TempDir Path dir;

  private Path file(String content, String perms) throws Exception {
    Path f = dir.resolve("token");
    Files.writeString(f, content);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(perms));
    return f;
  }

  @Test
  void acceptsBearerAndBasicPasswordOnlyWithTheExactToken() throws Exception {
    AccessToken t = AccessToken.read(file("  " + SECRET + "\n", "rw-------"));
    assertTrue(t.acceptsAuthorization("Bearer " + SECRET));
    assertTrue(t.acceptsAuthorization("bearer " + SECRET));
    assertTrue(t.acceptsAuthorization("Basic " + basic("anyone:" + SECRET)));
    assertTrue(t.acceptsAuthorization("Basic " + basic(":" + SECRET)));
    assertFalse(t.acceptsAuthorization(null));
    assertFalse(t.acceptsAuthorization(""));
    assertFalse(t.acceptsAuthorization(SECRET));
    assertFalse(t.acceptsAuthorization("Bearer " + SECRET + "x"));
    assertFalse(t.acceptsAuthorization("Bearer " + SECRET.substring(1)));
    assertFalse(t.acceptsAuthorization("Basic " + basic(SECRET)));
    assertFalse(t.acceptsAuthorization("Basic !!!not-base64"));
    assertFalse(t.acceptsAuthorization("Bearer " + "x".repeat(100_000)));
    assertFalse(t.toString().contains(SECRET));
  }

  @Test
  void refusesFilesOthersCanReadShortTokensAndLargeFiles() throws Exception {
    assertEquals(
        "token file " + dir.resolve("token") + " is accessible by group or others: chmod 600 it",
        assertThrows(
                IllegalArgumentException.class, () -> AccessToken.read(file(SECRET, "rw-r-----")))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> AccessToken.read(file(SECRET, "rw----r--")));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class, () -> AccessToken.read(file("short", "rw-------")))
            .getMessage()
            .contains("shorter than 16"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> AccessToken.read(file(SECRET + " with space", "rw-------")))
            .getMessage()
            .contains("printable ASCII"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> AccessToken.read(file("a".repeat(5000), "rw-------")))
            .getMessage()
            .contains("larger than"));
    assertThrows(IllegalArgumentException.class, () -> AccessToken.read(dir.resolve("missing")));
  }

  private static String basic(String pair) {
    return Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }
}
