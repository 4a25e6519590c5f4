package io.phase.p2p.text;

/**
 * Untrusted text (from a peer, a module, a file) made safe for one-line messages and log lines: cut
 * to a bound, and every character outside printable ASCII shown as {@code ?}, so it can neither
 * break a line nor smuggle terminal escapes.
 */
public final class PrintableText {
  /** The bound of {@link #printable(String)}. */
  public static final int DEFAULT_MAX_CHARS = 64;

  private static final String CUT = "...";

  private PrintableText() {}

  /** At most {@value #DEFAULT_MAX_CHARS} characters of printable ASCII (then {@code ...}). */
  public static String printable(String text) {
    return printable(text, DEFAULT_MAX_CHARS);
  }

  /** At most {@code maxChars} characters of printable ASCII (then {@code ...}). */
  public static String printable(String text, int maxChars) {
    return render(text, maxChars, false);
  }

  /**
   * A value for a {@code key=value} log field: like {@link #printable(String)}, and spaces and
   * quotes are shown as {@code ?} too, so the value cannot fake further fields.
   */
  public static String token(String text) {
    return render(text, DEFAULT_MAX_CHARS, true);
  }

  private static String render(String text, int maxChars, boolean token) {
    if (maxChars < 1) {
      throw new IllegalArgumentException("maxChars must be at least 1");
    }
    String s = String.valueOf(text);
    int n = Math.min(s.length(), maxChars);
    StringBuilder out = new StringBuilder(n + CUT.length());
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      boolean ok = c >= 0x20 && c < 0x7f && !(token && (c == ' ' || c == '"'));
      out.append(ok ? c : '?');
    }
    if (s.length() > maxChars) {
      out.append(CUT);
    }
    return out.toString();
  }
}
