#!/usr/bin/env bash
# Local-execution benchmark: in one invocation, runs the CPU-bound fixture (fixtures/wasm/cpu.wasm,
# `cpu N` = N x 150000 SHA-256 links) natively (gcc -O2), under node's WASI when node is present,
# and in the phase sandbox (Chicory) cold and warm; measures starting a cached module; times
# `phase exec` end to end; prints a table of figures, ratios against native and PASS/MISS per target.
#
# Usage: bench/local-exec.sh [--n N] [--reps R] [--quick]
#   --n N     work size for cpu.wasm (default 8: about 0.5-0.7 s natively on a 2020s x86-64 core)
#   --reps R  repetitions of the native, node and `phase exec` runs, and of the warm sandbox
#             runs (default 5); the median is reported
#   --quick   fewer repetitions everywhere (a smoke run; figures are less stable)
# Environment: PHASE_BENCH_JAVA_OPTS (default -Xmx1g -XX:-DontCompileHugeMethods, the options
# ./phase uses) for the harness JVM; PHASE_BENCH_JAVA (default java) is the java binary for the
# harness. The build runs offline (./mvnw -o), so dependencies must already be in ~/.m2.
#
# Targets (from the issue): warm sandbox run <= 2x native; starting a cached module <= 20 ms.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n=8
reps=5
quick=0

die() {
  echo "local-exec.sh: $*" >&2
  exit 1
}

usage() {
  sed -n '7,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

while (($#)); do
  case "$1" in
    --n)
      [[ $# -ge 2 && "$2" =~ ^[0-9]+$ ]] && (($2 >= 1 && $2 <= 10000)) || die "--n needs an integer in 1..10000"
      n="$2"
      shift 2
      ;;
    --reps)
      [[ $# -ge 2 && "$2" =~ ^[0-9]+$ ]] && (($2 >= 1 && $2 <= 100)) || die "--reps needs an integer in 1..100"
      reps="$2"
      shift 2
      ;;
    --quick)
      quick=1
      shift
      ;;
    -h | --help) usage ;;
    *) usage ;;
  esac
done

if ((quick)); then
  reps=2
  java_reps=(--cold-reps 1 --warmup 2 --warm-reps 2 --start-warmup 20 --start-reps 50 --uncached-reps 5)
else
  java_reps=(--cold-reps 3 --warmup 3 --warm-reps "${reps}" --start-warmup 100 --start-reps 300 --uncached-reps 20)
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/phase-bench.XXXXXX")"
trap 'rm -rf -- "${work}"' EXIT

log() {
  echo "local-exec.sh: $*" >&2
}

now_ns() {
  date +%s%N
}

# Median of the numbers on stdin, one per line.
median() {
  sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1; if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# The value of `ms=` on the RESULT line named $1 in file $2.
result_ms() {
  awk -v name="$1" '$1 == "RESULT" && $2 == "name=" name { for (i = 3; i <= NF; i++) if ($i ~ /^ms=/) { sub(/^ms=/, "", $i); print $i; exit } }' "$2"
}

# Field $1 (e.g. cpu_ms) of every node_run line.
node_field() {
  awk -v key="$1=" '$1 == "RESULT" && $2 == "name=node_run" { for (i = 3; i <= NF; i++) if (index($i, key) == 1) print substr($i, length(key) + 1) }' "${work}/node.err"
}

ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'
}

cpu_wasm="${repo_root}/fixtures/wasm/cpu.wasm"
io_wasm="${repo_root}/fixtures/wasm/io.wasm"

# 1. Native (gcc -O2).
log "building the native benchmark"
"${repo_root}/fixtures/build.sh" --native-bench "${work}/cpu-native" >&2
log "native: cpu ${n} x ${reps}"
expected=""
: >"${work}/native.ms"
: >"${work}/native.cpu"
TIMEFORMAT='%3U %3S'
for ((i = 1; i <= reps; i++)); do
  start="$(now_ns)"
  { time "${work}/cpu-native" "${n}" >"${work}/native.out"; } 2>"${work}/native.time" || die "native run failed"
  end="$(now_ns)"
  out="$(cat "${work}/native.out")"
  awk '{ printf "%.3f\n", ($1 + $2) * 1000 }' "${work}/native.time" >>"${work}/native.cpu"
  [[ "${out}" =~ ^checksum=[0-9a-f]{64}$ ]] || die "native run printed '${out}'"
  [[ -z "${expected}" || "${out}" == "${expected}" ]] || die "native runs disagree: '${out}' vs '${expected}'"
  expected="${out}"
  echo "$(((end - start) / 1000))" | awk '{ printf "%.3f\n", $1 / 1000 }' >>"${work}/native.ms"
done
checksum="${expected#checksum=}"
case "${n}" in
  1) [[ "${checksum}" == 7f29d8ebcfdaa452f2b3f63955efb268e29bdb6fcd0468bb23d375ff9fff8779 ]] || die "native checksum differs from fixtures/README.md" ;;
  2) [[ "${checksum}" == 6ab45c342b37a5b123a47d87d2b11bfba37adceb932cba2184981b4c03ab249b ]] || die "native checksum differs from fixtures/README.md" ;;
