#!/usr/bin/env bash
# Builds the cachefront gateway image from the working tree (uncommitted
# changes included) into the engine that DOCKER_HOST, or else the current
# docker context, points at, and tags it cachefront:dev.
#
#   CACHEFRONT_BASE_IMAGE  base with node (default in Dockerfile: node:20-alpine;
#                          offline: cachefront/node-runtime:local)
#   CACHEFRONT_CAPS        overrides the moby.buildkit.frontend.caps label
#   CACHEFRONT_IMAGE       tag to build (default cachefront:dev)
# Extra arguments go to `docker buildx build` (e.g. --no-cache).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tag=${CACHEFRONT_IMAGE:-cachefront:dev}

[ -f "$root/frontend/main.ts" ] || { echo "image: $root/frontend/main.ts not found" >&2; exit 1; }
# The image build bundles with the context's node_modules, so fail here with
# the fix rather than deep inside the build.
[ -d "$root/node_modules/esbuild" ] || { echo "image: node_modules/esbuild missing; run npm ci" >&2; exit 1; }

args=()
if [ -n "${CACHEFRONT_BASE_IMAGE:-}" ]; then
  args+=(--build-arg "CACHEFRONT_BASE_IMAGE=$CACHEFRONT_BASE_IMAGE")
fi
if [ -n "${CACHEFRONT_CAPS:-}" ]; then
  args+=(--build-arg "CACHEFRONT_CAPS=$CACHEFRONT_CAPS")
fi

start=$SECONDS
# --load: with the docker driver the result lands in the engine's image store
# anyway; with a docker-container builder it would otherwise stay in its cache.
# --provenance=false: a plain single-platform image, no attestation manifest
# (whose timestamps would change the digest on every rebuild).
if ! docker buildx build \
  --progress "${BUILDKIT_PROGRESS:-plain}" \
  --file "$root/Dockerfile" \
  --tag "$tag" \
  --load \
  --provenance=false \
  "${args[@]}" "$@" \
  "$root"; then
  if [ -z "${CACHEFRONT_BASE_IMAGE:-}" ]; then
    echo "image: build failed; without registry access, make a local base with" \
      "integration/engine/base-images.sh and set CACHEFRONT_BASE_IMAGE=cachefront/node-runtime:local" >&2
  fi
  exit 1
fi
echo "image: built $tag in $((SECONDS - start))s" >&2
