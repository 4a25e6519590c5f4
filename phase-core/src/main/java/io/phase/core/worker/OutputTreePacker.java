package io.phase.core.worker;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import io.phase.core.receipt.OutcomeKind;
import io.phase.core.receipt.WasmResult;
import io.phase.core.sandbox.SandboxResult;
import io.phase.core.sandbox.WorkspaceMapping;
import io.phase.core.sandbox.WorkspaceReport;
import io.phase.core.workspace.WorkspaceArchive;
import io.phase.core.workspace.WorkspaceException;
import io.phase.core.workspace.WorkspaceUnpacker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * The output trees one remote job returns ({@code phase run --out}): the sandbox copies each
 * requested guest directory, with its link-refusing capped copier, into this packer's private
 * in-memory file system; after the run {@link #pack} packs each into a workspace archive (refusing
 * links, devices and anything over the job's workspace caps, all trees together) and computes its
 * Merkle digest with the same checker a client runs. The archives travel back to back as
 * OUTPUT_TREE frames; the receipt names each tree's path, digest and archive size.
 */
final class OutputTreePacker implements AutoCloseable {
  private final List<String> paths;
  private final long maxBytes;
  private final int maxEntries;
  private final FileSystem staging;
  private final List<WorkspaceMapping> mappings = new ArrayList<>();
  private volatile byte[] archives = new byte[0];

  OutputTreePacker(List<String> paths, long maxBytes, int maxEntries) {
    this.paths = List.copyOf(paths);
    this.maxBytes = maxBytes;
    this.maxEntries = maxEntries;
    this.staging = Jimfs.newFileSystem(Configuration.unix());
    for (int i = 0; i < this.paths.size(); i++) {
      mappings.add(new WorkspaceMapping(staging.getPath("/out/" + i), this.paths.get(i)));
    }
  }

  /** Where the sandbox copies each requested guest directory. */
  List<WorkspaceMapping> mappings() {
    return mappings;
  }

  /**
   * Packs the copied trees of a finished run. A cancelled run or an invalid module returns none
   * (nothing ran to produce them).
   *
   * @throws CompletionException wrapping a {@link WorkspaceException} that names the first refused
   *     output (the worker reports it as {@code bad_workspace})
   */
  List<WasmResult.OutputTree> pack(SandboxResult result) {
    try {
      return packChecked(result);
    } catch (WorkspaceException e) {
      throw new CompletionException(e);
    } catch (IOException e) {
      throw new CompletionException(
          new WorkspaceException("output trees: cannot pack: " + e.getMessage(), e));
    }
  }

  private List<WasmResult.OutputTree> packChecked(SandboxResult result)
      throws WorkspaceException, IOException {
    OutcomeKind kind = result.outcome().kind();
    if (kind == OutcomeKind.CANCELLED || kind == OutcomeKind.INVALID_MODULE) {
      return List.of();
    }
    WorkspaceReport report = result.workspace().orElse(null);
    if (report == null) {
      throw new WorkspaceException("output trees: the guest had no file system");
    }
    if (report.copyOutError() != null) {
      throw new WorkspaceException("output trees refused: " + report.copyOutError());
    }
    List<WasmResult.OutputTree> trees = new ArrayList<>();
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    long bytesLeft = maxBytes;
    int entriesLeft = maxEntries;
    {
      for (int i = 0; i < paths.size(); i++) {
        Path root = mappings.get(i).hostDir();
        byte[] archive;
        try {
          archive = WorkspaceArchive.packToBytes(root, bytesLeft, entriesLeft);
        } catch (WorkspaceException e) {
          throw new WorkspaceException("output " + paths.get(i) + ": " + e.getMessage(), e);
        }
        WorkspaceUnpacker check = WorkspaceUnpacker.checkOnly(bytesLeft, entriesLeft);
        check.accept(archive);
        check.finish();
        bytesLeft -= check.fileBytes();
        entriesLeft -= check.entries();
        trees.add(new WasmResult.OutputTree(paths.get(i), check.treeDigest(), archive.length));
        all.writeBytes(archive);
      }
    }
    archives = all.toByteArray();
    return trees;
  }

  /** The packed archives, back to back in request order (empty before {@link #pack}). */
  byte[] archives() {
    return archives;
  }

  @Override
  public void close() {
    try {
      staging.close();
    } catch (IOException e) {
      // an in-memory file system: nothing to release beyond the memory
    }
  }
}
