package io.phase.core.workspace;

/** Log-safe rendering of untrusted names. */
final class Printable {
  private Printable() {}

  /** Printable ASCII only (others as {@code ?}), at most 64 chars. */
  static String of(String s) {
    StringBuilder out = new StringBuilder(Math.min(s.length(), 64));
    for (int i = 0; i < s.length() && i < 64; i++) {
      char c = s.charAt(i);
      out.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    if (s.length() > 64) {
      out.append('…');
    }
    return out.toString();
  }
}
