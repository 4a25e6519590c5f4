package io.phase.core.exec;

import io.phase.core.receipt.WasmResult;
import io.phase.core.sandbox.Sandbox;
import io.phase.core.sandbox.SandboxLimits;
import io.phase.core.sandbox.SandboxResult;
import io.phase.p2p.peer.PeerId;
import java.util.OptionalInt;

/** Turns what the sandbox reports into the result a receipt signs. */
public final class ResultMapper {
  private ResultMapper() {}

  public static WasmResult toWasmResult(String jobId, SandboxResult result, PeerId worker) {
    return toWasmResult(jobId, result, worker, java.util.List.of());
  }

  /** The result, binding the input trees the job ran with. */
  public static WasmResult toWasmResult(
      String jobId, SandboxResult result, PeerId worker, java.util.List<WasmResult.Input> inputs) {
    return toWasmResult(jobId, result, worker, inputs, java.util.List.of());
  }

  /** The result, binding the input trees the job ran with and the output trees it returns. */
  public static WasmResult toWasmResult(
      String jobId,
      SandboxResult result,
      PeerId worker,
      java.util.List<WasmResult.Input> inputs,
      java.util.List<WasmResult.OutputTree> outputs) {
    SandboxLimits limits = result.limits();
    var runtime = result.runtime();
    WasmResult.RuntimeInfo runtimeInfo =
        runtime == null
            ? new WasmResult.RuntimeInfo(
                "chicory", Sandbox.CHICORY_VERSION, WasmResult.Mode.COMPILED, 0)
            : new WasmResult.RuntimeInfo(
                runtime.name(),
                runtime.version(),
                WasmResult.Mode.fromWireName(runtime.mode()),
                runtime.interpretedFunctions());
    return new WasmResult(
        jobId,
        result.moduleHash(),
        result.outcome().kind(),
        result.outcome().exitCode() == null
            ? OptionalInt.empty()
            : OptionalInt.of(result.outcome().exitCode()),
        result.outcome().detail(),
        result.wallTime().toMillis(),
        WasmResult.Output.of(result.output()),
        new WasmResult.Limits(
            limits.memoryMb(),
            limits.timeout().toMillis(),
            limits.maxOutputBytes(),
            limits.maxModuleBytes()),
        runtimeInfo,
        worker,
        inputs,
        outputs);
  }
}
