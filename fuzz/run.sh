#!/usr/bin/env bash
# Runs the phase-p2p Jazzer fuzz targets in fuzzing mode, one target per JVM (Jazzer fuzzes a
# single @FuzzTest per run). Findings are written as crash-<sha1> files into the target's seed
# directory (phase-p2p/src/test/resources/io/phase/p2p/fuzz/<Class>Inputs/<method>/), where the
# next `./mvnw verify` replays them as regression tests. The generated corpus stays in
# phase-p2p/.cifuzz-corpus/ (git-ignored) and is reused by the next run.
#
# usage: fuzz/run.sh [--seconds N] [TARGET...]
#   --seconds N   fuzzing time per target (default 30; e.g. 600 for a long run)
#   TARGET        Class#method (e.g. YamuxFuzzTest#session) or Class; default: all targets
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=30
targets=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --seconds=*) seconds="${1#*=}"; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) targets+=("$1"); shift ;;
  esac
done
if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
  echo "run.sh: --seconds needs a positive integer, got '$seconds'" >&2
  exit 2
fi

src=phase-p2p/src/test/java/io/phase/p2p/fuzz
# Every @FuzzTest method as Class#method, read from the sources.
all_targets() {
  for f in "$src"/*FuzzTest.java; do
    cls=$(basename "$f" .java)
    grep -A1 '@FuzzTest' "$f" | grep -oE 'void [a-zA-Z0-9_]+\(' | sed -E "s/void (.*)\(/$cls#\1/"
  done
}
if [[ ${#targets[@]} -eq 0 ]]; then
  mapfile -t targets < <(all_targets)
else
  expanded=()
  for t in "${targets[@]}"; do
    if [[ "$t" == *#* ]]; then expanded+=("$t"); else mapfile -t -O "${#expanded[@]}" expanded < <(all_targets | grep "^$t#"); fi
  done
  targets=("${expanded[@]}")
fi

# Build once, then run each target with surefire only.
./mvnw -B -q -o -pl phase-p2p -am install -DskipTests >/dev/null
failed=()
for t in "${targets[@]}"; do
  echo "== fuzzing $t for ${seconds}s"
  # jazzer.internal.arg.N are libFuzzer arguments appended after the annotation's maxDuration,
  # so this -max_total_time wins.
  if ! JAZZER_FUZZ=1 ./mvnw -B -q -o -pl phase-p2p surefire:test \
      -Dtest="io.phase.p2p.fuzz.$t" -Dsurefire.failIfNoSpecifiedTests=false \
      -Djazzer.internal.arg.0=phase-fuzz -Djazzer.internal.arg.1="-max_total_time=$seconds"; then
    failed+=("$t")
    echo "== FINDING in $t: see phase-p2p/target/surefire-reports/ and the crash-* file above" >&2
  fi
done
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "fuzzing found problems in: ${failed[*]}" >&2
  exit 1
fi
echo "fuzzing: ${#targets[@]} targets, ${seconds}s each, no findings"
