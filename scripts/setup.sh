#!/usr/bin/env bash
# Installs everything cachefront's build and tests need on a fresh machine
# (Debian bookworm, root or sudo): npm packages from the lock, Debian's protoc
# and the well-known types it compiles against (libprotobuf-dev holds
# google/protobuf/*.proto; protobuf-compiler only recommends it) for proto
# generation checks, and the Docker engine packages from Debian trixie
# (integration/engine/install.sh). Idempotent and quick when done.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"

if [ ! -x node_modules/.bin/vitest ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
if ! command -v protoc >/dev/null 2>&1 || [ ! -f /usr/include/google/protobuf/any.proto ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends protobuf-compiler libprotobuf-dev >/dev/null
fi
bash integration/engine/install.sh
