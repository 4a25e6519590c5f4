package io.phase.p2p.errors;

/**
 * The one message worth showing from an exception chain, for log lines: the root cause's message
 * without the class chain ({@code CompletionException: java.io.IOException: refused} reads {@code
 * refused}), or its simple class name when it has none. Shared by every module.
 */
public final class Causes {
  private Causes() {}

  /** The innermost cause of {@code t} (following at most 32 links, cycles included). */
  public static Throwable root(Throwable t) {
    Throwable root = t;
    for (int i = 0; i < 32 && root.getCause() != null && root.getCause() != root; i++) {
      root = root.getCause();
    }
    return root;
  }

  /** The root cause's message, or its simple class name when it has no message. */
  public static String rootMessage(Throwable t) {
    if (t == null) {
      return "unknown";
    }
    Throwable root = root(t);
    String message = root.getMessage();
    return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
  }
}
