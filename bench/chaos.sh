#!/usr/bin/env bash
# Chaos benchmark with real processes: N jobs (each a real `phase run` of ticker.wasm, P at a
# time) over three real `phase node` workers on 127.0.0.1. Runs the load twice in one invocation:
# first undisturbed (the baseline), then while nodes 1 and 2 are killed with kill -9 (at 25 % and
# 60 % of the jobs) and restarted 3 s later. Node 0 (the bootstrap peer) is never killed.
# Prints, for each run: jobs completed exactly once (exit 0, whole output once, receipt verified,
# distinct job id), retries, p50/p99 job latency (process start to exit), wall time, and node 0's
# RSS and heap (jcmd GC.heap_info) before and after; then the chaos/baseline latency ratios.
#
# Usage: bench/chaos.sh [--jobs N] [--parallel P] [--ticks T]
#   --jobs N      jobs per run (default 100)
#   --parallel P  phase run processes at once (default 6)
#   --ticks T     ticker ticks per job, 100 ms apart (default 8)
# Needs phase-cli/target/phase.jar (built here with ./mvnw -o package if missing).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jobs=100
parallel=6
ticks=8

usage() {
  sed -n '9,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}
while (($#)); do
  case "$1" in
    --jobs) jobs="${2:?}"; shift 2 ;;
    --parallel) parallel="${2:?}"; shift 2 ;;
    --ticks) ticks="${2:?}"; shift 2 ;;
    *) usage ;;
  esac
done
[[ "$jobs" =~ ^[0-9]+$ && "$parallel" =~ ^[0-9]+$ && "$ticks" =~ ^[0-9]+$ ]] || usage
((jobs >= 4 && jobs <= 10000 && parallel >= 1 && parallel <= 64 && ticks >= 1)) || usage

jar="$repo/phase-cli/target/phase.jar"
if [[ ! -f "$jar" ]]; then
  (cd "$repo" && ./mvnw -o -q -pl phase-cli -am package -DskipTests -Dit.test=none)
fi
ticker="$repo/fixtures/wasm/ticker.wasm"
java_opts=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto)
work="$(mktemp -d "${TMPDIR:-/tmp}/phase-bench-chaos.XXXXXX")"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf -- "$work"
}
trap cleanup EXIT

phase() { java "${java_opts[@]}" -jar "$jar" "$@"; }

