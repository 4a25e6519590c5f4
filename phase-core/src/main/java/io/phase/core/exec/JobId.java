package io.phase.core.exec;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Job ids: 32 random bytes as 64 lowercase hex digits, as receipts carry them. */
public final class JobId {
  private static final SecureRandom RANDOM = new SecureRandom();

  private JobId() {}

  public static String random() {
    byte[] id = new byte[32];
    RANDOM.nextBytes(id);
    return HexFormat.of().formatHex(id);
  }

  public static boolean isWellFormed(String id) {
    if (id == null || id.length() != 64) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }
}
