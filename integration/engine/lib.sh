# shellcheck shell=bash
# Shared by start.sh, stop.sh and base-images.sh: where a private engine keeps
# its files, and small helpers. Sourced, never run.

die() { echo "engine: $*" >&2; exit 1; }
log() { echo "engine: $*" >&2; }

# engine_paths [DIR]: sets ENGINE_DIR (absolute) and the paths derived from it.
# DIR wins over $CACHEFRONT_ENGINE_DIR, which wins over integration/.engine.
engine_paths() {
  local lib_dir dir
  lib_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  dir=${1:-${CACHEFRONT_ENGINE_DIR:-$lib_dir/../.engine}}
  mkdir -p "$dir"
  ENGINE_DIR=$(cd "$dir" && pwd -P)
  ENGINE_HOST="unix://$ENGINE_DIR/docker.sock"
  ENGINE_CTR_SOCK="$ENGINE_DIR/containerd/containerd.sock"
  # One bridge per state dir, named after it, so two engines on a machine (two
  # checkouts, or a developer's engine beside CI's) never share docker0 or
  # each other's bridge. Interface names are limited to 15 characters.
  local h
  h=$(printf '%s' "$ENGINE_DIR" | sha256sum | cut -c1-8)
  ENGINE_BRIDGE=${CACHEFRONT_ENGINE_BRIDGE:-cf$h}
  ENGINE_HASH=$h
  export ENGINE_DIR ENGINE_HOST ENGINE_CTR_SOCK ENGINE_BRIDGE
}

# engine_lock: serialises start.sh/stop.sh on one state dir (two test runs
# starting at once must not both launch a dockerd). Re-entrant through
# ENGINE_LOCKED, because start.sh runs stop.sh to clear leftovers.
engine_lock() {
  [ "${ENGINE_LOCKED:-}" = "$ENGINE_DIR" ] && return 0
  exec 9>"$ENGINE_DIR/.lock"
  flock 9
  ENGINE_LOCKED=$ENGINE_DIR
  export ENGINE_LOCKED
}

# engine_answers: true when this directory's dockerd answers `docker info`.
engine_answers() {
  [ -S "$ENGINE_DIR/docker.sock" ] &&
    DOCKER_HOST=$ENGINE_HOST timeout 10 docker info >/dev/null 2>&1
}

# wait_for SECONDS WHAT CMD...: polls CMD every 0.2s until it succeeds.
wait_for() {
  local secs=$1 what=$2 i
  shift 2
  for ((i = 0; i < secs * 5; i++)); do
    "$@" && return 0
    sleep 0.2
  done
  log "timed out after ${secs}s waiting for $what"
  return 1
}

# pid_is PID NAME: PID runs a program called NAME. Checking the name, not just
# kill -0, keeps a stale pidfile (after a reboot, say) from pointing stop.sh
# at an unrelated process that reused the number.
pid_is() {
  [ -n "$1" ] && [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ]
}

# proc_start PID: the process's start time (clock ticks since boot), which with
# the PID identifies one process for good: numbers are reused, this pair not.
proc_start() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  # Fields after the ")" that closes the command name; starttime is the 20th.
  stat=${stat##*) }
  # shellcheck disable=SC2086 # split into fields on purpose
  set -- $stat
  echo "${20}"
}

# pid_alive PIDFILE NAME: PIDFILE names a running NAME.
pid_alive() {
  [ -s "$1" ] && pid_is "$(cat "$1")" "$2"
}

# ensure_bridge: creates this engine's bridge (when missing) with a /24 picked
# from the dir's hash, skipping subnets already routed on this machine. The
# bridge carries RUN steps' sandbox network; the engine sets no NAT and no
# forwarding, so it only reaches the host itself. CACHEFRONT_ENGINE_BRIDGE=none
# skips it (builds then need `--network=none` for RUN steps).
ensure_bridge() {
  [ "$ENGINE_BRIDGE" = none ] && return 0
  if ip link show "$ENGINE_BRIDGE" >/dev/null 2>&1; then
    ip link set "$ENGINE_BRIDGE" up
    ip -4 addr show dev "$ENGINE_BRIDGE" | grep -q 'inet ' && return 0
  else
    ip link add "$ENGINE_BRIDGE" type bridge
    ip link set "$ENGINE_BRIDGE" up
  fi
  local n=$((16#$ENGINE_HASH)) tries net
  for ((tries = 0; tries < 64; tries++)); do
    net="10.$((200 + (n + tries) / 256 % 50)).$(((n + tries) % 256))"
    ip -4 route show | grep -q "^$net\." && continue
    ip addr add "$net.1/24" dev "$ENGINE_BRIDGE"
    return 0
  done
  die "no free 10.200-249.x.0/24 subnet for bridge $ENGINE_BRIDGE"
}
