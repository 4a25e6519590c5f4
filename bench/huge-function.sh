#!/usr/bin/env bash
# Huge-function benchmark: the effect of -XX:-DontCompileHugeMethods on a guest whose hot function
# compiles to a JVM method over HotSpot's 8000-bytecode limit. Generates a module (wat2wasm): a
# function of 1200 mixing steps on four i32 locals (~16 KB of JVM bytecode once Chicory compiles
# it), called 100000 times from _start; then runs `./phase exec` on it R times with the launcher's
# default JVM options (which include -XX:-DontCompileHugeMethods) and R times without them,
# alternating, and prints the median wall and CPU time (user+sys of the whole command: JVM start,
# compile, run) of each.
#
# Usage: bench/huge-function.sh [--reps R]   (default 3)
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
reps=3

die() {
  echo "huge-function.sh: $*" >&2
  exit 1
}

while (($#)); do
  case "$1" in
    --reps)
      [[ $# -ge 2 && "$2" =~ ^[0-9]+$ ]] && (($2 >= 1 && $2 <= 50)) || die "--reps needs an integer in 1..50"
      reps="$2"
      shift 2
      ;;
    *)
      sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
      exit 2
      ;;
  esac
done
command -v wat2wasm >/dev/null 2>&1 || die "wat2wasm (wabt) is needed"

work="$(mktemp -d "${TMPDIR:-/tmp}/phase-huge.XXXXXX")"
trap 'rm -rf -- "${work}"' EXIT

# The module. Step i rotates and mixes locals chosen by i, so no two neighbouring steps are alike.
awk 'BEGIN {
  split("$a $b $c $d", v, " ")
  print "(module"
  print " (memory 1)"
  print " (global $sink (mut i32) (i32.const 0))"
  print " (func $mix (param $n i32) (result i32) (local $a i32) (local $b i32) (local $c i32) (local $d i32)"
  print "  (local.set $a (i32.const 1)) (local.set $b (i32.const 2)) (local.set $c (i32.const 3))"
  print "  (local.set $d (local.get $n))"
  for (i = 0; i < 1200; i++) {
    x = v[i % 4 + 1]; y = v[(i + 1 + int(i / 4)) % 4 + 1]; z = v[(i + 3) % 4 + 1]
    if (y == x) y = v[(i + 2) % 4 + 1]
    printf "  (local.set %s (i32.xor (i32.rotl (i32.add (local.get %s) (local.get %s)) (i32.const %d)) (local.get %s)))\n", x, x, y, i % 31 + 1, z
  }
  print "  (i32.add (i32.add (local.get $a) (local.get $b)) (i32.add (local.get $c) (local.get $d))))"
  print " (func (export \"_start\") (local $i i32)"
  print "  (loop $next"
  print "   (global.set $sink (i32.add (global.get $sink) (call $mix (local.get $i))))"
  print "   (local.set $i (i32.add (local.get $i) (i32.const 1)))"
  print "   (br_if $next (i32.lt_u (local.get $i) (i32.const 100000))))))"
}' >"${work}/huge.wat"
wat2wasm "${work}/huge.wat" -o "${work}/huge.wasm" || die "wat2wasm failed"

median() {
  sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.0f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# One `phase exec`; appends "wall_ms cpu_ms" to file $1. $2 is PHASE_DEFAULT_JAVA_OPTS, or "-" for
# the launcher's default.
run_once() {
  local start end
  TIMEFORMAT='%3U %3S'
  start="$(date +%s%N)"
  if [[ "$2" == "-" ]]; then
    { time "${repo_root}/phase" exec --key "${work}/node.key" "${work}/huge.wasm" >/dev/null 2>"${work}/exec.err"; } 2>"${work}/time" \
      || { cat "${work}/exec.err" >&2; die "phase exec failed"; }
  else
    { time PHASE_DEFAULT_JAVA_OPTS="$2" "${repo_root}/phase" exec --key "${work}/node.key" "${work}/huge.wasm" >/dev/null 2>"${work}/exec.err"; } 2>"${work}/time" \
      || { cat "${work}/exec.err" >&2; die "phase exec failed"; }
  fi
  end="$(date +%s%N)"
  awk -v w="$(((end - start) / 1000000))" '{ printf "%d %.0f\n", w, ($1 + $2) * 1000 }' "${work}/time" >>"$1"
}

: >"${work}/with"
: >"${work}/without"
for ((i = 1; i <= reps; i++)); do
  echo "huge-function.sh: round ${i}/${reps}" >&2
  run_once "${work}/with" -
  run_once "${work}/without" ""
done
printf '| %-52s | %9s | %9s |\n' "phase exec huge.wasm (median of ${reps})" "Wall (ms)" "CPU (ms)"
printf '| %-52s | %9s | %9s |\n' "---" "---:" "---:"
printf '| %-52s | %9s | %9s |\n' "default options (-XX:-DontCompileHugeMethods)" \
  "$(cut -d' ' -f1 "${work}/with" | median)" "$(cut -d' ' -f2 "${work}/with" | median)"
printf '| %-52s | %9s | %9s |\n' "PHASE_DEFAULT_JAVA_OPTS= (HotSpot default)" \
  "$(cut -d' ' -f1 "${work}/without" | median)" "$(cut -d' ' -f2 "${work}/without" | median)"
echo "load average $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -n 1)"
