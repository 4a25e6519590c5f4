package io.phase.core.sandbox;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.wasi.WasiOptions;
import com.dylibso.chicory.wasi.WasiPreview1;
import com.dylibso.chicory.wasm.types.FunctionType;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The host functions a guest may import: WASI preview 1 as Chicory provides it, minus the calls
 * that would let a guest plant links ({@code path_symlink}, {@code path_link}), which answer {@code
 * ENOTSUP}, and with the calls that write guarded by a {@link ReadOnlyGuard} for read-only mounts.
 */
final class WasiImports {
  static final String MODULE = "wasi_snapshot_preview1";

  /** Calls a guest may import but that always fail here. */
  static final Set<String> REFUSED = Set.of("path_symlink", "path_link");

  /** WASI preview 1 errno {@code notsup}. */
  static final int ERRNO_NOTSUP = 58;

  private static final Map<String, FunctionType> SIGNATURES = signatures();

  private WasiImports() {}

  /** The type a guest must import {@code name} with, or null when we do not provide it. */
  static FunctionType signature(String name) {
    return SIGNATURES.get(name);
  }

  /** The import values for one run, bound to that run's WASI state. */
  static ImportValues forRun(WasiPreview1 wasi) {
    return forRun(wasi, new ReadOnlyGuard(Set.of()));
  }

  /** The import values for one run, with writes under the guard's descriptors refused. */
  static ImportValues forRun(WasiPreview1 wasi, ReadOnlyGuard guard) {
    ImportValues.Builder builder = ImportValues.builder();
    for (HostFunction function : wasi.toHostFunctions()) {
      if (REFUSED.contains(function.name())) {
        int errno = ERRNO_NOTSUP;
        builder.addFunction(
            new HostFunction(
                function.module(),
                function.name(),
                function.functionType(),
                (instance, args) -> new long[] {errno}));
      } else {
        builder.addFunction(guard.isEmpty() ? function : guard.wrap(function));
      }
    }
    return builder.build();
  }

  private static Map<String, FunctionType> signatures() {
    Map<String, FunctionType> map = new TreeMap<>();
    try (WasiPreview1 wasi =
        WasiPreview1.builder().withOptions(WasiOptions.builder().build()).build()) {
      for (HostFunction function : wasi.toHostFunctions()) {
        if (MODULE.equals(function.module())) {
          map.put(function.name(), function.functionType());
        }
      }
    }
    return Map.copyOf(map);
  }
}
