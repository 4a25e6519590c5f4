package io.phase.core.identity;

import java.nio.file.Path;

/** A node key file could not be used: missing, unsafe permissions, wrong type or malformed. */
public final class KeyFileException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient Path path;

  public KeyFileException(Path path, String message) {
    super(path + ": " + message);
    this.path = path;
  }

  public KeyFileException(Path path, String message, Throwable cause) {
    super(path + ": " + message, cause);
    this.path = path;
  }

  /** The key file concerned. */
  public Path path() {
    return path;
  }
}
