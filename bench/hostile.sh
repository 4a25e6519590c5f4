#!/usr/bin/env bash
# Hostile-load benchmark against one real `phase node` on 127.0.0.1, in one invocation:
#   1. baseline: N `phase ping` and N `phase run io.wasm exit 0` from 127.0.0.1, nothing else;
#   2. the same while 127.0.0.2 opens about 1,000 TCP connections/s to the node and keeps up to
#      800 of them idle (oldest closed first), as a hostile host would;
#   3. a stalled client: `phase run flood.wasm 200` (200 MiB of output) stopped with SIGSTOP after
#      its first MiB for S seconds, then continued: it must exit 0 with all 200 MiB.
# Prints successes, ping p50 (ms) and the node's RSS and heap (jcmd GC.heap_info, after a GC
# for "after" figures) before, at the peak (sampled every 0.5 s) and after each phase.
#
# Usage: bench/hostile.sh [--count N] [--stall-s S] [--rate R]
#   --count N    pings and runs per phase (default 20)
#   --stall-s S  how long the flood client stays stopped (default 60)
#   --rate R     hostile connections per second (default 1000)
# Needs python3 and phase-cli/target/phase.jar (built here with ./mvnw -o package if missing).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
count=20
stall=60
rate=1000
usage() {
  sed -n '11,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}
while (($#)); do
  case "$1" in
    --count) count="${2:?}"; shift 2 ;;
    --stall-s) stall="${2:?}"; shift 2 ;;
    --rate) rate="${2:?}"; shift 2 ;;
    *) usage ;;
  esac
done
[[ "$count" =~ ^[0-9]+$ && "$stall" =~ ^[0-9]+$ && "$rate" =~ ^[0-9]+$ ]] || usage

jar="$repo/phase-cli/target/phase.jar"
if [[ ! -f "$jar" ]]; then
  (cd "$repo" && ./mvnw -o -q -pl phase-cli -am package -DskipTests -Dit.test=none)
fi
java_opts=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto)
work="$(mktemp -d "${TMPDIR:-/tmp}/phase-bench-hostile.XXXXXX")"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -CONT "$p" 2>/dev/null || true; kill -9 "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf -- "$work"
}
trap cleanup EXIT
phase() { (cd "$work" && XDG_CONFIG_HOME="$work/config" java "${java_opts[@]}" -jar "$jar" "$@"); }

(cd "$work" && PHASE_LOG_LEVEL=INFO XDG_CONFIG_HOME="$work/config" exec java -Xmx2g "${java_opts[@]}" -jar "$jar" node \
  --key "$work/node.key" --listen /ip4/127.0.0.1/tcp/0 >"$work/node.out" 2>"$work/node.err") &
node=$!
pids+=("$node")
for _ in $(seq 600); do
  grep -q '^LISTEN ' "$work/node.out" 2>/dev/null && break
  kill -0 "$node" || { cat "$work/node.err" >&2; exit 1; }
  sleep 0.1
done
sleep 0.3
addr="$(grep -m1 '^LISTEN ' "$work/node.out" | awk '{print $2}')"
port="$(echo "$addr" | cut -d/ -f5)"

mem() { # mem [gc] -> "rss N MiB, heap N MiB"
  [[ "${1:-}" == gc ]] && jcmd "$node" GC.run >/dev/null 2>&1
  local rss heap
  rss=$(awk '/^VmRSS/ {printf "%d", $2/1024}' "/proc/$node/status")
  heap=$(jcmd "$node" GC.heap_info 2>/dev/null | awk '/generation|garbage-first heap/ {
    for (i = 1; i < NF; i++) if ($i == "used") { v = $(i + 1); gsub(/[^0-9]/, "", v); s += v } }
    END { print s + 0 }')
  echo "rss ${rss} MiB, heap ${heap:+$((heap / 1024))} MiB"
}
peak_start() { # samples RSS every 0.5 s into $work/peak
  : >"$work/peak"
  (while kill -0 "$node" 2>/dev/null; do
    awk '/^VmRSS/ {print int($2/1024)}' "/proc/$node/status" >>"$work/peak"
    jcmd "$node" GC.heap_info 2>/dev/null | awk '/generation|garbage-first heap/ {
    for (i = 1; i < NF; i++) if ($i == "used") { v = $(i + 1); gsub(/[^0-9]/, "", v); s += v } }
    END { print s + 0 }' |
      awk '{print "heap " int($1/1024)}' >>"$work/peak"
    sleep 0.5
  done) &
  sampler=$!
}
peak_stop() {
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  echo "peak rss $(grep -v heap "$work/peak" | sort -n | tail -1) MiB, peak heap $(grep heap "$work/peak" | awk '{print $2}' | sort -n | tail -1) MiB"
}

