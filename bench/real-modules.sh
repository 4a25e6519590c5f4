#!/usr/bin/env bash
# Real-module benchmark: Yosys 0.55 (npm @yowasp/yosys, pinned; its gen/yosys.core.wasm is a 30 MB
# wasi_snapshot_preview1 command) under node's WASI and under the phase sandbox, in one invocation:
#   - `yosys -V` in a fresh process: node; `phase exec` with an empty compiled-module cache (the
#     run is interpreted while the module compiles in the background; the process then waits for
#     the compile to reach the cache); `phase exec` with the disk cache filled;
#   - synthesis of bench/designs/counter.v (`read_verilog; synth -top counter -noabc; stat`, the data
#     directory and the design in one directory mapped at /): fresh `phase exec` with the disk
#     cache against a fresh node process, and warm in one process (RealModuleBench: one Sandbox,
#     runs 2.. reuse the compiled module) against node's run time (node cannot run this module
#     twice in one process; its run time includes V8's lazy compile).
# Checks that phase's stdout equals node's for both commands; prints figures, ratios to node and
# PASS/MISS per target.
#
# Usage: bench/real-modules.sh [--reps R]   (warm synthesis runs, default 3)
# Environment: PHASE_BENCH_CACHE (default ~/.cache/phase-bench) holds the npm package, the work
# directory and the compiled-module caches (PHASE_BENCH_KEEP=1 keeps this run's files); the build
# runs offline (./mvnw -o).
#
# Targets (issue 11, 2-core machine): `yosys -V` in a fresh `phase exec` <= 5 s with an empty cache
# and <= 1.5 s with the disk cache; warm synthesis <= 3x node.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
yosys_version="0.55.944"
reps=3

die() {
  echo "real-modules.sh: $*" >&2
  exit 1
}

log() {
  echo "real-modules.sh: $*" >&2
}