# start_node I [BOOTSTRAP]: starts node I (key node$I.key), sets node_pid[I] and node_addr[I].
declare -A node_pid node_addr
start_node() {
  local i="$1" log="$work/node$1.$RANDOM"
  local args=(node --key "$work/node$i.key" --listen /ip4/127.0.0.1/tcp/0)
  [[ $# -ge 2 ]] && args+=(--bootstrap "$2")
  (cd "$work" && XDG_CONFIG_HOME="$work/config" exec java "${java_opts[@]}" -jar "$jar" "${args[@]}" \
    >"$log.out" 2>"$log.err") &
  node_pid[$i]=$!
  pids+=("$!")
  for _ in $(seq 600); do
    if grep -q '^LISTEN ' "$log.out" 2>/dev/null; then
      sleep 0.2
      node_addr[$i]="$(grep -m1 '^LISTEN ' "$log.out" | awk '{print $2}')"
      return 0
    fi
    kill -0 "${node_pid[$i]}" 2>/dev/null || { cat "$log.err" >&2; exit 1; }
    sleep 0.1
  done
  echo "chaos.sh: node $i printed no LISTEN line" >&2
  exit 1
}

memory() { # memory PID -> "rss=.. MiB heap_used=.. MiB"
  local rss heap
  rss=$(awk '/^VmRSS/ {printf "%d", $2/1024}' "/proc/$1/status" 2>/dev/null || echo "?")
  heap=$(jcmd "$1" GC.heap_info 2>/dev/null | awk '/generation|garbage-first heap/ {
    for (i = 1; i < NF; i++) if ($i == "used") { v = $(i + 1); gsub(/[^0-9]/, "", v); s += v } }
    END { print s + 0 }' || true)
  [[ -n "$heap" ]] && heap=$((heap / 1024)) || heap="?"
  echo "rss=${rss} MiB heap_used=${heap} MiB"
}

expected="$(for i in $(seq "$ticks"); do echo "tick $i"; done)"

# one_job RUN I: runs job I of RUN; writes "I rc millis retries jobid ok" to $work/RUN/I.res
one_job() {
  local run="$1" i="$2" d="$work/$1" t0 t1 rc=0
  t0=$(date +%s%N)
  # shellcheck disable=SC2086 # JAVA_OPTS_STR holds plain options
  (cd "$d" && XDG_CONFIG_HOME="$work/config" java $JAVA_OPTS_STR -jar "$jar" run \
    --key "$work/client$((i % parallel)).key" --bootstrap "$BOOTSTRAP" \
    --receipt "r$i.json" "$ticker" "$ticks" 100 >"$i.out" 2>"$i.err") || rc=$?
  t1=$(date +%s%N)
  local id ok=0 retries
  id="$(grep -oE 'receipt verified: job [0-9a-f]{64}' "$d/$i.err" | awk '{print $4}' | tail -1)"
  [[ $rc -eq 0 && -n "$id" && "$(cat "$d/$i.out")" == "$expected" ]] && ok=1
  retries=$(grep -c 'trying another worker' "$d/$i.err" || true)
  echo "$i $rc $(((t1 - t0) / 1000000)) $retries ${id:-none} $ok" >"$d/$i.res"
}
export -f one_job
export work jar ticker ticks parallel expected
export JAVA_OPTS_STR="${java_opts[*]}"

run_load() { # run_load NAME CHAOS(0|1)
  local name="$1" chaos="$2" d="$work/$1"
  mkdir -p "$d"
  echo "== $name: $jobs jobs, $parallel at a time over 3 workers$([[ $chaos == 1 ]] && echo ', kill -9 of nodes 1 and 2 with restarts')"
  echo "   node 0 before: $(memory "${node_pid[0]}")"
  local start end
  start=$(date +%s%N)
  (
    for i in $(seq 0 $((jobs - 1))); do echo "$i"; done |
      BOOTSTRAP="${node_addr[0]}" xargs -P "$parallel" -I{} bash -c 'one_job "$0" "$1"' "$name" {}
  ) &
  local load=$!
  if [[ $chaos == 1 ]]; then
    for step in "1 $((jobs / 4))" "2 $((jobs * 6 / 10))"; do
      read -r victim at <<<"$step"
      while (($(ls "$d"/*.res 2>/dev/null | wc -l) < at)) && kill -0 "$load" 2>/dev/null; do sleep 0.1; done
      kill -9 "${node_pid[$victim]}" 2>/dev/null || true
      wait "${node_pid[$victim]}" 2>/dev/null || true
      echo "   killed node $victim at $(ls "$d"/*.res | wc -l) jobs done"
      sleep 3
      start_node "$victim" "${node_addr[0]}"
      echo "   restarted node $victim"
    done
  fi
  wait "$load"
  end=$(date +%s%N)
  sort -n "$d"/*.res >"$d/all"
  local completed ids retries
  completed=$(awk '$6 == 1' "$d/all" | wc -l)
  ids=$(awk '$6 == 1 {print $5}' "$d/all" | sort -u | wc -l)
  retries=$(awk '{s += $4} END {print s + 0}' "$d/all")
  read -r p50 p99 < <(awk '{print $3}' "$d/all" | sort -n | awk '{a[NR] = $1} END {
    i50 = int(NR * 0.5); if (i50 < 1) i50 = 1; i99 = int(NR * 0.99); if (i99 < 1) i99 = 1;
    print a[i50], a[i99]}')
  echo "   completed exactly once: $completed of $jobs (distinct job ids: $ids), retries: $retries"
  echo "   failed: $(awk '$6 != 1 {printf "%s(rc %s) ", $1, $2}' "$d/all")"
  echo "   latency p50 ${p50} ms, p99 ${p99} ms, wall $(((end - start) / 1000000)) ms"
  echo "   node 0 after: $(memory "${node_pid[0]}")"
  eval "${name}_p50=$p50 ${name}_p99=$p99"
}

start_node 0
start_node 1 "${node_addr[0]}"
start_node 2 "${node_addr[0]}"
# wait until the three are advertised
for _ in $(seq 60); do
  n=$( (cd "$work" && XDG_CONFIG_HOME="$work/config" phase peers --bootstrap "${node_addr[0]}" --json --timeout-s 10 2>/dev/null) |
    grep -o '"peer_id"' | wc -l || true)
  ((n >= 3)) && break
  sleep 1
done

run_load baseline 0
run_load chaos 1
awk -v a="$baseline_p50" -v b="$chaos_p50" -v c="$baseline_p99" -v d="$chaos_p99" 'BEGIN {
  printf "chaos/baseline: p50 x%.2f, p99 x%.2f\n", b / a, d / c }'
