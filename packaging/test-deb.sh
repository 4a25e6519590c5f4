#!/usr/bin/env bash
# Installs the Debian package built by the Maven build (phase-cli/target/phase_*_all.deb) on this
# machine, checks what it installed (launcher, user, directories, config, unit, completion), runs
# `phase node --config /etc/phase/node.json` as the phase user for a few seconds, then purges it
# and checks nothing is left. Needs root (CI runs as root). The package is purged at the end even
# when a check fails. Usage: packaging/test-deb.sh [PACKAGE.deb]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ "$(id -u)" -ne 0 ]]; then
  echo "test-deb: must run as root (it installs a package)" >&2
  exit 2
fi
deb="${1:-}"
if [[ -z "${deb}" ]]; then
  shopt -s nullglob
  debs=(phase-cli/target/phase_*_all.deb)
  shopt -u nullglob
  if [[ ${#debs[@]} -ne 1 ]]; then
    echo "test-deb: expected one phase-cli/target/phase_*_all.deb, found ${#debs[@]} (run ./mvnw package first)" >&2
    exit 2
  fi
  deb="${debs[0]}"
fi
deb="$(readlink -f "${deb}")"
repo="$(pwd)"

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok   $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*" >&2; }
check() { # check DESCRIPTION COMMAND...
  local what="$1"; shift
  if "$@"; then ok "${what}"; else fail "${what}"; fi
}

work="$(mktemp -d)"
node_pid=""
cleanup() {
  if [[ -n "${node_pid}" ]] && kill -0 "${node_pid}" 2>/dev/null; then
    kill -KILL "${node_pid}" 2>/dev/null || true
  fi
  if dpkg-query -W -f='${Status}' phase 2>/dev/null | grep -q installed; then
    DEBIAN_FRONTEND=noninteractive dpkg --purge phase >/dev/null 2>&1 || true
  fi
  rm -rf "${work}"
}
trap cleanup EXIT

if dpkg-query -W -f='${Status}' phase 2>/dev/null | grep -q 'install ok'; then
  echo "test-deb: purging a phase package left installed by an earlier run"
  dpkg --purge phase >/dev/null
fi

# --- install (its dependencies from apt if missing) ---
echo "test-deb: installing ${deb}"
if ! DEBIAN_FRONTEND=noninteractive dpkg -i "${deb}" >"${work}/dpkg.log" 2>&1; then
  echo "test-deb: installing missing dependencies with apt-get"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -f -y -qq >>"${work}/dpkg.log" 2>&1 || { cat "${work}/dpkg.log" >&2; exit 1; }
fi
check "package installed" bash -c "dpkg-query -W -f='\${Status}' phase | grep -qx 'install ok installed'"
dpkg-query -L phase | sort >"${work}/files"

# --- the command ---
version="$(phase --version 2>&1 | head -1)" || true
check "phase --version prints the version (${version})" bash -c "[[ '${version}' =~ ^phase\ [0-9] ]]"
check "/usr/bin/phase runs the jar under /usr/share/phase" test -f /usr/share/phase/phase.jar
# shellcheck source=/dev/null
heap="$(source /usr/share/phase/jvm-options.sh && printf '{"max-memory-total-mb": 600}' >"${work}/mem.json" && phase_heap_options node --config "${work}/mem.json")"
check "the launcher sizes the heap from the config file (${heap})" test "${heap}" = "-Xmx1000m"

# --- user, directories, config ---
IFS=: read -r _ _ uid _ _ home shell < <(getent passwd phase) || true
check "phase is a system user (uid ${uid:-none})" bash -c "[[ -n '${uid:-}' && '${uid:-0}' -lt 1000 && '${uid:-0}' -gt 0 ]]"
check "phase's home is /var/lib/phase, no login shell (${home:-} ${shell:-})" bash -c "[[ '${home:-}' == /var/lib/phase && '${shell:-}' == */nologin ]]"
check "/var/lib/phase is phase:phase 0750" bash -c "[[ \"\$(stat -c '%U:%G %a' /var/lib/phase)\" == 'phase:phase 750' ]]"
check "/etc/phase/node.json is root:root 0644" bash -c "[[ \"\$(stat -c '%U:%G %a' /etc/phase/node.json)\" == 'root:root 644' ]]"
check "/etc/phase/node.json is a conffile" bash -c "dpkg-query -W -f='\${Conffiles}' phase | grep -q ' /etc/phase/node.json '"

# --- the unit ---
unit=/usr/lib/systemd/system/phase-node.service
if ! command -v systemd-analyze >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq systemd >/dev/null
fi
verify_unit() {
  local rc=0
  systemd-analyze verify "${unit}" >"${work}/verify.log" 2>&1 || rc=$?
  cat "${work}/verify.log"
  [[ ${rc} -eq 0 && ! -s "${work}/verify.log" ]]
}
check "systemd-analyze verify phase-node.service (no warning)" verify_unit
# The exposure score of the hardening (0 = fully locked down, 10 = unprotected); 3.2 when written.
check "systemd-analyze security: exposure at most 4.0" \
  bash -c "systemd-analyze security --offline=yes --threshold=40 '${unit}' >'${work}/security.log' 2>&1 || { tail -3 '${work}/security.log'; false; }"
for directive in User=phase ProtectSystem=strict ReadWritePaths=/var/lib/phase NoNewPrivileges=yes \
  PrivateTmp=yes ProtectHome=yes Restart=on-failure KillSignal=SIGTERM \
  "ExecStart=/usr/bin/phase node --config /etc/phase/node.json"; do
  check "unit has ${directive}" grep -qxF "${directive}" "${unit}"
done

# --- completion ---
check "bash completion completes subcommands (phase ru -> run)" bash -c '
  source /usr/share/bash-completion/completions/phase
  COMP_WORDS=(phase ru); COMP_CWORD=1; COMP_LINE="phase ru"; COMP_POINT=${#COMP_LINE}
  _complete_phase 2>/dev/null; [[ " ${COMPREPLY[*]} " == *" run "* ]]'
check "bash completion completes options (phase node --max-j -> --max-jobs)" bash -c '
  source /usr/share/bash-completion/completions/phase
  COMP_WORDS=(phase node --max-j); COMP_CWORD=2; COMP_LINE="phase node --max-j"; COMP_POINT=${#COMP_LINE}
  _complete_phase 2>/dev/null; [[ "${COMPREPLY[*]}" == "--max-jobs" ]]'
check "zsh completion file is a #compdef function" bash -c 'head -1 /usr/share/zsh/vendor-completions/_phase | grep -qx "#compdef phase"'
if ! command -v zsh >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq zsh >/dev/null 2>&1 || true
fi
if command -v zsh >/dev/null; then
  zsh -f packaging/zsh-completion-test.zsh /usr/share/zsh/vendor-completions >"${work}/zsh.out" 2>&1 || true
  check "zsh completion completes a subcommand, an option and an argument ($(tr '\n' ';' <"${work}/zsh.out"))" \
    bash -c "[[ \"\$(cat '${work}/zsh.out')\" == \$'ran: node\nran: node --max-jobs\nran: completion zsh' ]]"
else
  fail "zsh is not installed and could not be: zsh completion untested"
fi

# --- the node, as the phase user, with the packaged config ---
# As the unit runs it, as far as this machine allows without systemd as PID 1: user phase, no
# new privileges, no capabilities, a clean environment; and, where a mount namespace can be made,
# the root file system read-only but for /var/lib/phase, and a private /tmp (ProtectSystem=strict,
# ReadWritePaths=/var/lib/phase, PrivateTmp). --listen overrides the config's port 4001 so that
# the test never collides with a real node.
cd /
node_cmd=(setpriv --reuid=phase --regid=phase --init-groups --no-new-privs --bounding-set=-all
  --inh-caps=-all -- env -i PATH=/usr/bin:/bin PHASE_LOG_LEVEL=INFO
  phase node --config /etc/phase/node.json --listen /ip4/127.0.0.1/tcp/0)
if unshare --mount --propagation private true 2>/dev/null; then
  confined="read-only / but /var/lib/phase, private /tmp"
  unshare --mount --propagation private sh -c 'mount -t tmpfs -o mode=1777 tmpfs /tmp &&
    mount --bind /var/lib/phase /var/lib/phase && mount -o remount,ro,bind / && exec "$@"' \
    sh "${node_cmd[@]}" >"${work}/node.out" 2>"${work}/node.err" &
else
  confined="no mount namespace here: file system not confined"
  "${node_cmd[@]}" >"${work}/node.out" 2>"${work}/node.err" &
fi
node_pid=$!
for _ in $(seq 1 120); do
  grep -q '^LISTEN ' "${work}/node.out" 2>/dev/null && break
  kill -0 "${node_pid}" 2>/dev/null || break
  sleep 0.5
done
addr="$(grep -m1 '^LISTEN ' "${work}/node.out" | cut -d' ' -f2 || true)"
check "phase node listens as the phase user, confined (${confined}): ${addr:-no LISTEN line}" test -n "${addr}"
if [[ -n "${addr}" ]]; then
  check "the node answers a ping" bash -c "phase ping --count 1 --timeout-s 20 '${addr}' >'${work}/ping.out' 2>&1"
  check "the confined node runs a job whose receipt verifies" bash -c "phase run --key '${work}/client.key' \
    --bootstrap '${addr}' --discovery-timeout-s 30 '${repo}/examples/hello-step.wasm' </dev/null \
    >'${work}/run.out' 2>'${work}/run.err' && grep -q '^phase: receipt verified: job ' '${work}/run.err' \
    && grep -q '^hello-step: done' '${work}/run.out' || { cat '${work}/run.err'; false; }"
  check "the node's JVM runs as phase" bash -c "[[ \"\$(ps -o user=,comm= -p ${node_pid})\" =~ ^phase\ +java$ ]]"
fi
check "the key is /var/lib/phase/node.key, phase 0600" bash -c "[[ \"\$(stat -c '%U %a' /var/lib/phase/node.key 2>/dev/null)\" == 'phase 600' ]]"
if [[ -n "${addr}" ]]; then
  id="$(phase id --key /var/lib/phase/node.key 2>/dev/null || true)"
  check "the node's peer id is that key's (${id})" bash -c "[[ -n '${id}' && '${addr}' == */p2p/${id} ]]"
fi
kill -TERM "${node_pid}" 2>/dev/null || true
status=0
for _ in $(seq 1 120); do kill -0 "${node_pid}" 2>/dev/null || break; sleep 0.5; done
wait "${node_pid}" || status=$?
node_pid=""
check "SIGTERM drains and stops the node (status ${status})" bash -c "[[ '${status}' == 143 || '${status}' == 0 ]] && grep -q 'worker_drained' '${work}/node.err'"
if [[ ${failed} -gt 0 ]]; then
  echo "--- node stdout"; cat "${work}/node.out"; echo "--- node stderr"; tail -40 "${work}/node.err"
fi >&2

if command -v lintian >/dev/null; then
  echo "test-deb: lintian (informational)"
  lintian --tag-display-limit 0 "${deb}" 2>&1 | grep -v "^running with root privileges" || true
fi

# --- purge: nothing may be left ---
DEBIAN_FRONTEND=noninteractive dpkg --purge phase >"${work}/purge.log" 2>&1 || cat "${work}/purge.log" >&2
check "package purged" bash -c "! dpkg-query -W -f='\${Status}' phase 2>/dev/null | grep -q 'installed'"
left=()
while read -r path; do
  if [[ -e "${path}" && ! -d "${path}" ]]; then left+=("${path}"); fi
  if [[ -d "${path}" && "${path}" == */phase* ]]; then left+=("${path}"); fi
done <"${work}/files"
check "no file of the package is left ${left[*]:-}" test ${#left[@]} -eq 0
check "/var/lib/phase and /etc/phase are gone" bash -c "[[ ! -e /var/lib/phase && ! -e /etc/phase ]]"
check "the phase user and group are gone" bash -c "! getent passwd phase >/dev/null && ! getent group phase >/dev/null"

echo "test-deb: ${passed} passed, ${failed} failed"
[[ ${failed} -eq 0 ]]
