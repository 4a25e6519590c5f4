package io.phase.core.sandbox;

import com.dylibso.chicory.compiler.Cache;
import com.dylibso.chicory.compiler.InterpreterFallback;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExportSection;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;
import com.dylibso.chicory.wasm.types.ImportSection;
import com.dylibso.chicory.wasm.types.TableSection;
import io.phase.p2p.text.PrintableText;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns untrusted bytes into a {@link CompiledWasm}, or says exactly why it cannot: not WASM,
 * malformed, too large, not a WASI command, or importing something this sandbox does not provide.
 */
final class ModuleCompiler {
  /** Tables hold function references; a guest may not ask the host for more than this. */
  static final long MAX_TABLE_ELEMENTS = 1 << 20;

  private static final byte[] MAGIC = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  private static final Pattern FUNCTION_INDEX = Pattern.compile("WASM function index: (\\d+)");
  private static final int MAX_FALLBACK_ROUNDS = 32;

  /**
   * Our compiler settings, part of the on-disk cache key: change it whenever the way modules are
   * compiled changes (fallback rules, class names, Chicory options).
   */
  static final String SETTINGS =
      "fallback=fail-then-interpret;rounds="
          + MAX_FALLBACK_ROUNDS
          + ";oversized="
          + OversizedFunctions.BODY_BYTES;

  private static final Logger LOG = LoggerFactory.getLogger(ModuleCompiler.class);

  private ModuleCompiler() {}

  /** The size limit applies to every run, cached module or not. */
  static void checkSize(byte[] bytes, long maxModuleBytes) throws InvalidModuleException {
    if (bytes.length > maxModuleBytes) {
      throw new InvalidModuleException(
          "module is " + bytes.length + " bytes; the limit is " + maxModuleBytes);
    }
  }

  static CompiledWasm compile(byte[] bytes, String moduleHash, long maxModuleBytes)
      throws InvalidModuleException {
    return compile(bytes, moduleHash, maxModuleBytes, null);
  }

  /**
   * Validates and compiles, loading the generated classes from {@code store} (may be null) when an
   * intact entry is there and storing them there after compiling.
   */
  static CompiledWasm compile(
      byte[] bytes, String moduleHash, long maxModuleBytes, CompiledModuleStore store)
      throws InvalidModuleException {
    WasmModule module = validate(bytes, moduleHash, maxModuleBytes);
    CompiledWasm stored = loadStored(store, module, moduleHash, bytes.length);
    return stored != null ? stored : compileValidated(module, bytes, moduleHash, store);
  }

  /** Checks and parses untrusted bytes into a WASI command module this sandbox can run. */
  static WasmModule validate(byte[] bytes, String moduleHash, long maxModuleBytes)
      throws InvalidModuleException {
    long started = System.nanoTime();
    checkSize(bytes, maxModuleBytes);
    if (bytes.length < MAGIC.length) {
      throw new InvalidModuleException("not a WebAssembly module: only " + bytes.length + " bytes");
    }
    for (int i = 0; i < 4; i++) {
      if (bytes[i] != MAGIC[i]) {
        throw new InvalidModuleException("not a WebAssembly module: bad magic number");
      }
    }
    for (int i = 4; i < MAGIC.length; i++) {
      if (bytes[i] != MAGIC[i]) {
        throw new InvalidModuleException("unsupported WebAssembly binary version");
      }
    }
    WasmModule module = parse(bytes);
    requireStart(module);
    requireKnownImports(module);
    requireSmallTables(module);
    LOG.info(
        "sandbox_module_parsed module={} bytes={} functions={} parse_ms={}",
        moduleHash,
        bytes.length,
        module.functionSection().functionCount(),
        (System.nanoTime() - started) / 1_000_000);
    return module;
  }

  /** A validated module run entirely by Chicory's interpreter (while it compiles elsewhere). */
  static CompiledWasm interpreted(WasmModule module, String moduleHash, long size) {
    return new CompiledWasm(
        moduleHash, size, module, null, module.functionSection().functionCount(), "interpreter");
  }

