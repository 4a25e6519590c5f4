package io.phase.core.sandbox;

import java.util.Objects;

/**
 * One guest mount and where its files come from: a host directory (copied in, the guest's writes
 * copied back out unless read-only) or a workspace archive received from a remote client (unpacked
 * straight into the guest's private file system; nothing is copied out). A read-only mount refuses
 * every write inside the guest with {@code EROFS}.
 */
public sealed interface WorkspaceSource {

  /** Where the guest sees the files. */
  String guestPath();

  /** True when the guest may not change anything under {@link #guestPath()}. */
  boolean readOnly();

  /** A host directory, copied in and out through the sandbox's copier. */
  record HostDirectory(WorkspaceMapping mapping) implements WorkspaceSource {
    public HostDirectory {
      Objects.requireNonNull(mapping, "mapping");
    }

    @Override
    public String guestPath() {
      return mapping.guestPath();
    }

    @Override
    public boolean readOnly() {
      return mapping.readOnly();
    }
  }

  /**
   * A workspace archive ({@link io.phase.core.workspace.WorkspaceArchive}), untrusted: unpacked
   * under the run's workspace caps with {@link io.phase.core.workspace.WorkspaceUnpacker}.
   */
  record Archive(byte[] bytes, String guestPath, boolean readOnly) implements WorkspaceSource {
    public Archive {
      Objects.requireNonNull(bytes, "bytes");
      WorkspaceMapping.checkGuestPath(guestPath);
    }

    /** A read-write archive mount. */
    public Archive(byte[] bytes, String guestPath) {
      this(bytes, guestPath, false);
    }
  }
}
