package io.phase.cli;

import io.phase.core.client.JobSpec;
import io.phase.core.protocol.InputTree;
import io.phase.core.protocol.ProtocolException;
import io.phase.core.sandbox.WorkspaceMapping;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Parsing of the {@code --dir} and {@code --out} options {@code exec} and {@code run} share. */
final class Mounts {
  private Mounts() {}

  /** {@code HOST[:GUEST[:ro]]}, or a one-line {@link UserError}. */
  static WorkspaceMapping dir(String spec) {
    try {
      return WorkspaceMapping.parse(spec);
    } catch (IllegalArgumentException e) {
      throw new UserError(ExitCodes.PHASE_ERROR, "--dir: " + e.getMessage());
    }
  }

  /** {@code GUEST:HOST}: the guest directory to copy out and where to. */
  static WorkspaceMapping output(String spec) {
    int colon = spec.indexOf(':');
    if (colon <= 0 || colon == spec.length() - 1 || spec.charAt(0) != '/') {
      throw new UserError(
          ExitCodes.PHASE_ERROR, "--out expects GUEST_PATH:HOST_DIR, got '" + spec + "'");
    }
    try {
      return new WorkspaceMapping(
          Path.of(spec.substring(colon + 1)), spec.substring(0, colon), false);
    } catch (IllegalArgumentException e) {
      throw new UserError(ExitCodes.PHASE_ERROR, "--out: " + e.getMessage());
    }
  }

  /**
   * The {@code --dir} options of {@code phase run} as input trees, each packed within the caps;
   * refuses bad specs, equal or nested guest paths, and guest paths the protocol cannot carry.
   */
  static List<JobSpec.InputMount> inputs(List<String> specs, long maxBytes, int maxEntries) {
    List<WorkspaceMapping> mappings = new ArrayList<>();
    for (String spec : specs) {
      mappings.add(dir(spec));
    }
    if (mappings.size() > InputTree.MAX_INPUTS) {
      throw new UserError(
          ExitCodes.PHASE_ERROR, "--dir: at most " + InputTree.MAX_INPUTS + " directories");
    }
    checkDisjoint(mappings);
    List<JobSpec.InputMount> mounts = new ArrayList<>();
    for (WorkspaceMapping m : mappings) {
      try {
        new InputTree(m.guestPath(), "sha256:" + "0".repeat(64), 6, m.readOnly());
      } catch (ProtocolException e) {
        throw new UserError(
            ExitCodes.PHASE_ERROR,
            "--dir: guest path "
                + m.guestPath()
                + " cannot be sent: components of [A-Za-z0-9._+@=,-] only");
      }
      mounts.add(
          new JobSpec.InputMount(m.hostDir(), m.guestPath(), m.readOnly(), maxBytes, maxEntries));
    }
    return mounts;
  }

  /**
   * The {@code --out} options of {@code phase run}: each guest path inside a {@code --dir} mount
   * and sendable, guest paths neither equal nor nested, host directories distinct and each new or
   * empty (checked again before unpacking).
   */
  static List<WorkspaceMapping> remoteOutputs(List<String> specs, List<String> dirs) {
    List<WorkspaceMapping> outputs = new ArrayList<>();
    for (String spec : specs) {
      outputs.add(output(spec));
    }
    List<io.phase.core.sandbox.WorkspaceSource> mounts = new ArrayList<>();
    for (String d : dirs) {
      mounts.add(new io.phase.core.sandbox.WorkspaceSource.HostDirectory(dir(d)));
    }
    try {
      io.phase.core.sandbox.SandboxRequest.checkMounts(mounts, outputs);
    } catch (IllegalArgumentException e) {
      throw new UserError(ExitCodes.PHASE_ERROR, "--out: " + e.getMessage());
    }
    List<Path> hosts = new ArrayList<>();
    for (WorkspaceMapping out : outputs) {
      try {
        new InputTree(out.guestPath(), "sha256:" + "0".repeat(64), 6, false);
      } catch (ProtocolException e) {
        throw new UserError(
            ExitCodes.PHASE_ERROR,
            "--out: guest path "
                + out.guestPath()
                + " cannot be sent: components of [A-Za-z0-9._+@=,-] only");
      }
      Path host = out.hostDir().toAbsolutePath().normalize();
      for (Path other : hosts) {
        if (host.startsWith(other) || other.startsWith(host)) {
          throw new UserError(
              ExitCodes.PHASE_ERROR,
              "--out: host directories " + other + " and " + host + " are equal or nested");
        }
      }
      hosts.add(host);
      try {
        io.phase.core.client.ReturnedTree.requireAbsentOrEmpty(host);
      } catch (io.phase.core.workspace.WorkspaceException e) {
        throw new UserError(ExitCodes.PHASE_ERROR, "--out: " + e.getMessage());
      }
    }
    return outputs;
  }

  /** Refuses equal or nested guest paths among {@code mappings}, with one line. */
  static void checkDisjoint(List<WorkspaceMapping> mappings) {
    for (int i = 0; i < mappings.size(); i++) {
      for (int j = i + 1; j < mappings.size(); j++) {
        try {
          WorkspaceMapping.checkDisjoint(mappings.get(i).guestPath(), mappings.get(j).guestPath());
        } catch (IllegalArgumentException e) {
          throw new UserError(ExitCodes.PHASE_ERROR, "--dir: " + e.getMessage());
        }
      }
    }
  }
}
