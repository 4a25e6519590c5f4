# Sourced by ./phase and the benchmark scripts: JVM options that depend on the JVM's version.
#
# jvm_version_options JAVA_BIN prints (space-separated, possibly nothing):
#   --sun-misc-unsafe-memory-access=allow   on JDK 24 and later. The sandbox's flat guest memory
#       (phase-core FlatMemory/RawAccess) reads and writes guest memory through sun.misc.Unsafe
#       after its own bounds check; from JDK 24 the JVM warns on such use unless this is given,
#       and without it the sandbox falls back to checked VarHandle views (correct, ~20% slower).
# The version comes from the JDK's `release` file (no JVM is started); unknown means no options.

jvm_major_version() {
  local bin home release version
  bin="$(command -v "$1" 2>/dev/null)" || return 1
  bin="$(readlink -f "${bin}")" || return 1
  home="$(dirname "$(dirname "${bin}")")"
  release="${home}/release"
  [[ -f "${release}" ]] || return 1
  version="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "${release}")"
  [[ "${version}" =~ ^[0-9]+$ ]] || return 1
  echo "${version}"
}

jvm_version_options() {
  local major
  major="$(jvm_major_version "$1")" || return 0
  if ((major >= 24)); then
    echo "--sun-misc-unsafe-memory-access=allow"
  fi
}

# phase_heap_options ARGS... prints the heap option for `phase node` (nothing for other commands):
#   -Xmx<N*100/60>m when ARGS hold --max-memory-total-mb N (or =N): guest memory lives on the JVM
#       heap and gets 60% of it (WorkerPolicy.GUEST_HEAP_PERCENT); the rest covers memory.grow
#       copies, replay buffers, the module cache and Netty. Without the option the JVM's default
#       max heap (a quarter of RAM) applies and the budget is 60% of it. A later -Xmx in
#       PHASE_JAVA_OPTS wins.
phase_heap_options() {
  [[ "${1:-}" == "node" ]] || return 0
  shift
  local total=""
  while (($# > 0)); do
    case "$1" in
      --max-memory-total-mb) total="${2:-}"; shift ;;
      --max-memory-total-mb=*) total="${1#*=}" ;;
    esac
    shift
  done
  if [[ "${total}" =~ ^[0-9]{1,9}$ ]]; then
    echo "-Xmx$(((10#${total} * 100 + 59) / 60))m"
  fi
}
