package io.phase.core.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One guest run as the caller asks for it. The limits are a request: the sandbox clamps them to the
 * operator's maximums.
 *
 * @param programName argv[0] as the guest sees it
 * @param args the guest's arguments after argv[0], verbatim
 * @param stdin everything the guest can read from standard input
 * @param mounts the guest's files: at most {@link #MAX_MOUNTS}, guest paths neither equal nor
 *     nested; the workspace caps apply to all of them together
 * @param outputs guest directories (each inside a mount) copied to a host directory after the run,
 *     whatever the mount's access: {@code guestPath} is the directory in the guest, {@code hostDir}
 *     the destination
 */
public record SandboxRequest(
    byte[] module,
    String programName,
    List<String> args,
    Map<String, String> env,
    byte[] stdin,
    List<WorkspaceSource> mounts,
    List<WorkspaceMapping> outputs,
    SandboxLimits limits) {

  /** Most mounts one run may have. */
  public static final int MAX_MOUNTS = 16;

  public SandboxRequest {
    Objects.requireNonNull(module, "module");
    Objects.requireNonNull(programName, "programName");
    args = List.copyOf(args);
    env = Map.copyOf(env);
    stdin = stdin == null ? new byte[0] : stdin;
    mounts = List.copyOf(mounts);
    outputs = List.copyOf(outputs);
    Objects.requireNonNull(limits, "limits");
    for (String key : env.keySet()) {
      if (key.isEmpty() || key.indexOf('=') >= 0 || key.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("invalid environment variable name: " + key);
      }
    }
    checkMounts(mounts, outputs);
  }

  /**
   * Refuses more than {@link #MAX_MOUNTS} mounts or outputs, equal or nested guest paths, and an
   * output outside every mount, each with one line.
   */
  public static void checkMounts(List<WorkspaceSource> mounts, List<WorkspaceMapping> outputs) {
    if (mounts.size() > MAX_MOUNTS || outputs.size() > MAX_MOUNTS) {
      throw new IllegalArgumentException("at most " + MAX_MOUNTS + " mounts and outputs");
    }
    for (int i = 0; i < mounts.size(); i++) {
      for (int j = i + 1; j < mounts.size(); j++) {
        WorkspaceMapping.checkDisjoint(mounts.get(i).guestPath(), mounts.get(j).guestPath());
      }
    }
    List<String> seen = new ArrayList<>();
    for (WorkspaceMapping out : outputs) {
      boolean inside =
          mounts.stream().anyMatch(m -> WorkspaceMapping.inside(out.guestPath(), m.guestPath()));
      if (!inside) {
        throw new IllegalArgumentException(
            "output " + out.guestPath() + " is not inside any mounted guest path");
      }
      for (String other : seen) {
        WorkspaceMapping.checkDisjoint(other, out.guestPath());
      }
      seen.add(out.guestPath());
    }
  }

  /** A request with no arguments, environment, input or files. */
  public static SandboxRequest of(byte[] module, SandboxLimits limits) {
    return new SandboxRequest(
        module, "module.wasm", List.of(), Map.of(), new byte[0], List.of(), List.of(), limits);
  }

  public SandboxRequest withArgs(List<String> value) {
    return new SandboxRequest(module, programName, value, env, stdin, mounts, outputs, limits);
  }

  public SandboxRequest withEnv(Map<String, String> value) {
    return new SandboxRequest(module, programName, args, value, stdin, mounts, outputs, limits);
  }

  public SandboxRequest withStdin(byte[] value) {
    return new SandboxRequest(module, programName, args, env, value, mounts, outputs, limits);
  }

  /** Adds a host directory the guest sees at the mapping's guest path. */
  public SandboxRequest withWorkspace(WorkspaceMapping value) {
    return withWorkspace(new WorkspaceSource.HostDirectory(value));
  }

  /** Adds a mount from a host directory or an archive. */
  public SandboxRequest withWorkspace(WorkspaceSource value) {
    List<WorkspaceSource> more = new ArrayList<>(mounts);
    more.add(value);
    return new SandboxRequest(module, programName, args, env, stdin, more, outputs, limits);
  }

  /** Adds an output directory copied to the host after the run. */
  public SandboxRequest withOutput(WorkspaceMapping value) {
    List<WorkspaceMapping> more = new ArrayList<>(outputs);
    more.add(value);
    return new SandboxRequest(module, programName, args, env, stdin, mounts, more, limits);
  }

  public SandboxRequest withLimits(SandboxLimits value) {
    return new SandboxRequest(module, programName, args, env, stdin, mounts, outputs, value);
  }

  public SandboxRequest withProgramName(String value) {
    return new SandboxRequest(module, value, args, env, stdin, mounts, outputs, limits);
  }
}
