#!/usr/bin/env bash
# Input-tree benchmark: one real `phase node` (worker) on 127.0.0.1 with its own input store, and
# `phase run` dispatching fixtures/wasm/io.wasm (`exit 0`; the trees are still received, checked,
# stored and unpacked into the guest's file system) with a generated tree of tool data mounted
# read-only at /share (default 50 MiB in 200 files of pseudo-random bytes) plus a small /work.
# Runs, in one invocation:
#   baseline  the same job without any --dir (module already on the worker)
#   first     the tree is new to the worker: module + both trees travel
#   second    the same tool data again: nothing travels (the worker holds every digest)
#   changed   /work changed (one file rewritten): only that small tree travels
# and prints, per run, the bytes phase run reports sending and the wall time of the whole
# `phase run` process (JVM start, DHT join, dispatch, receipt check), plus second/first ratios.
#
# Usage: bench/input-trees.sh [--mb N] [--reps R]   (default 50 MiB, 3 repetitions of second)
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mb=50
reps=3

die() {
  echo "input-trees.sh: $*" >&2
  exit 1
}

while (($#)); do
  case "$1" in
    --mb)
      [[ $# -ge 2 && "$2" =~ ^[0-9]+$ ]] && (($2 >= 1 && $2 <= 1000)) || die "--mb needs an integer in 1..1000"
      mb="$2"
      shift 2
      ;;
    --reps)
      [[ $# -ge 2 && "$2" =~ ^[0-9]+$ ]] && (($2 >= 1 && $2 <= 20)) || die "--reps needs an integer in 1..20"
      reps="$2"
      shift 2
      ;;
    *)
      sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
      exit 2
      ;;
  esac
done

work="$(mktemp -d "${TMPDIR:-/tmp}/phase-bench-inputs.XXXXXX")"
node_pid=""
cleanup() {
  if [[ -n "${node_pid}" ]] && kill -0 "${node_pid}" 2>/dev/null; then
    kill "${node_pid}" 2>/dev/null || true
    wait "${node_pid}" 2>/dev/null || true
  fi
  rm -rf -- "${work}"
}
trap cleanup EXIT

log() {
  echo "input-trees.sh: $*" >&2
}

log "building the phase jar"
(cd "${repo_root}" && ./mvnw -B -q -o -pl phase-cli -am -DskipTests package) >&2 || die "maven build failed"
phase="${repo_root}/phase"
export XDG_CONFIG_HOME="${work}/config" XDG_CACHE_HOME="${work}/cache"

log "generating ${mb} MiB of tool data in 200 files"
mkdir -p "${work}/share/techlibs" "${work}/src"
per_file=$((mb * 1024 * 1024 / 200))
for i in $(seq 0 199); do
  head -c "${per_file}" /dev/urandom >"${work}/share/techlibs/cell${i}.lib"
done
echo "module top; endmodule" >"${work}/src/design.v"

"${phase}" node --listen /ip4/127.0.0.1/tcp/0 --key "${work}/node.key" \
  --input-store "${work}/store" --input-store-mb $((mb * 4)) \
  >"${work}/node.out" 2>"${work}/node.err" &
node_pid=$!
for _ in $(seq 1 600); do
  grep -q '^LISTEN ' "${work}/node.out" 2>/dev/null && break
  kill -0 "${node_pid}" 2>/dev/null || die "phase node exited: $(tail -n 5 "${work}/node.err")"
  sleep 0.1
done
bootstrap="$(grep -m1 '^LISTEN ' "${work}/node.out" | cut -d' ' -f2)"
[[ -n "${bootstrap}" ]] || die "phase node printed no LISTEN line"
log "worker ${bootstrap}"

# run NAME [--dir ...]: prints "NAME bytes wall_ms"
run() {
  local name="$1"
  shift
  local start end
  start="$(date +%s%N)"
  "${phase}" run --key "${work}/client.key" --bootstrap "${bootstrap}" "$@" \
    "${repo_root}/fixtures/wasm/io.wasm" exit 0 >"${work}/run.out" 2>"${work}/run.err" \
    || { cat "${work}/run.err" >&2; die "${name}: phase run failed"; }
  end="$(date +%s%N)"
  local bytes
  bytes="$(sed -n 's/^phase: sent \([0-9]*\) bytes.*/\1/p' "${work}/run.err")"
  [[ -n "${bytes}" ]] || { cat "${work}/run.err" >&2; die "${name}: no 'sent' line"; }
  echo "${name} ${bytes} $(((end - start) / 1000000))"
}

dirs=(--dir "${work}/share:/share:ro" --dir "${work}/src:/work")
# Warm the worker with the module (and the JVMs' page cache) so the baseline carries no module.
run warmup >/dev/null
results=()
results+=("$(run baseline)")
results+=("$(run first "${dirs[@]}")")
for r in $(seq 1 "${reps}"); do
  results+=("$(run "second#${r}" "${dirs[@]}")")
done
echo "design v2" >"${work}/src/design.v"
results+=("$(run changed "${dirs[@]}")")

printf '%-10s %14s %10s\n' run bytes_sent wall_ms
for line in "${results[@]}"; do
  # shellcheck disable=SC2086 # split the three fields
  printf '%-10s %14s %10s\n' ${line}
done
first_ms="$(printf '%s\n' "${results[@]}" | awk '$1 == "first" { print $3 }')"
first_bytes="$(printf '%s\n' "${results[@]}" | awk '$1 == "first" { print $2 }')"
base_ms="$(printf '%s\n' "${results[@]}" | awk '$1 == "baseline" { print $3 }')"
second_ms="$(printf '%s\n' "${results[@]}" | awk '$1 ~ /^second/ { print $3 }' | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')"
second_bytes="$(printf '%s\n' "${results[@]}" | awk '$1 ~ /^second/ { s += $2 } END { print s }')"
echo "tree: ${mb} MiB; first sent ${first_bytes} bytes, every second run ${second_bytes} in total"
awk -v f="${first_ms}" -v s="${second_ms}" -v b="${base_ms}" 'BEGIN {
  printf "wall: second (median) / first = %.2f; second / baseline (no --dir) = %.2f\n", s / f, s / b }'
