package io.phase.core.client;

import io.phase.core.protocol.RunLimits;
import io.phase.core.sandbox.ModuleHash;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A job to run remotely.
 *
 * @param workspace a host directory packed and sent as the guest's {@code /work}, if any
 * @param capability what the worker must offer, passed to the {@link WorkerDirectory}
 * @param arch required CPU architecture (job-offer requirement)
 * @param wasmRuntime required runtime (job-offer requirement)
 */
public record JobSpec(
    byte[] module,
    List<String> args,
    Map<String, String> env,
    byte[] stdin,
    Optional<Path> workspace,
    RunLimits limits,
    String capability,
    String arch,
    String wasmRuntime,
    int cpuCores,
    List<InputMount> inputs,
    List<String> outputs) {

  /**
   * Most output-tree archive bytes a client takes back (all {@code --out} trees together): 256 MiB
   * of archive; more ends the job with a protocol error before anything is unpacked.
   */
  public static final long MAX_OUTPUT_TREE_BYTES = 256L << 20;

  /** Most files and directories a client unpacks from one output tree. */
  public static final int MAX_OUTPUT_TREE_ENTRIES = InputMount.DEFAULT_MAX_ENTRIES;

  /**
   * A host directory sent as a content-addressed input tree, mounted at {@code guestPath},
   * read-only or read-write in the guest. The worker keeps it by digest, so it travels only when
   * missing.
   */
  public record InputMount(
      Path hostDir, String guestPath, boolean readOnly, long maxBytes, int maxEntries) {
    /** Default cap on one tree's file bytes: 1 GiB, a worker's default maximum. */
    public static final long DEFAULT_MAX_BYTES = 1L << 30;

    /** Default cap on one tree's files and directories: 100 000, a worker's default maximum. */
    public static final int DEFAULT_MAX_ENTRIES = 100_000;

    public InputMount {
      Objects.requireNonNull(hostDir, "hostDir");
      Objects.requireNonNull(guestPath, "guestPath");
      if (maxBytes < 0 || maxEntries < 0) {
        throw new IllegalArgumentException("input caps must not be negative");
      }
    }

    /** A mount packed within the default caps. */
    public InputMount(Path hostDir, String guestPath, boolean readOnly) {
      this(hostDir, guestPath, readOnly, DEFAULT_MAX_BYTES, DEFAULT_MAX_ENTRIES);
    }
  }

  /** A job without input trees. */
  public JobSpec(
      byte[] module,
      List<String> args,
      Map<String, String> env,
      byte[] stdin,
      Optional<Path> workspace,
      RunLimits limits,
      String capability,
      String arch,
      String wasmRuntime,
      int cpuCores) {
    this(
        module,
        args,
        env,
        stdin,
        workspace,
        limits,
        capability,
        arch,
        wasmRuntime,
        cpuCores,
        List.of(),
        List.of());
  }

  /** A job with input trees and no output trees. */
  public JobSpec(
      byte[] module,
      List<String> args,
      Map<String, String> env,
      byte[] stdin,
      Optional<Path> workspace,
      RunLimits limits,
      String capability,
      String arch,
      String wasmRuntime,
      int cpuCores,
      List<InputMount> inputs) {
    this(
        module,
        args,
        env,
        stdin,
        workspace,
        limits,
        capability,
        arch,
        wasmRuntime,
        cpuCores,
        inputs,
        List.of());
  }

  public JobSpec {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    if (!inputs.isEmpty() && workspace.isPresent()) {
      throw new IllegalArgumentException("a job has either a workspace or input trees");
    }
    Objects.requireNonNull(module, "module");
    args = List.copyOf(args);
    env = Map.copyOf(env);
    stdin = stdin == null ? new byte[0] : stdin;
    Objects.requireNonNull(workspace, "workspace");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(capability, "capability");
    Objects.requireNonNull(arch, "arch");
    Objects.requireNonNull(wasmRuntime, "wasmRuntime");
    if (module.length == 0) {
      throw new IllegalArgumentException("module is empty");
    }
    if (cpuCores < 1) {
      throw new IllegalArgumentException("cpuCores must be positive");
    }
  }

  /** A job with no arguments, environment, input or workspace. */
  public static JobSpec of(byte[] module, RunLimits limits, String arch, String wasmRuntime) {
    return new JobSpec(
        module,
        List.of(),
        Map.of(),
        new byte[0],
        Optional.empty(),
        limits,
        "wasm32-wasi",
        arch,
        wasmRuntime,
        1);
  }

  public JobSpec withArgs(List<String> value) {
    Copy c = new Copy(this);
    c.args = value;
    return c.build();
  }

  public JobSpec withStdin(byte[] value) {
    Copy c = new Copy(this);
    c.stdin = value;
    return c.build();
  }

  public JobSpec withEnv(Map<String, String> value) {
    Copy c = new Copy(this);
    c.env = value;
    return c.build();
  }

  public JobSpec withWorkspace(Path value) {
    Copy c = new Copy(this);
    c.workspace = Optional.of(value);
    return c.build();
  }

  /**
   * Asks for the guest directory {@code guestPath} (inside an input tree) back after the run, as a
   * verified output tree ({@link JobOutcome#outputTrees()}).
   */
  public JobSpec withOutput(String guestPath) {
    Copy c = new Copy(this);
    c.outputs = new java.util.ArrayList<>(outputs);
    c.outputs.add(guestPath);
    return c.build();
  }

  /** Adds an input tree (see {@link InputMount}). */
  public JobSpec withInput(InputMount value) {
    Copy c = new Copy(this);
    c.inputs = new java.util.ArrayList<>(inputs);
    c.inputs.add(value);
    return c.build();
  }

  /**
   * The components of a spec being copied with a few changes; validated again by {@link #build}.
   */
  private static final class Copy {
    final byte[] module;
    List<String> args;
    Map<String, String> env;
    byte[] stdin;
    Optional<Path> workspace;
    final RunLimits limits;
    final String capability;
    final String arch;
    final String wasmRuntime;
    final int cpuCores;
    List<InputMount> inputs;
    List<String> outputs;

    Copy(JobSpec s) {
      module = s.module;
      args = s.args;
      env = s.env;
      stdin = s.stdin;
      workspace = s.workspace;
      limits = s.limits;
      capability = s.capability;
      arch = s.arch;
      wasmRuntime = s.wasmRuntime;
      cpuCores = s.cpuCores;
      inputs = s.inputs;
      outputs = s.outputs;
    }

    JobSpec build() {
      return new JobSpec(
          module,
          args,
          env,
          stdin,
          workspace,
          limits,
          capability,
          arch,
          wasmRuntime,
          cpuCores,
          inputs,
          outputs);
    }
  }

  /** {@code sha256:<hex>} of the module. */
  public String moduleHash() {
    return ModuleHash.of(module);
  }
}
