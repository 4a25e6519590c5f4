package io.phase.core.concurrent;

/** Turns exception chains into the one message worth showing. */
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

  /**
   * The root cause's message without the class chain ({@code CompletionException: x.Y: msg} reads
   * {@code msg}); its simple class name when it has no message.
   */
  public static String rootMessage(Throwable t) {
    Throwable root = root(t);
    String message = root.getMessage();
    return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
  }
}
