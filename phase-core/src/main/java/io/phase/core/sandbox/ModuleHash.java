package io.phase.core.sandbox;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The identity of a module: {@code sha256:<64 lowercase hex>} of its bytes. */
public final class ModuleHash {
  public static final String PREFIX = "sha256:";

  private ModuleHash() {}

  public static String of(byte[] moduleBytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(moduleBytes);
      return PREFIX + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /** True for a well-formed {@code sha256:<64 lowercase hex>} string. */
  public static boolean isWellFormed(String hash) {
    if (hash == null || hash.length() != PREFIX.length() + 64 || !hash.startsWith(PREFIX)) {
      return false;
    }
    for (int i = PREFIX.length(); i < hash.length(); i++) {
      char c = hash.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }
}
