package io.phase.core.sandbox;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One guest run as the caller asks for it. The limits are a request: the sandbox clamps them to the
 * operator's maximums.
 *
 * @param programName argv[0] as the guest sees it
 * @param args the guest's arguments after argv[0], verbatim
 * @param stdin everything the guest can read from standard input
 * @param workspace the guest's files, if any
 */
public record SandboxRequest(
    byte[] module,
    String programName,
    List<String> args,
    Map<String, String> env,
    byte[] stdin,
    Optional<WorkspaceSource> workspace,
    SandboxLimits limits) {

  public SandboxRequest {
    Objects.requireNonNull(module, "module");
    Objects.requireNonNull(programName, "programName");
    args = List.copyOf(args);
    env = Map.copyOf(env);
    stdin = stdin == null ? new byte[0] : stdin;
    Objects.requireNonNull(workspace, "workspace");
    Objects.requireNonNull(limits, "limits");
    for (String key : env.keySet()) {
      if (key.isEmpty() || key.indexOf('=') >= 0 || key.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("invalid environment variable name: " + key);
      }
    }
  }

  /** A request with no arguments, environment, input or workspace. */
  public static SandboxRequest of(byte[] module, SandboxLimits limits) {
    return new SandboxRequest(
        module, "module.wasm", List.of(), Map.of(), new byte[0], Optional.empty(), limits);
  }

  public SandboxRequest withArgs(List<String> value) {
    return new SandboxRequest(module, programName, value, env, stdin, workspace, limits);
  }

  public SandboxRequest withEnv(Map<String, String> value) {
    return new SandboxRequest(module, programName, args, value, stdin, workspace, limits);
  }

  public SandboxRequest withStdin(byte[] value) {
    return new SandboxRequest(module, programName, args, env, value, workspace, limits);
  }

  /** A host directory the guest sees at the mapping's guest path. */
  public SandboxRequest withWorkspace(WorkspaceMapping value) {
    return withWorkspace(new WorkspaceSource.HostDirectory(value));
  }

  /** A workspace from a host directory or an archive. */
  public SandboxRequest withWorkspace(WorkspaceSource value) {
    return new SandboxRequest(module, programName, args, env, stdin, Optional.of(value), limits);
  }

  public SandboxRequest withLimits(SandboxLimits value) {
    return new SandboxRequest(module, programName, args, env, stdin, workspace, value);
  }

  public SandboxRequest withProgramName(String value) {
    return new SandboxRequest(module, value, args, env, stdin, workspace, limits);
  }
}
