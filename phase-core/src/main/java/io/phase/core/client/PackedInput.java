package io.phase.core.client;

import io.phase.core.protocol.InputTree;
import io.phase.core.workspace.WorkspaceArchive;
import io.phase.core.workspace.WorkspaceException;
import io.phase.core.workspace.WorkspaceUnpacker;
import java.io.IOException;

/**
 * An input tree packed for the wire: its archive and what the SUBMIT says of it. The digest is
 * computed from the archive itself, with the same checker a worker runs on arrival, so both sides
 * always agree on it.
 */
record PackedInput(InputTree tree, byte[] archive) {

  /** Packs {@code mount} (refusing links, devices, fifos and sockets) within its caps. */
  static PackedInput pack(JobSpec.InputMount mount) throws WorkspaceException, IOException {
    byte[] archive =
        WorkspaceArchive.packToBytes(mount.hostDir(), mount.maxBytes(), mount.maxEntries());
    String digest = WorkspaceUnpacker.digestOf(archive, mount.maxBytes(), mount.maxEntries());
    return new PackedInput(
        new InputTree(mount.guestPath(), digest, archive.length, mount.readOnly()), archive);
  }
}
