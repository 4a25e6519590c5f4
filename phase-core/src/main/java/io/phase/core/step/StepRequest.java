package io.phase.core.step;

import io.phase.core.client.JobSpec;
import io.phase.core.discovery.Capability;
import io.phase.core.protocol.RunLimits;
import io.phase.core.sandbox.SandboxLimits;
import io.phase.p2p.peer.PeerId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One step to run remotely: a module and a workspace on this machine, the guest's arguments and
 * environment, and its limits resolved against {@link StepDefaults}. Every value is checked when
 * the request is built.
 *
 * @param module the WASI command module file
 * @param workspace a directory sent as the guest's {@code /work}, if any
 * @param worker run only on this worker, if given
 * @param retries other workers to try after a failed attempt
 */
public record StepRequest(
    Path module,
    List<String> args,
    Map<String, String> env,
    Optional<Path> workspace,
    int memoryMb,
    long timeoutSeconds,
    long maxOutputMb,
    Optional<PeerId> worker,
    int retries) {

  public StepRequest {
    Objects.requireNonNull(module, "module");
    args = List.copyOf(args);
    env = Map.copyOf(env);
    Objects.requireNonNull(workspace, "workspace");
    Objects.requireNonNull(worker, "worker");
    if (args.size() > StepBounds.MAX_ARGS) {
      throw new IllegalArgumentException("at most " + StepBounds.MAX_ARGS + " args");
    }
    if (env.size() > StepBounds.MAX_ENV) {
      throw new IllegalArgumentException("at most " + StepBounds.MAX_ENV + " env entries");
    }
    for (String key : env.keySet()) {
      if (key.isEmpty() || key.indexOf('=') >= 0 || key.indexOf('\0') >= 0) {
        throw new IllegalArgumentException(
            "env name must be non-empty without '=' or NUL: '" + EventText.printable(key) + "'");
      }
    }
    StepBounds.memoryMb("memoryMb", memoryMb);
    StepBounds.timeoutSeconds("timeoutS", timeoutSeconds);
    StepBounds.maxOutputMb("maxOutputMb", maxOutputMb);
    StepBounds.retries("retries", retries);
  }

  /** A request for {@code module}; unset limits fall back to the defaults given to build. */
  public static Builder builder(Path module) {
    return new Builder(module);
  }

  /** The job to dispatch: reads the module (bounded) and checks the workspace directory. */
  JobSpec toJobSpec() throws StepException {
    byte[] bytes = readModule(module);
    JobSpec spec =
        JobSpec.of(
                bytes,
                new RunLimits(memoryMb, timeoutSeconds * 1000, maxOutputMb << 20),
                Capability.localArch(),
                "chicory")
            .withArgs(args)
            .withEnv(env);
    if (workspace.isPresent()) {
      Path dir = workspace.get();
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        throw new StepException(ExitStatus.PHASE_ERROR, "workspace " + dir + " is not a directory");
      }
      spec = spec.withWorkspace(dir);
    }
    return spec;
  }

  /** Reads a module file, refusing a missing file, a directory or more than the largest module. */
  static byte[] readModule(Path path) throws StepException {
    long max = SandboxLimits.OPERATOR_DEFAULT_MAXIMUMS.maxModuleBytes();
    if (Files.isDirectory(path)) {
      throw new StepException(ExitStatus.INVALID_MODULE, "module " + path + " is a directory");
    }
    try (InputStream in = Files.newInputStream(path)) {
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
      if (bytes.length > max) {
        throw new StepException(
            ExitStatus.INVALID_MODULE,
            "module " + path + " is larger than the limit of " + max + " bytes");
      }
      if (bytes.length == 0) {
        throw new StepException(ExitStatus.INVALID_MODULE, "module " + path + " is empty");
      }
      return bytes;
    } catch (NoSuchFileException e) {
      throw new StepException(ExitStatus.MODULE_NOT_FOUND, "module " + path + " does not exist");
    } catch (IOException e) {
      throw new StepException(
          ExitStatus.PHASE_ERROR, "cannot read module " + path + ": " + e.getMessage());
    }
  }

  /** Builds a {@link StepRequest}; a null value means "not set" (the default applies). */
  public static final class Builder {
    private final Path module;
    private List<String> args = List.of();
    private Map<String, String> env = Map.of();
    private Path workspace;
    private Integer memoryMb;
    private Long timeoutSeconds;
    private Long maxOutputMb;
    private String worker;
    private Integer retries;

    private Builder(Path module) {
      this.module = Objects.requireNonNull(module, "module");
    }

    public Builder args(List<String> value) {
      args = value == null ? List.of() : new ArrayList<>(value);
      return this;
    }

    public Builder env(Map<String, String> value) {
      env = value == null ? Map.of() : new LinkedHashMap<>(value);
      return this;
    }

    public Builder workspace(Path value) {
      workspace = value;
      return this;
    }

    public Builder memoryMb(Integer value) {
      memoryMb = value;
      return this;
    }

    public Builder timeoutSeconds(Long value) {
      timeoutSeconds = value;
      return this;
    }

    public Builder maxOutputMb(Long value) {
      maxOutputMb = value;
      return this;
    }

    /** A worker's peer id ({@code 12D3KooW…}), or null/blank for any worker. */
    public Builder worker(String value) {
      worker = value == null || value.isBlank() ? null : value.strip();
      return this;
    }

    public Builder retries(Integer value) {
      retries = value;
      return this;
    }

    /**
     * The request, with {@code defaults} for what was not set.
     *
     * @throws StepException ({@link ExitStatus#PHASE_ERROR}) naming the first value out of range
     */
    public StepRequest build(StepDefaults defaults) throws StepException {
      try {
        Optional<PeerId> pinned = Optional.empty();
        if (worker != null) {
          try {
            pinned = Optional.of(PeerId.parse(worker));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("worker: " + e.getMessage(), e);
          }
        }
        return new StepRequest(
            module,
            args,
            env,
            Optional.ofNullable(workspace),
            memoryMb != null ? memoryMb : defaults.memoryMb(),
            timeoutSeconds != null ? timeoutSeconds : defaults.timeoutSeconds(),
            maxOutputMb != null ? maxOutputMb : defaults.maxOutputMb(),
            pinned,
            retries != null ? retries : defaults.retries());
      } catch (IllegalArgumentException | NullPointerException e) {
        throw new StepException(ExitStatus.PHASE_ERROR, String.valueOf(e.getMessage()));
      }
    }
  }
}
