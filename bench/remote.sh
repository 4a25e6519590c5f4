#!/usr/bin/env bash
# Remote-execution benchmark: in one invocation (one JVM: 3 worker nodes and a client on
# 127.0.0.1, real TCP + Noise + Yamux), measures the round trip of a no-op job
# (fixtures/wasm/io.wasm `exit 0`, module cached on every worker, connections warm) and the
# throughput with 1, 8 and 64 jobs in flight over the 3 workers; runs the same module locally in
# a Sandbox as the baseline; prints a table, ratios and PASS/MISS per target.
#
# Usage: bench/remote.sh [--quick] [--workers N]
#   --quick      fewer repetitions (a smoke run; figures are less stable)
#   --workers N  worker nodes (default 3)
# Environment: PHASE_BENCH_JAVA (default `java`) is the JVM running the harness (e.g. a newer JDK
# than the build's 17); PHASE_BENCH_JAVA_OPTS (default -Xmx1g) its options, e.g. add
# -XX:StartFlightRecording=filename=remote.jfr,settings=profile to profile it; the build runs
# offline (./mvnw -o), so dependencies must already be in ~/.m2.
#
# Targets (from the issue): warm no-op round trip p50 <= 5 ms and p99 <= 20 ms;
# >= 500 no-op jobs/s over 3 workers (the best of 8 and 64 in flight).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
workers=3
reps=(--warmup 2000 --rt-reps 2000 --tp-jobs 3000)

die() {
  echo "remote.sh: $*" >&2
  exit 1
}

usage() {
  sed -n '8,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

while (($#)); do
  case "$1" in
    --quick)
      reps=(--warmup 300 --rt-reps 300 --tp-jobs 600)
      shift
      ;;
    --workers)
      [[ $# -ge 2 && "$2" =~ ^[0-9]+$ ]] && (($2 >= 1 && $2 <= 16)) || die "--workers needs an integer in 1..16"
      workers="$2"
      shift 2
      ;;
    -h | --help) usage ;;
    *) usage ;;
  esac
done

work="$(mktemp -d "${TMPDIR:-/tmp}/phase-bench-remote.XXXXXX")"
trap 'rm -rf -- "${work}"' EXIT

log() {
  echo "remote.sh: $*" >&2
}

# Field $2 (e.g. p50_ms) of the RESULT line named $1, optionally with concurrency=$3.
field() {
  awk -v name="$1" -v key="$2=" -v level="${3:-}" '
    $1 == "RESULT" && $2 == "name=" name && (level == "" || $3 == "concurrency=" level) {
      for (i = 3; i <= NF; i++) if (index($i, key) == 1) { print substr($i, length(key) + 1); exit }
    }' "${work}/java.out"
}

ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'
}

log "building phase-core (test classes)"
(cd "${repo_root}" && ./mvnw -B -q -o -pl phase-core -am -DskipTests package \
  dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt) >&2 \
  || die "maven build failed"
core="${repo_root}/phase-core"
classpath="${core}/target/test-classes:${core}/target/classes:$(cat "${core}/target/bench-classpath.txt")"
# shellcheck disable=SC2086 # PHASE_BENCH_JAVA_OPTS is a list of JVM options
java_opts=(${PHASE_BENCH_JAVA_OPTS:--Xmx1g})
java_bin="${PHASE_BENCH_JAVA:-java}"
log "${java_bin} ${java_opts[*]} RemoteBench --workers ${workers} ${reps[*]}"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
"${java_bin}" "${java_opts[@]}" -cp "${classpath}" io.phase.core.bench.RemoteBench \
  --fixtures "${repo_root}/fixtures/wasm" --workers "${workers}" "${reps[@]}" \
  2>"${work}/java.err" | tee "${work}/java.out" >&2 || { tail -n 50 "${work}/java.err" >&2; die "benchmark failed"; }
grep -q '^RESULT name=remote_tp concurrency=64 ' "${work}/java.out" || { tail -n 50 "${work}/java.err" >&2; die "benchmark did not finish"; }
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

rt50="$(field remote_rt p50_ms)"
rt99="$(field remote_rt p99_ms)"
lrt50="$(field local_rt p50_ms)"
lrt99="$(field local_rt p99_ms)"
row() { printf '| %-44s | %10s | %10s | %10s |\n' "$@"; }
echo
echo "Remote execution benchmark: io.wasm exit 0, ${workers} workers + 1 client in one JVM on 127.0.0.1, $(date -u +%Y-%m-%dT%H:%MZ)"
echo "machine: $(nproc) cores, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), $("${java_bin}" -version 2>&1 | head -n 1), load average ${load_before} before, ${load_after} after"
echo
row "Measure" "Remote" "Local" "Remote/local"
row "---" "---:" "---:" "---:"
row "round trip p50 (ms), one job at a time" "${rt50}" "${lrt50}" "$(ratio "${rt50}" "${lrt50}")"
row "round trip p99 (ms)" "${rt99}" "${lrt99}" "$(ratio "${rt99}" "${lrt99}")"
best=0
for level in 1 8 64; do
  r="$(field remote_tp jobs_per_s "${level}")"
  l="$(field local_tp jobs_per_s "${level}")"
  row "throughput, ${level} in flight (jobs/s)" "${r}" "${l}" "$(ratio "${r}" "${l}")"
  if ((level > 1)); then
    best="$(awk -v a="${best}" -v b="${r}" 'BEGIN { print (b > a ? b : a) }')"
  fi
done
sign_us="$(field ed25519 sign_us)"
verify_us="$(field ed25519 verify_us)"
echo
echo "Ed25519 per job (worker signs, client verifies): sign ${sign_us} us + verify ${verify_us} us = $(awk -v a="${sign_us}" -v b="${verify_us}" 'BEGIN { printf "%.2f", (a + b) / 1000 }') ms of CPU"
rt_verdict="$(awk -v a="${rt50}" -v b="${rt99}" 'BEGIN { print (a <= 5 && b <= 20 ? "PASS" : "MISS") }')"
tp_verdict="$(awk -v a="${best}" 'BEGIN { print (a >= 500 ? "PASS" : "MISS") }')"
echo
echo "target round trip p50 <= 5 ms, p99 <= 20 ms:  ${rt_verdict} (p50 ${rt50} ms, p99 ${rt99} ms)"
echo "target >= 500 jobs/s over ${workers} workers:        ${tp_verdict} (best ${best} jobs/s)"
