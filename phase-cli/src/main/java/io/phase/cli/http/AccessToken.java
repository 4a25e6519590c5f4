package io.phase.cli.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Set;

/**
 * The secret a client must present to the HTTP endpoint, read from a file only its owner can read.
 * Requests carry it as {@code Authorization: Bearer <token>} or as the password of HTTP Basic
 * authentication (any user name), which browsers prompt for. Compared in constant time; never
 * printed ({@link #toString()} hides it).
 */
public final class AccessToken {
  /** Largest token file read. */
  static final int MAX_FILE_BYTES = 4096;

  /** Shortest token accepted. */
  static final int MIN_LENGTH = 16;

  private final byte[] digest;

  private AccessToken(String token) {
    this.digest = sha256(token.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Reads the token (the file's content without surrounding white space).
   *
   * @throws IllegalArgumentException with a one-line reason: missing, unreadable, too large, group
   *     or world accessible, too short, or not printable ASCII
   */
  public static AccessToken read(Path file) {
    try {
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException("token file " + file + " is not a regular file");
      }
      if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
        Set<PosixFilePermission> perms =
            Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
        for (PosixFilePermission p : perms) {
          if (p.name().startsWith("GROUP_") || p.name().startsWith("OTHERS_")) {
            throw new IllegalArgumentException(
                "token file " + file + " is accessible by group or others: chmod 600 it");
          }
        }
      }
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new IllegalArgumentException(
            "token file " + file + " is larger than " + MAX_FILE_BYTES + " bytes");
      }
      String token = Files.readString(file, StandardCharsets.US_ASCII).strip();
      if (token.length() < MIN_LENGTH) {
        throw new IllegalArgumentException(
            "token in " + file + " is shorter than " + MIN_LENGTH + " characters");
      }
      for (int i = 0; i < token.length(); i++) {
        char c = token.charAt(i);
        if (c <= ' ' || c > '~') {
          throw new IllegalArgumentException(
              "token in " + file + " must be printable ASCII without spaces");
        }
      }
      return new AccessToken(token);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read token file " + file + ": " + e.getMessage());
    }
  }

  /** Whether an {@code Authorization} header value carries this token. */
  public boolean acceptsAuthorization(String header) {
    if (header == null || header.length() > MAX_FILE_BYTES * 2) {
      return false;
    }
    String presented = null;
    if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      presented = header.substring(7).strip();
    } else if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
      try {
        String pair =
            new String(
                Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
        int colon = pair.indexOf(':');
        presented = colon < 0 ? null : pair.substring(colon + 1);
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
    if (presented == null) {
      return false;
    }
    // Digests have one length whatever was presented: the comparison leaks neither length nor
    // the position of the first differing byte.
    return MessageDigest.isEqual(digest, sha256(presented.getBytes(StandardCharsets.UTF_8)));
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "AccessToken[hidden]";
  }
}
