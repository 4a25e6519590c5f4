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