while (($#)); do
  case "$1" in
    --reps)
      [[ $# -ge 2 && "$2" =~ ^[0-9]+$ ]] && (($2 >= 2 && $2 <= 20)) || die "--reps needs an integer in 2..20"
      reps="$2"
      shift 2
      ;;
    *)
      sed -n '14,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
      exit 2
      ;;
  esac
done

command -v node >/dev/null || die "node is required (node 20+: node:wasi)"
command -v npm >/dev/null || die "npm is required"

cache="${PHASE_BENCH_CACHE:-${HOME}/.cache/phase-bench}"
pkg_root="${cache}/yosys-${yosys_version}"
pkg="${pkg_root}/node_modules/@yowasp/yosys"
if [[ ! -f "${pkg}/gen/yosys.core.wasm" ]]; then
  log "installing @yowasp/yosys@${yosys_version} into ${pkg_root}"
  mkdir -p "${pkg_root}"
  (cd "${pkg_root}" && echo '{"private":true}' >package.json \
    && npm install --no-audit --no-fund --ignore-scripts "@yowasp/yosys@${yosys_version}" >&2)
fi
module="${pkg}/gen/yosys.core.wasm"
[[ -f "${module}" ]] || die "${module} missing after npm install"

run_dir="$(mktemp -d "${cache}/run.XXXXXX")"
if [[ -z "${PHASE_BENCH_KEEP:-}" ]]; then
  trap 'rm -rf "${run_dir}"' EXIT
else
  log "keeping ${run_dir}"
fi
work="${run_dir}/work"
node --no-warnings "${repo_root}/bench/yosys-share.mjs" "${pkg}" "${work}"
mkdir -p "${work}/tmp"
cp "${repo_root}/bench/designs/counter.v" "${work}/counter.v"
# -noabc: ABC is a second program (yosys-abc) that only YoWASP's JS runtime can start.
script='read_verilog /counter.v; synth -top counter -noabc; stat'

core="${repo_root}/phase-core"
log "building phase.jar and the harness (offline)"
(cd "${repo_root}" && ./mvnw -o -q -pl phase-cli -am package -DskipTests >&2 \
  && ./mvnw -o -q -pl phase-core test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt >&2) \
  || die "build failed"
# Snapshots, so a build running meanwhile cannot change what is measured.
cp "${repo_root}/phase-cli/target/phase.jar" "${run_dir}/phase.jar"
cp -r "${core}/target/classes" "${run_dir}/classes"
cp -r "${core}/target/test-classes" "${run_dir}/test-classes"
jar="${run_dir}/phase.jar"
classpath="${run_dir}/test-classes:${run_dir}/classes:$(cat "${core}/target/bench-classpath.txt")"
# shellcheck source=../scripts/jvm-options.sh
source "${repo_root}/scripts/jvm-options.sh"
java_opts=(-XX:-DontCompileHugeMethods $(jvm_version_options java))

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# phase exec with a given compiled-module cache; stdout to $1, stderr to $2, the rest are args.
phase_exec() {
  local out="$1" err="$2"
  shift 2
  PHASE_LOG_LEVEL=INFO java "${java_opts[@]}" -jar "${jar}" exec --key "${run_dir}/node.key" \
    --memory-mb 1024 --timeout-s 3600 "$@" >"${out}" 2>"${err}"
}

# --- node
log "node: yosys -V (fresh process)"
t0="$(now_ms)"
node --no-warnings "${repo_root}/bench/node-wasi-run.mjs" "${module}" -V >"${run_dir}/node-v.out" 2>"${run_dir}/node-v.err"
node_v_ms=$(($(now_ms) - t0))
# This module cannot run twice in one node process (it closes its stdio, and the next WASI
# instance fails with UVWASI_EBADF), so node's synthesis runs in fresh processes; its time per
# run includes V8's (lazy, fast) compile.
log "node: synthesis, ${reps} fresh processes"
node_synth_process_ms=""
for ((rep = 1; rep <= reps; rep++)); do
  t0="$(now_ms)"
  node --no-warnings "${repo_root}/bench/node-wasi-run.mjs" --dir "${work}:/" "${module}" \
    -Q -T -p "${script}" >"${run_dir}/node-synth.out" 2>"${run_dir}/node-synth.err" \
    || { tail -n 5 "${run_dir}/node-synth.err" "${run_dir}/node-synth.out" >&2; die "node synthesis failed"; }
  ms=$(($(now_ms) - t0))
  if [[ -z "${node_synth_process_ms}" || ${ms} -lt ${node_synth_process_ms} ]]; then node_synth_process_ms=${ms}; fi
  run_ms="$(awk '/^RESULT name=node_run/{sub("ms=","",$4); print int($4)}' "${run_dir}/node-synth.err")"
  if [[ -z "${node_synth_warm_ms:-}" || ${run_ms} -lt ${node_synth_warm_ms} ]]; then node_synth_warm_ms=${run_ms}; fi
done
grep -q 'Number of cells' "${run_dir}/node-synth.out" || die "node synthesis printed no statistics"

# --- phase exec, empty cache
compiled="${run_dir}/compiled"
log "phase exec: yosys -V, empty compiled-module cache (interpreted run, then the compile finishes)"
t0="$(now_ms)"
phase_exec "${run_dir}/phase-v-cold.out" "${run_dir}/phase-v-cold.err" --compiled-cache "${compiled}" "${module}" -V
phase_v_cold_total_ms=$(($(now_ms) - t0))
phase_v_cold_guest_ms="$(grep -o 'job_end .*wall_ms=[0-9]*' "${run_dir}/phase-v-cold.err" | grep -o '[0-9]*$')"
phase_v_cold_parse_ms="$(grep -o 'parse_ms=[0-9]*' "${run_dir}/phase-v-cold.err" | head -n1 | cut -d= -f2)"
compile_ms="$(grep -o 'source=compiler ms=[0-9]*' "${run_dir}/phase-v-cold.err" | head -n1 | grep -o '[0-9]*$' || echo '?')"
cmp -s "${run_dir}/phase-v-cold.out" "${run_dir}/node-v.out" || die "yosys -V: phase and node disagree"

# --- phase exec, disk cache
log "phase exec: yosys -V, disk cache"
t0="$(now_ms)"
phase_exec "${run_dir}/phase-v-disk.out" "${run_dir}/phase-v-disk.err" --compiled-cache "${compiled}" "${module}" -V
phase_v_disk_ms=$(($(now_ms) - t0))
grep -q 'source=disk' "${run_dir}/phase-v-disk.err" || die "the second phase exec did not load the compiled module from disk"
cmp -s "${run_dir}/phase-v-disk.out" "${run_dir}/node-v.out" || die "yosys -V (disk cache): phase and node disagree"

log "phase exec: synthesis, disk cache"
t0="$(now_ms)"
phase_exec "${run_dir}/phase-synth.out" "${run_dir}/phase-synth.err" --compiled-cache "${compiled}" \
  --dir "${work}:/" "${module}" -Q -T -p "${script}"
phase_synth_disk_ms=$(($(now_ms) - t0))
cmp -s "${run_dir}/phase-synth.out" "${run_dir}/node-synth.out" \
  || { diff "${run_dir}/node-synth.out" "${run_dir}/phase-synth.out" | head -n 20 >&2; die "synthesis: phase and node disagree"; }

log "sandbox: synthesis, ${reps} runs in one process (RealModuleBench)"
java "${java_opts[@]}" -Xmx3g -cp "${classpath}" io.phase.core.bench.RealModuleBench \
  --module "${module}" --cache "${compiled}" --reps "${reps}" --stdout "${run_dir}/warm.out" \
  --dir "${work}:/" -- -Q -T -p "${script}" 2>"${run_dir}/warm.err" >&2 \
  || { tail -n 20 "${run_dir}/warm.err" >&2; die "RealModuleBench failed"; }
cmp -s "${run_dir}/warm.out" "${run_dir}/node-synth.out" || die "warm synthesis: sandbox and node disagree"
warm_ms="$(awk '/^RESULT name=warm_run/ && $3 != "rep=1" {sub("ms=","",$4); if (m == "" || $4 < m) m = $4} END {print int(m)}' "${run_dir}/warm.err")"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a / b; else print "?" }'; }
verdict() { awk -v v="$1" -v t="$2" 'BEGIN { print (v <= t ? "PASS" : "MISS") }'; }

echo
echo "machine: $(nproc) cores, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), $(java -version 2>&1 | head -n 1), node $(node --version), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "module: @yowasp/yosys@${yosys_version} gen/yosys.core.wasm ($(stat -c %s "${module}") bytes)"
printf '%-52s %10s %10s %8s\n' "measurement" "phase ms" "node ms" "ratio"
printf '%-52s %10s %10s %8s\n' "yosys -V, fresh process, empty cache: guest done" "${phase_v_cold_guest_ms}" "${node_v_ms}" "$(ratio "${phase_v_cold_guest_ms}" "${node_v_ms}")"
printf '%-52s %10s %10s %8s\n' "  (of which parse+validate)" "${phase_v_cold_parse_ms}" "" ""
printf '%-52s %10s %10s %8s\n' "  process exit (background compile finished)" "${phase_v_cold_total_ms}" "${node_v_ms}" "$(ratio "${phase_v_cold_total_ms}" "${node_v_ms}")"
printf '%-52s %10s %10s %8s\n' "  (of which the compile, background)" "${compile_ms}" "" ""
printf '%-52s %10s %10s %8s\n' "yosys -V, fresh process, disk cache" "${phase_v_disk_ms}" "${node_v_ms}" "$(ratio "${phase_v_disk_ms}" "${node_v_ms}")"
printf '%-52s %10s %10s %8s\n' "synthesis, fresh process, disk cache (node: best process)" "${phase_synth_disk_ms}" "${node_synth_process_ms}" "$(ratio "${phase_synth_disk_ms}" "${node_synth_process_ms}")"
printf '%-52s %10s %10s %8s\n' "synthesis, warm in-process (best of runs 2..${reps}; node: best run incl. its compile)" "${warm_ms}" "${node_synth_warm_ms}" "$(ratio "${warm_ms}" "${node_synth_warm_ms}")"
echo
echo "target yosys -V fresh, empty cache <= 5000 ms (guest done): $(verdict "${phase_v_cold_guest_ms}" 5000)"
echo "target yosys -V fresh, disk cache <= 1500 ms: $(verdict "${phase_v_disk_ms}" 1500)"
echo "target warm synthesis <= 3x node: $(verdict "$(ratio "${warm_ms}" "${node_synth_warm_ms}")" 3)"
echo "outputs: yosys -V and synthesis stdout identical to node's"
