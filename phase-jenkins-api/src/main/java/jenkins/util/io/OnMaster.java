package jenkins.util.io;

/**
 * Compile-only stub of {@code jenkins.util.io.OnMaster} (Jenkins 2.555.3 core); declarations match
 * the real API, bodies throw.
 */
public interface OnMaster {}
