package io.phase.core.sandbox;

import java.util.Objects;

/**
 * Where a guest's workspace comes from: a host directory (copied in, the guest's writes copied back
 * out) or a workspace archive received from a remote client (unpacked straight into the guest's
 * private file system; nothing is copied out).
 */
public sealed interface WorkspaceSource {

  /** Where the guest sees the workspace. */
  String guestPath();

  /** A host directory, copied in and out through the sandbox's copier. */
  record HostDirectory(WorkspaceMapping mapping) implements WorkspaceSource {
    public HostDirectory {
      Objects.requireNonNull(mapping, "mapping");
    }

    @Override
    public String guestPath() {
      return mapping.guestPath();
    }
  }

  /**
   * A workspace archive ({@link io.phase.core.workspace.WorkspaceArchive}), untrusted: unpacked
   * under the run's workspace caps with {@link io.phase.core.workspace.WorkspaceUnpacker}.
   */
  record Archive(byte[] bytes, String guestPath) implements WorkspaceSource {
    public Archive {
      Objects.requireNonNull(bytes, "bytes");
      WorkspaceMapping.checkGuestPath(guestPath);
    }
  }
}
