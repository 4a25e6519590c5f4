package io.phase.core.sandbox;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.WasmModule;
import java.util.function.Function;

/**
 * A parsed, validated and compiled module, ready to instantiate any number of times.
 *
 * @param interpretedFunctions functions Chicory could not compile to JVM bytecode (too large) and
 *     runs in its interpreter instead
 * @param machineFactory the compiled code, or null to run every function in Chicory's interpreter
 * @param source where the code came from: "compiler" (compiled now), "disk" (the on-disk cache) or
 *     "interpreter" (none: interpreted while the module compiles in the background)
 */
record CompiledWasm(
    String moduleHash,
    long sizeBytes,
    WasmModule module,
    Function<Instance, Machine> machineFactory,
    int interpretedFunctions,
    String source) {

  /** "compiled", "mixed" or "interpreted", as receipts record it. */
  String mode() {
    if (interpretedFunctions == 0) {
      return "compiled";
    }
    int defined = module.functionSection().functionCount();
    return interpretedFunctions >= defined ? "interpreted" : "mixed";
  }
}
