package io.phase.core.sandbox;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.TableInstance;
import com.dylibso.chicory.wasm.types.Table;

/** Tables that refuse to grow past {@link ModuleCompiler#MAX_TABLE_ELEMENTS}. */
final class GuestTables {
  private GuestTables() {}

  static TableInstance create(Table table, int initialValue) {
    return new TableInstance(table, initialValue) {
      @Override
      public int grow(int size, int value, Instance instance) {
        if (size < 0 || (long) size() + size > ModuleCompiler.MAX_TABLE_ELEMENTS) {
          return -1;
        }
        return super.grow(size, value, instance);
      }
    };
  }
}
