#!/usr/bin/env bash
# The main job, end to end: get an engine, build the cachefront gateway image
# from this tree, and build examples/hello (whose Dockerfile says
# `# syntax=cachefront:dev`) through it to a local directory.
#
#   usage: scripts/example.sh [OUTPUT_DIR]     (default: dist/example-hello)
#
# Engine: $DOCKER_HOST (or the default docker context) when it answers; else
# the private engine of integration/engine/ is started (installed first when
# dockerd is missing; needs root) and stopped again at the end, unless
# CACHEFRONT_KEEP_ENGINE=1.
# Base images: without registry access (no node:20-alpine to pull), the
# gateway image is built on cachefront/node-runtime:local and the example's
# busybox is made locally, both by integration/engine/base-images.sh.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:-$root/dist/example-hello}
engine=$root/integration/engine
say() { echo "example: $*" >&2; }

if docker info >/dev/null 2>&1; then
  say "using the engine at ${DOCKER_HOST:-the default docker context}"
else
  [ -n "${DOCKER_HOST:-}" ] && say "DOCKER_HOST=$DOCKER_HOST does not answer; starting the private engine"
  command -v dockerd >/dev/null 2>&1 || bash "$engine/install.sh"
  # Stop only an engine this run started; one already running stays up.
  engine_dir=${CACHEFRONT_ENGINE_DIR:-$root/integration/.engine}
  if ! DOCKER_HOST="unix://$engine_dir/docker.sock" docker info >/dev/null 2>&1 &&
    [ "${CACHEFRONT_KEEP_ENGINE:-0}" != 1 ]; then
    trap 'bash "$engine/stop.sh" "$engine_dir"' EXIT
  fi
  eval "$(bash "$engine/start.sh" "$engine_dir")"
  export DOCKER_HOST
  say "using the private engine, DOCKER_HOST=$DOCKER_HOST"
fi

# Online, the Dockerfile's default base (node:20-alpine) and busybox come from
# Docker Hub; offline, make local stand-ins.
if [ -z "${CACHEFRONT_BASE_IMAGE:-}" ] &&
  ! docker image inspect node:20-alpine >/dev/null 2>&1 &&
  ! timeout 120 docker pull -q node:20-alpine >/dev/null 2>&1; then
  say "no registry access: using local base images"
  bash "$engine/base-images.sh"
  export CACHEFRONT_BASE_IMAGE=cachefront/node-runtime:local
fi

bash "$root/scripts/image.sh"

rm -rf "$out"
docker buildx build --progress "${BUILDKIT_PROGRESS:-plain}" \
  --output "type=local,dest=$out" "$root/examples/hello"
say "built examples/hello into $out:"
for f in "$out"/*; do
  printf '  %s: %s\n' "${f#"$out"/}" "$(cat "$f")" >&2
done
