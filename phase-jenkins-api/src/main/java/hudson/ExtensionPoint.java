package hudson;

/**
 * Compile-only stub of {@code hudson.ExtensionPoint} (Jenkins 2.555.3 core); declarations match the
 * real API, bodies throw.
 */
public interface ExtensionPoint {}