  /** Compiles a validated module, storing the generated classes in {@code store} (may be null). */
  static CompiledWasm compileValidated(
      WasmModule module, byte[] bytes, String moduleHash, CompiledModuleStore store)
      throws InvalidModuleException {
    long started = System.nanoTime();
    ClassCapture capture = new ClassCapture();
    Set<Integer> oversized =
        OversizedFunctions.in(bytes, module.importSection().count(ExternalType.FUNCTION));
    CompiledWasm compiled = compileMachine(module, moduleHash, bytes.length, oversized, capture);
    if (store != null && capture.classes != null) {
      store.put(
          storeKey(moduleHash),
          new CompiledModuleStore.Entry(compiled.interpretedFunctions(), capture.classes));
    }
    logReady(compiled, started);
    return compiled;
  }

  private static String storeKey(String moduleHash) {
    return CompiledModuleStore.keyOf(moduleHash, Sandbox.CHICORY_VERSION, SETTINGS);
  }

  private static void logReady(CompiledWasm compiled, long startedNanos) {
    LOG.info(
        "sandbox_module_compiled module={} source={} ms={} interpreted_functions={}",
        compiled.moduleHash(),
        compiled.source(),
        (System.nanoTime() - startedNanos) / 1_000_000,
        compiled.interpretedFunctions());
  }

  /**
   * The classes {@code store} holds for this module, loaded; null (so the caller compiles) if there
   * is no store, no intact entry, or the classes do not load.
   */
  static CompiledWasm loadStored(
      CompiledModuleStore store, WasmModule module, String moduleHash, long size) {
    if (store == null) {
      return null;
    }
    long started = System.nanoTime();
    var entry = store.get(storeKey(moduleHash));
    if (entry.isEmpty()) {
      return null;
    }
    try {
      Function<Instance, Machine> factory =
          MachineFactoryCompiler.builder(module)
              .withCache(new StoredClasses(entry.get().classes()))
              .compile();
      CompiledWasm compiled =
          new CompiledWasm(
              moduleHash, size, module, factory, entry.get().interpretedFunctions(), "disk");
      logReady(compiled, started);
      return compiled;
    } catch (RuntimeException | LinkageError e) {
      // Verified by its HMAC, so written by this machine: a bug or a different JVM. Compile.
      LOG.warn(
          "sandbox_compiled_cache_unloadable module={} error=\"{}\"", moduleHash, e.toString());
      return null;
    }
  }

  /** Hands Chicory's compiler the classes of one stored entry, whatever digest it asks for. */
  private record StoredClasses(byte[] classes) implements Cache {
    @Override
    public byte[] get(String digest) {
      return classes;
    }

    @Override
    public void putIfAbsent(String digest, byte[] data) {}
  }

  /** Receives the classes Chicory's compiler generated (as a jar), to store them on disk. */
  private static final class ClassCapture implements Cache {
    byte[] classes;

    @Override
    public byte[] get(String digest) {
      return null;
    }

    @Override
    public void putIfAbsent(String digest, byte[] data) {
      classes = data;
    }
  }

