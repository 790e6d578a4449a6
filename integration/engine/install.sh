#!/usr/bin/env bash
# Installs the Docker engine packages from Debian trixie, pinned low so nothing
# else on this bookworm machine upgrades. Idempotent: does nothing when dockerd,
# buildx and busybox are already present.
set -euo pipefail

have() { command -v "$1" >/dev/null 2>&1; }
if have dockerd && have containerd && docker buildx version >/dev/null 2>&1 && [ -x /bin/busybox ]; then
  exit 0
fi

SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"

# Reuse the mirror already configured for bookworm.
mirror=$(grep -hoE 'https?://[^ ]+/debian/?$' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null | head -n1 || true)
mirror=${mirror:-http://deb.debian.org/debian}
if [ ! -f /etc/apt/sources.list.d/cachefront-trixie.sources ]; then
  $SUDO tee /etc/apt/sources.list.d/cachefront-trixie.sources >/dev/null <<SRC
Types: deb
URIs: ${mirror%/}
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  $SUDO tee /etc/apt/preferences.d/cachefront-trixie >/dev/null <<PIN
Package: *
Pin: release n=trixie
Pin-Priority: 100
PIN
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq -t trixie --no-install-recommends \
  docker.io docker-cli docker-buildx containerd busybox-static iptables >/dev/null
