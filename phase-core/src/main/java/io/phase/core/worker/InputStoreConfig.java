package io.phase.core.worker;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where and how much a worker keeps of the input trees clients send (see {@link InputTreeStore}).
 *
 * @param dir the store's directory; null for a fresh temporary directory removed when the worker
 *     stops
 * @param maxEntries most trees held
 * @param maxBytes most bytes of tree archives held
 */
public record InputStoreConfig(Path dir, int maxEntries, long maxBytes) {

  /** Default bound on the store: 1 GiB. */
  public static final long DEFAULT_BYTES = 1L << 30;

  /** Default bound on the number of trees held. */
  public static final int DEFAULT_ENTRIES = 1024;

  public InputStoreConfig {
    if (maxEntries < 0 || maxBytes < 0) {
      throw new IllegalArgumentException("input store bounds must not be negative");
    }
  }

  /** A store in {@code dir} with the default bounds. */
  public static InputStoreConfig at(Path dir) {
    return new InputStoreConfig(Objects.requireNonNull(dir, "dir"), DEFAULT_ENTRIES, DEFAULT_BYTES);
  }

  /** A temporary store (removed when the worker stops) with the default bounds. */
  public static InputStoreConfig temporary() {
    return new InputStoreConfig(null, DEFAULT_ENTRIES, DEFAULT_BYTES);
  }

  /**
   * The default directory: {@code $XDG_CACHE_HOME/phase/inputs} or {@code ~/.cache/phase/inputs}.
   */
  public static Path defaultDir() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("phase").resolve("inputs");
  }
}
