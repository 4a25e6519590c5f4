package io.phase.core.sandbox;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.WasmFunctionHandle;
import java.util.HashSet;
import java.util.Set;

/**
 * Makes some preopened directories read-only for one run. Chicory's WASI ignores rights, so we keep
 * our own set of the descriptors that lie under a read-only mount: the read-only preopens, and
 * every descriptor {@code path_open} derives from one (Chicory refuses paths that leave the
 * directory they are opened from, so a descriptor derived from a read-only one is always inside
 * that mount). Every call that would change a file or directory through such a descriptor answers
 * {@code EROFS} without reaching the file system. Descriptor numbers are tracked through close and
 * renumber.
 *
 * <p>Used on the guest thread only.
 */
final class ReadOnlyGuard {
  /** WASI preview 1 errno {@code rofs} (read-only file system). */
  static final int ERRNO_ROFS = 69;

  // WASI preview 1 flags (wasi_snapshot_preview1 witx).
  private static final long OFLAG_CREAT = 1;
  private static final long OFLAG_TRUNC = 8;
  private static final long FDFLAG_APPEND = 1;
  private static final long RIGHT_FD_WRITE = 1L << 6;
  private static final long RIGHT_FD_ALLOCATE = 1L << 8;
  private static final long RIGHT_FD_FILESTAT_SET_SIZE = 1L << 22;
  private static final long WRITE_RIGHTS =
      RIGHT_FD_WRITE | RIGHT_FD_ALLOCATE | RIGHT_FD_FILESTAT_SET_SIZE;

  private final Set<Integer> readOnly = new HashSet<>();

  /** A guard over the given preopened descriptor numbers. */
  ReadOnlyGuard(Set<Integer> readOnlyPreopens) {
    readOnly.addAll(readOnlyPreopens);
  }

  boolean isEmpty() {
    return readOnly.isEmpty();
  }

  /** {@code function}, guarded if it can change the file system; otherwise itself. */
  HostFunction wrap(HostFunction function) {
    WasmFunctionHandle inner = function.handle();
    WasmFunctionHandle guarded =
        switch (function.name()) {
          case "path_open" -> (instance, args) -> pathOpen(inner, instance, args);
          case "path_create_directory",
              "path_remove_directory",
              "path_unlink_file",
              "path_filestat_set_times",
              "fd_write",
              "fd_pwrite",
              "fd_allocate",
              "fd_filestat_set_size",
              "fd_filestat_set_times" ->
              (instance, args) -> refuseIf(readOnly.contains((int) args[0]), inner, instance, args);
          case "path_rename" ->
              (instance, args) ->
                  refuseIf(
                      readOnly.contains((int) args[0]) || readOnly.contains((int) args[3]),
                      inner,
                      instance,
                      args);
          case "fd_close" -> (instance, args) -> close(inner, instance, args);
          case "fd_renumber" -> (instance, args) -> renumber(inner, instance, args);
          default -> null;
        };
    if (guarded == null) {
      return function;
    }
    return new HostFunction(function.module(), function.name(), function.functionType(), guarded);
  }

  private static long[] refuseIf(
      boolean refuse, WasmFunctionHandle inner, Instance instance, long[] args) {
    return refuse ? new long[] {ERRNO_ROFS} : inner.apply(instance, args);
  }

  // path_open(fd, dirflags, path, path_len, oflags, rights_base, rights_inheriting, fdflags, out)
  private long[] pathOpen(WasmFunctionHandle inner, Instance instance, long[] args) {
    int dirFd = (int) args[0];
    boolean fromReadOnly = readOnly.contains(dirFd);
    if (fromReadOnly
        && ((args[4] & (OFLAG_CREAT | OFLAG_TRUNC)) != 0
            || (args[5] & WRITE_RIGHTS) != 0
            || (args[7] & FDFLAG_APPEND) != 0)) {
      return new long[] {ERRNO_ROFS};
    }
    long[] result = inner.apply(instance, args);
    if (result != null && result.length == 1 && result[0] == 0) {
      int opened = instance.memory().readInt((int) args[8]);
      if (fromReadOnly) {
        readOnly.add(opened);
      } else {
        readOnly.remove(opened);
      }
    }
    return result;
  }

  private long[] close(WasmFunctionHandle inner, Instance instance, long[] args) {
    long[] result = inner.apply(instance, args);
    if (result != null && result.length == 1 && result[0] == 0) {
      readOnly.remove((int) args[0]);
    }
    return result;
  }

  // fd_renumber(from, to): "to" now names what "from" named; "from" is closed.
  private long[] renumber(WasmFunctionHandle inner, Instance instance, long[] args) {
    long[] result = inner.apply(instance, args);
    if (result != null && result.length == 1 && result[0] == 0) {
      int from = (int) args[0];
      int to = (int) args[1];
      boolean was = readOnly.remove(from);
      if (was) {
        readOnly.add(to);
      } else {
        readOnly.remove(to);
      }
    }
    return result;
  }
}
