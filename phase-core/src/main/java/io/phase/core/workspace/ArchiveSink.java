package io.phase.core.workspace;

/**
 * Where the bytes of an incoming workspace archive go, as they arrive: a {@link WorkspaceUnpacker}
 * (straight into a file system) or an {@link ArchiveBuffer} (held for the sandbox to unpack).
 */
public interface ArchiveSink extends AutoCloseable {
  /**
   * Takes the next bytes of the archive.
   *
   * @throws WorkspaceException if they break a rule or a cap
   */
  void accept(byte[] chunk) throws WorkspaceException;

  /**
   * Called when the declared archive size has been fed.
   *
   * @throws WorkspaceException if the archive is incomplete
   */
  void finish() throws WorkspaceException;

  /** Releases what the sink holds open; idempotent. */
  @Override
  void close();
}