esac
native_ms="$(median <"${work}/native.ms")"
native_cpu="$(median <"${work}/native.cpu")"
log "native median ${native_ms} ms wall, ${native_cpu} ms CPU (${checksum})"

# 2. Node's WASI, when node is present.
node_ms=""
node_cpu=""
node_first_ms=""
node_version="absent"
if command -v node >/dev/null 2>&1; then
  node_version="$(node --version)"
  log "node ${node_version}: cpu ${n} x ${reps} in one process"
  node --no-warnings "${repo_root}/bench/node-wasi-run.mjs" --reps "${reps}" "${cpu_wasm}" "${n}" \
    >"${work}/node.out" 2>"${work}/node.err" || { cat "${work}/node.err" >&2; die "node run failed"; }
  while IFS= read -r line; do
    [[ "${line}" == "${expected}" ]] || die "node printed '${line}', expected '${expected}'"
  done <"${work}/node.out"
  [[ "$(wc -l <"${work}/node.out")" -eq "${reps}" ]] || die "node printed $(wc -l <"${work}/node.out") lines for ${reps} runs"
  node_first_ms="$(result_ms node_run "${work}/node.err")"
  cat "${work}/node.err" >&2
  node_ms="$(node_field ms | median)"
  node_cpu="$(node_field cpu_ms | median)"
  log "node median ${node_ms} ms wall, ${node_cpu} ms CPU; first run ${node_first_ms} ms"
else
  log "node not found: skipping the node WASI run"
fi

# 3. The sandbox, through the Java harness on phase-core's test class path. The CLI jar is
# built in the same Maven run, for step 4.
log "building phase-core (test classes) and phase-cli"
(cd "${repo_root}" && ./mvnw -B -q -o -pl phase-core,phase-cli -am -DskipTests package \
  dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt) >&2 \
  || die "maven build failed"
core="${repo_root}/phase-core"
classpath="${core}/target/test-classes:${core}/target/classes:$(cat "${core}/target/bench-classpath.txt")"
# shellcheck disable=SC2086 # PHASE_BENCH_JAVA_OPTS is a list of JVM options
java_opts=(${PHASE_BENCH_JAVA_OPTS:--Xmx1g -XX:-DontCompileHugeMethods})
java_bin="${PHASE_BENCH_JAVA:-java}"
# shellcheck source=../scripts/jvm-options.sh
source "${repo_root}/scripts/jvm-options.sh"
# shellcheck disable=SC2207 # a list of JVM options
java_opts+=($(jvm_version_options "${java_bin}"))
log "sandbox: ${java_bin} ${java_opts[*]} LocalExecBench --n ${n} ${java_reps[*]}"
"${java_bin}" "${java_opts[@]}" -cp "${classpath}" io.phase.core.bench.LocalExecBench \
  --fixtures "${repo_root}/fixtures/wasm" --n "${n}" --expect "${checksum}" "${java_reps[@]}" \
  2>"${work}/java.err" | tee "${work}/java.out" >&2 || { cat "${work}/java.err" >&2; die "sandbox benchmark failed"; }
grep -q '^RESULT name=uncached_start_median ' "${work}/java.out" || { cat "${work}/java.err" >&2; die "sandbox benchmark did not finish"; }

# 4. `phase exec` end to end: JVM start, key load, compile, run, receipt.
log "phase exec io.wasm exit 0 x ${reps}"
: >"${work}/exec.ms"
for ((i = 1; i <= reps; i++)); do
  start="$(now_ns)"
  "${repo_root}/phase" exec --key "${work}/node.key" --receipt "${work}/receipt.json" "${io_wasm}" exit 0 \
    >/dev/null 2>"${work}/exec.err" || { cat "${work}/exec.err" >&2; die "phase exec failed"; }
  end="$(now_ns)"
  echo "$(((end - start) / 1000))" | awk '{ printf "%.3f\n", $1 / 1000 }' >>"${work}/exec.ms"
