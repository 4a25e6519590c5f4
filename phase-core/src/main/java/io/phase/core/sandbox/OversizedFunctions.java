package io.phase.core.sandbox;

import java.util.HashSet;
import java.util.Set;

/**
 * Functions whose WASM body alone is larger than a JVM method may be ({@value #BODY_BYTES} bytes):
 * Chicory's compiler emits at least one byte of bytecode per byte of WASM, so they cannot compile
 * and go to the interpreter from the start. Found by scanning the code section of an already parsed
 * (so well-formed) module. Without this, each such function costs a whole extra compile round:
 * Chicory's compiler stops at the first function too large and starts over.
 */
final class OversizedFunctions {
  /** The JVM's limit on one method's bytecode. */
  static final int BODY_BYTES = 65_535;

  private OversizedFunctions() {}

  /**
   * Function indices (imports counted first, as Chicory numbers them) of bodies over {@link
   * #BODY_BYTES}; empty if the module cannot be scanned.
   */
  static Set<Integer> in(byte[] module, int importedFunctions) {
    Set<Integer> found = new HashSet<>();
    try {
      int[] at = {8};
      while (at[0] < module.length) {
        int id = module[at[0]++] & 0xff;
        int size = leb(module, at);
        int end = Math.addExact(at[0], size);
        if (id == 10) {
          int count = leb(module, at);
          for (int i = 0; i < count && at[0] < end; i++) {
            int body = leb(module, at);
            if (body > BODY_BYTES) {
              found.add(importedFunctions + i);
            }
            at[0] = Math.addExact(at[0], body);
          }
          return found;
        }
        at[0] = end;
      }
    } catch (ArithmeticException | ArrayIndexOutOfBoundsException e) {
      return Set.of();
    }
    return found;
  }

  private static int leb(byte[] bytes, int[] at) {
    int result = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      int b = bytes[at[0]++] & 0xff;
      result |= (b & 0x7f) << shift;
      if (b < 0x80) {
        return result;
      }
    }
    throw new ArithmeticException("LEB128 too long");
  }
}
