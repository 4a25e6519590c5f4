package io.phase.core.worker;

import io.phase.core.protocol.InputTree;
import io.phase.core.workspace.ArchiveBuffer;
import io.phase.core.workspace.ArchiveSink;
import io.phase.core.workspace.WorkspaceException;
import io.phase.core.workspace.WorkspaceUnpacker;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Receives the archives of the input trees a worker lacks, back to back, as WORKSPACE_DATA brings
 * them. Each archive is buffered to its declared size, then checked with every unpacking rule and
 * its Merkle digest compared with the one offered; only then is it kept (and stored for later
 * jobs). A tree whose bytes do not match its digest refuses the upload.
 */
final class InputsSink implements ArchiveSink {
  private final List<InputTree> expected;
  private final InputTreeStore store;
  private final long maxTreeBytes;
  private final int maxTreeEntries;
  private final Map<String, byte[]> received = new LinkedHashMap<>();
  private int index;
  private ArchiveBuffer current;
  private long filled;

  InputsSink(List<InputTree> expected, InputTreeStore store, long maxTreeBytes, int maxEntries) {
    this.expected = List.copyOf(expected);
    this.store = store;
    this.maxTreeBytes = maxTreeBytes;
    this.maxTreeEntries = maxEntries;
  }

  @Override
  public void accept(byte[] chunk) throws WorkspaceException {
    int offset = 0;
    while (offset < chunk.length) {
      if (index >= expected.size()) {
        throw new WorkspaceException("input bytes beyond the missing trees' sizes");
      }
      InputTree tree = expected.get(index);
      if (current == null) {
        current = new ArchiveBuffer(tree.size());
        filled = 0;
      }
      long left = tree.size() - filled;
      int n = (int) Math.min(left, chunk.length - offset);
      current.accept(Arrays.copyOfRange(chunk, offset, offset + n));
      offset += n;
      filled += n;
      if (filled == tree.size()) {
        current.finish();
        complete(tree, current.bytes());
        current.close();
        current = null;
        index++;
      }
    }
  }

  private void complete(InputTree tree, byte[] archive) throws WorkspaceException {
    String actual;
    try {
      actual = WorkspaceUnpacker.digestOf(archive, maxTreeBytes, maxTreeEntries);
    } catch (WorkspaceException e) {
      throw new WorkspaceException("input " + tree.path() + ": " + e.getMessage(), e);
    }
    if (!actual.equals(tree.digest())) {
      throw new WorkspaceException(
          "input " + tree.path() + ": the tree's digest is " + actual + ", not " + tree.digest());
    }
    received.put(tree.digest(), archive);
    store.put(tree.digest(), archive);
  }

  @Override
  public void finish() throws WorkspaceException {
    if (index != expected.size()) {
      throw new WorkspaceException("input trees are truncated");
    }
  }

  /** The verified archives received, by digest. */
  Map<String, byte[]> received() {
    return received;
  }

  @Override
  public void close() {
    if (current != null) {
      current.close();
      current = null;
    }
  }
}