  private static WasmModule parse(byte[] bytes) throws InvalidModuleException {
    try {
      return Parser.parse(bytes);
    } catch (ChicoryException e) {
      throw new InvalidModuleException("malformed module: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      // The parser reads hostile input; any failure of it is the module's fault.
      throw new InvalidModuleException("malformed module: " + e, e);
    } catch (OutOfMemoryError e) {
      throw new InvalidModuleException("malformed module: declares more than this host can hold");
    }
  }

  private static void requireStart(WasmModule module) throws InvalidModuleException {
    ExportSection exports = module.exportSection();
    for (int i = 0; i < exports.exportCount(); i++) {
      Export export = exports.getExport(i);
      if (export.name().equals("_start")) {
        if (export.exportType() != ExternalType.FUNCTION) {
          throw new InvalidModuleException("_start is exported but is not a function");
        }
        FunctionType type = functionType(module, export.index());
        if (!type.params().isEmpty() || !type.returns().isEmpty()) {
          throw new InvalidModuleException("_start must take no arguments and return nothing");
        }
        return;
      }
    }
    throw new InvalidModuleException("module exports no _start function: not a WASI command");
  }

  private static FunctionType functionType(WasmModule module, int functionIndex) {
    ImportSection imports = module.importSection();
    int importedFunctions = imports.count(ExternalType.FUNCTION);
    if (functionIndex < importedFunctions) {
      int seen = 0;
      for (int i = 0; i < imports.importCount(); i++) {
        Import imp = imports.getImport(i);
        if (imp instanceof FunctionImport fi && seen++ == functionIndex) {
          return module.typeSection().getType(fi.typeIndex());
        }
      }
    }
    return module
        .functionSection()
        .getFunctionType(functionIndex - importedFunctions, module.typeSection());
  }

  private static void requireKnownImports(WasmModule module) throws InvalidModuleException {
    ImportSection imports = module.importSection();
    for (int i = 0; i < imports.importCount(); i++) {
      Import imp = imports.getImport(i);
      String name =
          PrintableText.printable(imp.module()) + "." + PrintableText.printable(imp.name());
      if (!(imp instanceof FunctionImport fi)) {
        throw new InvalidModuleException(
            "module imports "
                + name
                + " ("
                + imp.importType()
                + "); only WASI functions exist here");
      }
      FunctionType wanted = WasiImports.signature(imp.name());
      if (!WasiImports.MODULE.equals(imp.module()) || wanted == null) {
        throw new InvalidModuleException(
            "module imports " + name + ", which this sandbox does not provide");
      }
      if (!wanted.typesMatch(module.typeSection().getType(fi.typeIndex()))) {
        throw new InvalidModuleException("module imports " + name + " with the wrong signature");
      }
    }
  }

  private static void requireSmallTables(WasmModule module) throws InvalidModuleException {
    TableSection tables = module.tableSection();
    for (int i = 0; i < tables.tableCount(); i++) {
      long min = tables.getTable(i).limits().min();
      if (min > MAX_TABLE_ELEMENTS) {
        throw new InvalidModuleException(
            "module declares a table of " + min + " elements; the limit is " + MAX_TABLE_ELEMENTS);
      }
    }
  }

  /**
   * Compiles to JVM bytecode. Functions too large for a JVM method run in Chicory's interpreter; we
   * find them one by one (the compiler names the first it cannot take) so the result can say how
   * many there are.
   */
  private static CompiledWasm compileMachine(
      WasmModule module, String moduleHash, long size, Set<Integer> oversized, ClassCapture capture)
      throws InvalidModuleException {
    Set<Integer> interpreted = new HashSet<>(oversized);
    for (int round = 0; round < MAX_FALLBACK_ROUNDS; round++) {
      try {
        var builder =
            MachineFactoryCompiler.builder(module)
                .withInterpreterFallback(InterpreterFallback.FAIL)
                .withCache(capture);
        if (!interpreted.isEmpty()) {
          builder.withInterpretedFunctions(Set.copyOf(interpreted));
        }
        Function<Instance, Machine> factory = builder.compile();
        return new CompiledWasm(moduleHash, size, module, factory, interpreted.size(), "compiler");
      } catch (ChicoryException e) {
        Matcher m = FUNCTION_INDEX.matcher(String.valueOf(e.getMessage()));
        if (!m.find() || !interpreted.add(Integer.parseInt(m.group(1)))) {
          throw new InvalidModuleException("module cannot be compiled: " + e.getMessage(), e);
        }
      } catch (RuntimeException e) {
        throw new InvalidModuleException("module cannot be compiled: " + e, e);
      } catch (OutOfMemoryError e) {
        throw new InvalidModuleException("module is too large to compile on this host");
      }
    }
    // Very many huge functions: let Chicory interpret whatever it cannot compile.
    Function<Instance, Machine> factory =
        MachineFactoryCompiler.builder(module)
            .withInterpreterFallback(InterpreterFallback.SILENT)
            .withCache(capture)
            .compile();
    return new CompiledWasm(
        moduleHash,
        size,
        module,
        factory,
        Math.max(interpreted.size(), MAX_FALLBACK_ROUNDS),
        "compiler");
  }
}
