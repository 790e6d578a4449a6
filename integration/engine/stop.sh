#!/usr/bin/env bash
# Stops the private engine started by start.sh from the same state directory:
# dockerd first (it stops its containers and BuildKit), then containerd, then
# any shim of that containerd still alive, then unmounts whatever is still
# mounted under the directory and removes the bridge. Leaves the images and
# build cache on disk for the next start. Idempotent: safe when nothing runs.
#
#   usage: stop.sh [STATE_DIR]      (same default as start.sh)
#          stop.sh --purge [STATE_DIR]  also deletes the state directory
#          stop.sh --release PID [STATE_DIR]
#              for test runs: PID no longer uses the engine; stop it only if
#              a `start.sh --hold` started it and no other holder is alive
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
purge=0
release=""
case "${1:-}" in
  --purge) purge=1; shift ;;
  --release) release=${2:?--release needs a PID}; shift 2 ;;
esac
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$here/lib.sh"
engine_paths "${1:-}"
engine_lock

if [ -n "$release" ]; then
  rm -f "$ENGINE_DIR/holders/$release"
  for h in "$ENGINE_DIR"/holders/*; do
    [ -e "$h" ] || continue
    # A holder that died without releasing (a killed test run) holds nothing,
    # nor does a process that later got its number (start time differs).
    if [ "$(proc_start "${h##*/}" || true)" = "$(cat "$h")" ]; then
      log "engine in $ENGINE_DIR still used by process ${h##*/}; leaving it running"
      exit 0
    fi
    rm -f "$h"
  done
  if [ ! -e "$ENGINE_DIR/auto-stop" ]; then
    exit 0 # started by hand: stopped by hand
  fi
fi
rm -f "$ENGINE_DIR/auto-stop"
rm -rf "$ENGINE_DIR/holders"

# stop_pid PIDFILE NAME SECONDS: SIGTERM, wait, then SIGKILL. Only the process
# named in our own pidfile, never a process matched by name.
stop_pid() {
  local file=$1 name=$2 secs=$3 pid i
  pid_alive "$file" "$name" || { rm -f "$file"; return 0; }
  pid=$(cat "$file")
  stopped=1
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < secs * 5; i++)); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$file"; return 0; }
    sleep 0.2
  done
  log "$name ($pid) ignored SIGTERM for ${secs}s; killing it"
  kill -KILL "$pid" 2>/dev/null || true
  sleep 0.5
  rm -f "$file"
}

stopped=0
# dockerd writes its own pidfile once running; the launch pidfile covers a
# dockerd that died (or hangs) before writing it.
stop_pid "$ENGINE_DIR/dockerd.pid" dockerd 30
stop_pid "$ENGINE_DIR/dockerd.launch.pid" dockerd 10
stop_pid "$ENGINE_DIR/containerd.pid" containerd 15

# Shims outlive a killed containerd. Ours are the ones whose -address is our
# socket; match on that exact path, not on the program name.
for p in /proc/[0-9]*; do
  # Processes come and go while we read: a vanished one is no shim of ours.
  cmd=$({ tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null) || continue
  case "$cmd" in
    *containerd-shim*"-address $ENGINE_CTR_SOCK "*)
      log "killing leftover shim ${p#/proc/}"
      stopped=1
      kill -KILL "${p#/proc/}" 2>/dev/null || true ;;
  esac
done

# Overlay snapshots, netns bind mounts, shm: unmount deepest first. A lazy
# unmount as a last resort so a busy mount cannot wedge the next start.
mapfile -t mounts < <(awk -v d="$ENGINE_DIR/" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo | sort -r)
for m in "${mounts[@]}"; do
  m=$(printf '%b' "$m") # mountinfo escapes spaces as \040
  umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || log "could not unmount $m"
done

rm -f "$ENGINE_DIR/docker.sock" "$ENGINE_CTR_SOCK" "$ENGINE_CTR_SOCK.ttrpc"
if [ "$ENGINE_BRIDGE" != none ] && ip link show "$ENGINE_BRIDGE" >/dev/null 2>&1; then
  ip link del "$ENGINE_BRIDGE" 2>/dev/null || log "could not delete bridge $ENGINE_BRIDGE"
fi
if [ "$purge" = 1 ]; then
  rm -rf "$ENGINE_DIR"
fi
[ "$stopped" = 0 ] || log "stopped the engine in $ENGINE_DIR"