load() { # load NAME: count pings and runs, prints successes and ping p50
  local ok_ping=0 ok_run=0 ms=()
  for i in $(seq "$count"); do
    local t0 t1
    t0=$(date +%s%N)
    if phase ping --count 1 "$addr" >/dev/null 2>&1; then ok_ping=$((ok_ping + 1)); fi
    t1=$(date +%s%N)
    ms+=($(((t1 - t0) / 1000000)))
    if phase run --bootstrap "$addr" --retries 0 "$repo/fixtures/wasm/io.wasm" exit 0 >/dev/null 2>&1; then
      ok_run=$((ok_run + 1))
    fi
  done
  local p50
  p50=$(printf '%s\n' "${ms[@]}" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
  echo "   $1: pings ok $ok_ping/$count (p50 ${p50} ms per ping process), runs ok $ok_run/$count"
  eval "${1}_p50=$p50"
}

echo "== node before: $(mem gc)"
echo "== 1. baseline (127.0.0.1 only)"
load baseline

echo "== 2. hostile: 127.0.0.2 opens ${rate} connections/s, keeps up to 800 idle"
cat >"$work/hostile.py" <<'EOF'
import collections, socket, sys, time
port, rate, stop_file = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
socks, opened, failed = collections.deque(), 0, 0
start = nxt = time.time()
import os
while not os.path.exists(stop_file) and time.time() - start < 600:
    now = time.time()
    while nxt <= now:
        nxt += 1.0 / rate
        s = socket.socket()
        s.setblocking(False)
        try:
            s.bind(("127.0.0.2", 0))
            s.connect_ex(("127.0.0.1", port))
        except OSError:
            failed += 1
            s.close()
            continue
        socks.append(s)
        opened += 1
        if len(socks) > 800:
            socks.popleft().close()
    time.sleep(0.001)
print(f"{opened} {failed} {time.time() - start:.1f}")
EOF
peak_start
python3 "$work/hostile.py" "$port" "$rate" "$work/stop" >"$work/hostile.out" &
hostile=$!
sleep 2
load hostile
touch "$work/stop"
wait "$hostile"
read -r opened failed secs <"$work/hostile.out"
echo "   hostile connections opened: $opened in ${secs} s ($(awk -v o="$opened" -v s="$secs" 'BEGIN {printf "%d", o / s}')/s), failed to open: $failed"
echo "   $(peak_stop)"
echo "   refusal lines in the node log: $(grep -c 'connections_refused' "$work/node.err" || true)"
sleep 4
echo "   node after: $(mem gc)"
awk -v a="$baseline_p50" -v b="$hostile_p50" 'BEGIN {printf "   ping p50 hostile/baseline: x%.2f\n", b / a}'

echo "== 3. stalled client: flood.wasm 200 MiB, client stopped ${stall} s after its first MiB"
peak_start
(cd "$work" && XDG_CONFIG_HOME="$work/config" exec java "${java_opts[@]}" -jar "$jar" run \
  --bootstrap "$addr" --max-output-mb 256 --timeout-s 600 "$repo/fixtures/wasm/flood.wasm" 200 \
  >"$work/flood.out" 2>"$work/flood.err") &
client=$!
pids+=("$client")
while (($(stat -c %s "$work/flood.out" 2>/dev/null || echo 0) < 1048576)); do
  kill -0 "$client" 2>/dev/null || break
  sleep 0.05
done
kill -STOP "$client"
sleep "$stall"
echo "   while stopped: $(mem), job log: $(grep -oE 'job\.(detached|detach_extended|abandoned)' "$work/node.err" | sort | uniq -c | tr '\n' ' ')"
kill -CONT "$client"
rc=0
wait "$client" || rc=$?
echo "   client exit $rc, output $(($(stat -c %s "$work/flood.out") / 1048576)) MiB of 200, $(grep -c 'reconnected to' "$work/flood.err" || true) reattach(es)"
echo "   $(peak_stop)"
sleep 2
echo "   node after: $(mem gc)"
