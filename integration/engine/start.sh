#!/usr/bin/env bash
# Starts a private Docker engine for cachefront's integration tests: its own
# containerd, its own dockerd, its own bridge, with every file (state, sockets,
# logs, pidfiles) under one directory, so it never touches a system engine and
# two checkouts on one machine can each run one.
#
#   usage: start.sh [--hold PID] [STATE_DIR]
#          (STATE_DIR default: $CACHEFRONT_ENGINE_DIR, else integration/.engine)
#
# Prints `export DOCKER_HOST=unix://STATE_DIR/docker.sock` on stdout once
# `docker info` answers; everything else goes to stderr or STATE_DIR/*.log.
# Idempotent: when the engine in STATE_DIR already answers, it only prints.
#
# --hold PID is for test runs (integration/global-setup.ts): it registers PID
# as a user of the engine, and an engine that such a run started is stopped by
# `stop.sh --release PID` of its last live user, so two test runs in one
# checkout can share it. An engine started (or started again) by hand,
# without --hold, is only stopped by hand.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$here/lib.sh"
hold=""
if [ "${1:-}" = --hold ]; then hold=${2:?--hold needs a PID}; shift 2; fi
engine_paths "${1:-}"

# ready: the engine answers; record who holds it and print its address.
ready() {
  if [ -n "$hold" ]; then
    mkdir -p "$ENGINE_DIR/holders"
    proc_start "$hold" >"$ENGINE_DIR/holders/$hold" || die "--hold $hold: no such process"
  else
    rm -f "$ENGINE_DIR/auto-stop" # someone wants it kept
  fi
  echo "export DOCKER_HOST=$ENGINE_HOST"
}

# Holders are registered under the lock so that a concurrent
# `stop.sh --release` cannot stop the engine between our check and our claim.
if [ -n "$hold" ] && [ -w "$ENGINE_DIR" ]; then engine_lock; fi
if engine_answers; then
  ready
  exit 0
fi

[ "$(id -u)" = 0 ] || die "must run as root (dockerd and containerd need it); try: sudo $0 $*"
for bin in dockerd containerd runc ip; do
  command -v "$bin" >/dev/null 2>&1 || die "$bin not found: run integration/engine/install.sh first"
done

engine_lock
# Another start.sh may have finished while we waited for the lock.
if engine_answers; then
  ready
  exit 0
fi

# A previous engine in this directory that died (or a machine that rebooted)
# leaves pidfiles, sockets and mounts behind; dockerd refuses to start on a
# live-looking pidfile, so clear them first.
"$here/stop.sh" "$ENGINE_DIR" >/dev/null

mkdir -p "$ENGINE_DIR/containerd" "$ENGINE_DIR/data" "$ENGINE_DIR/exec"
# Unix socket paths are limited to 108 bytes; the longest one we create is
# containerd's ttrpc socket. Fail clearly rather than with "bind: invalid argument".
[ "${#ENGINE_CTR_SOCK}" -le 96 ] ||
  die "engine dir path too long for unix sockets ($ENGINE_CTR_SOCK); pass a shorter STATE_DIR"

# From here on, a failure must not leave half an engine running.
# shellcheck disable=SC2154 # rc is assigned inside the trap string.
trap 'rc=$?; if [ "$rc" != 0 ]; then "$here/stop.sh" "$ENGINE_DIR" >/dev/null 2>&1 || true; fi' EXIT

# --- containerd -----------------------------------------------------------
# Our own containerd instead of dockerd's auto-detection: dockerd silently
# reuses /run/containerd/containerd.sock when a system containerd runs, and two
# dockerds sharing its "moby" namespace would see (and delete) each other's
# images. Only the plugins dockerd needs; CRI is Kubernetes-only.
cat >"$ENGINE_DIR/containerd/config.toml" <<TOML
version = 2
root = "$ENGINE_DIR/containerd/root"
state = "$ENGINE_DIR/containerd/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$ENGINE_CTR_SOCK"
[ttrpc]
  address = "$ENGINE_CTR_SOCK.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$ENGINE_DIR/containerd/opt"
TOML
for f in containerd dockerd; do
  echo "=== start $(date -u +%FT%TZ)" >>"$ENGINE_DIR/$f.log"
done
# setsid: the daemons get their own session, so a Ctrl-C or a test runner
# killing the process group that ran start.sh does not kill the engine
# mid-write; stop.sh is the way to stop them. 9>&-: the daemons must not
# inherit (and so hold forever) the lock on fd 9.
setsid containerd --config "$ENGINE_DIR/containerd/config.toml" </dev/null >>"$ENGINE_DIR/containerd.log" 2>&1 9>&- &
echo $! >"$ENGINE_DIR/containerd.pid"
wait_for 30 "containerd socket" test -S "$ENGINE_CTR_SOCK" ||
  die "containerd did not start; see $ENGINE_DIR/containerd.log"

# --- bridge ---------------------------------------------------------------
# A bridge of our own rather than --bridge=none: BuildKit in dockerd runs RUN
# steps on the default "bridge" network, and without one every RUN fails with
# "network bridge not found". Rather than docker0, so that two engines on one
# machine do not both claim it.
ensure_bridge

# --- dockerd --------------------------------------------------------------
# containerd-snapshotter: images live in containerd's content store, which is
# what lets the docker driver export `--cache-to type=local` and
# `--output type=oci`. No registry mirrors, no iptables, no ip_forward: the
# engine must not change the host's firewall or routing, and there is no
# network to reach anyway. --shutdown-timeout 3: stop.sh should not wait the
# default 10s for a test's leftover `docker run` container to die.
# builder.entitlements: the builder may grant `--allow security.insecure`
# (RUN --security=insecure); a build still has to ask for it.
cat >"$ENGINE_DIR/daemon.json" <<JSON
{
  "features": { "containerd-snapshotter": true },
  "builder": { "entitlements": { "security-insecure": true } }
}
JSON
setsid dockerd \
  --config-file "$ENGINE_DIR/daemon.json" \
  --data-root "$ENGINE_DIR/data" \
  --exec-root "$ENGINE_DIR/exec" \
  --pidfile "$ENGINE_DIR/dockerd.pid" \
  -H "$ENGINE_HOST" \
  --containerd "$ENGINE_CTR_SOCK" \
  --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false \
  --shutdown-timeout 3 \
  --bridge "$ENGINE_BRIDGE" \
  </dev/null >>"$ENGINE_DIR/dockerd.log" 2>&1 9>&- &
echo $! >"$ENGINE_DIR/dockerd.launch.pid"
if ! wait_for 60 "docker info" engine_answers; then
  tail -n 30 "$ENGINE_DIR/dockerd.log" >&2 || true
  die "dockerd did not answer within 60s; see $ENGINE_DIR/dockerd.log"
fi
rm -rf "$ENGINE_DIR/holders"
if [ -n "$hold" ]; then touch "$ENGINE_DIR/auto-stop"; fi
ready