done
exec_ms="$(median <"${work}/exec.ms")"

# 5. The table.
j() { result_ms "$1" "${work}/java.out"; }
cold_ms="$(j cold_median)"
cold_first_ms="$(result_ms cold_run "${work}/java.out")"
warm_ms="$(j warm_median)"
warm_min_ms="$(j warm_min)"
start_ms="$(j cached_start_median)"
start_p90_ms="$(j cached_start_p90)"
start_inside_ms="$(j cached_start_sandbox_median)"
uncached_ms="$(j uncached_start_median)"
uncached_p90_ms="$(j uncached_start_p90)"
cold_cpu="$(j cold_cpu_median)"
warm_cpu="$(j warm_cpu_median)"
warm_cpu_min="$(j warm_cpu_min)"
warm_ratio="$(ratio "${warm_ms}" "${native_ms}")"
warm_cpu_ratio="$(ratio "${warm_cpu}" "${native_cpu}")"
# PASS only when both wall and CPU time meet the target.
warm_verdict="$(awk -v r="${warm_ratio}" -v c="${warm_cpu_ratio}" 'BEGIN { print (r <= 2.0 && c <= 2.0 ? "PASS" : "MISS") }')"
start_verdict="$(awk -v a="${start_ms}" -v b="${start_p90_ms}" 'BEGIN { print (a <= 20 && b <= 20 ? "PASS" : "MISS") }')"

row() { printf '| %-46s | %10s | %10s | %10s | %10s |\n' "$@"; }
echo
echo "Local execution benchmark: cpu.wasm ${n} (${n} x 150000 SHA-256 links), $(date -u +%Y-%m-%dT%H:%MZ)"
echo "machine: $(nproc) cores, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), $("${java_bin}" -version 2>&1 | head -n 1) (${java_opts[*]}), node ${node_version}, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
row "Run" "Wall (ms)" "vs native" "CPU (ms)" "vs native"
row "---" "---:" "---:" "---:" "---:"
row "native gcc -O2, median of ${reps}" "${native_ms}" "1.00" "${native_cpu}" "1.00"
if [[ -n "${node_ms}" ]]; then
  row "node WASI, first run (compile included)" "${node_first_ms}" "$(ratio "${node_first_ms}" "${native_ms}")" "" ""
  row "node WASI, median of ${reps} in one process" "${node_ms}" "$(ratio "${node_ms}" "${native_ms}")" "${node_cpu}" "$(ratio "${node_cpu}" "${native_cpu}")"
else
  row "node WASI" "skipped" "-" "" ""
fi
row "sandbox cold, first in a fresh JVM" "${cold_first_ms}" "$(ratio "${cold_first_ms}" "${native_ms}")" "" ""
row "sandbox cold (new Sandbox per run), median" "${cold_ms}" "$(ratio "${cold_ms}" "${native_ms}")" "${cold_cpu}" "$(ratio "${cold_cpu}" "${native_cpu}")"
row "sandbox warm, median" "${warm_ms}" "${warm_ratio}" "${warm_cpu}" "${warm_cpu_ratio}"
row "sandbox warm, min" "${warm_min_ms}" "$(ratio "${warm_min_ms}" "${native_ms}")" "${warm_cpu_min}" "$(ratio "${warm_cpu_min}" "${native_cpu}")"
row "cached start (io.wasm exit 0), median" "${start_ms}" "" "" ""
row "cached start, p90" "${start_p90_ms}" "" "" ""
row "cached start, inside the sandbox, median" "${start_inside_ms}" "" "" ""
row "uncached start (compile each run), median" "${uncached_ms}" "" "" ""
row "uncached start, p90" "${uncached_p90_ms}" "" "" ""
row "phase exec io.wasm exit 0 (JVM incl.), median" "${exec_ms}" "" "" ""
echo
echo "target warm <= 2x native:          ${warm_verdict} (${warm_ratio}x wall, ${warm_cpu_ratio}x CPU)"
echo "target cached start <= 20 ms:      ${start_verdict} (median ${start_ms} ms, p90 ${start_p90_ms} ms)"
