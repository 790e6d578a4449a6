#!/usr/bin/env bash
# Makes the base images the integration tests and examples build FROM, without
# a registry (this machine reaches none): each is a rootfs assembled from host
# files and loaded with `docker import`.
#
#   busybox:latest                 static busybox, applets symlinked (/bin/sh
#                                  works), /etc/passwd with root, nobody, app(1000)
#   cachefront/node-runtime:local  the host's node binary plus the shared
#                                  libraries and loader ldd lists; the base the
#                                  gateway image is built on when Docker Hub's
#                                  node image cannot be pulled
#
# Tagged so that `FROM busybox` resolves locally: with the containerd image
# store, BuildKit finds docker.io/library/busybox:latest in the engine's own
# store before it would try a registry.
#
# Each image is labelled with a key of its inputs (host binaries, this recipe)
# and only rebuilt when missing or when the key changed; the node image is
# ~100 MB, and a stable image keeps the tests' build cache valid. An image of
# the same name that this script did not make (say a real busybox pulled into
# a developer's own engine) is left alone unless --force.
#
#   usage: base-images.sh [--force]
# Targets $DOCKER_HOST, else the private engine of start.sh when it answers,
# else the default docker context.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$here/lib.sh"
force=0
[ "${1:-}" = --force ] && force=1

if [ -z "${DOCKER_HOST:-}" ]; then
  engine_paths ""
  if engine_answers; then export DOCKER_HOST=$ENGINE_HOST; fi
fi
docker info >/dev/null 2>&1 || die "no docker engine answers (start one with integration/engine/start.sh)"

# The images hold host binaries, so their platform is the host's.
case "$(uname -m)" in
  x86_64) platform=linux/amd64 ;;
  aarch64 | arm64) platform=linux/arm64 ;;
  *) die "unsupported host architecture $(uname -m)" ;;
esac
recipe=1 # bump when the rootfs layout below changes, to force a rebuild
label=org.cachefront.base-key
path_env="PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# up_to_date REF KEY: the image exists and carries KEY, or exists and was
# made elsewhere (no label at all).
up_to_date() {
  local have
  [ "$force" = 0 ] || return 1
  have=$(docker image inspect -f "{{ index .Config.Labels \"$label\" }}" "$1" 2>/dev/null) || return 1
  if [ -z "$have" ] || [ "$have" = "<no value>" ]; then
    log "$1 exists and was not made by this script; keeping it (--force replaces it)"
    return 0
  fi
  [ "$have" = "$2" ]
}

# import ROOT REF KEY CHANGE...: tars ROOT (sorted, fixed mtimes, numeric ids,
# so the layer is the same bytes every time) and imports it as REF.
import() {
  local root=$1 ref=$2 key=$3
  shift 3
  local changes=(--change "LABEL $label=$key" --change "ENV $path_env")
  local c
  for c in "$@"; do changes+=(--change "$c"); done
  tar --sort=name --mtime=@0 --numeric-owner -C "$root" -cf - . |
    docker import --platform "$platform" "${changes[@]}" - "$ref" >/dev/null
}

# base_etc ROOT USERLINE...: /etc/passwd, /etc/group and the usual empty dirs.
base_etc() {
  local root=$1
  shift
  mkdir -p "$root/etc" "$root/tmp" "$root/root" "$root/bin" "$root/usr/bin" "$root/usr/local/bin"
  chmod 1777 "$root/tmp"
  chmod 700 "$root/root"
  {
    echo "root:x:0:0:root:/root:/bin/sh"
    echo "nobody:x:65534:65534:nobody:/nonexistent:/bin/false"
    printf '%s\n' "$@"
  } >"$root/etc/passwd"
  {
    echo "root:x:0:"
    echo "nogroup:x:65534:"
    local u
    for u in "$@"; do
      IFS=: read -r name _ _ gid _ <<<"$u"
      echo "$name:x:$gid:"
    done
  } >"$root/etc/group"
  echo "hosts: files dns" >"$root/etc/nsswitch.conf"
}

# --- busybox:latest -----------------------------------------------------------
busybox_bin=$(command -v busybox || true)
[ -n "$busybox_bin" ] || die "busybox not found: run integration/engine/install.sh"
# A dynamically linked busybox would need its libraries too; install.sh
# installs busybox-static.
if ldd "$busybox_bin" >/dev/null 2>&1; then die "$busybox_bin is not static (install busybox-static)"; fi
bb_key="r$recipe-$(sha256sum "$busybox_bin" | cut -c1-16)"
if up_to_date busybox:latest "$bb_key"; then
  log "busybox:latest is up to date"
else
  t0=$SECONDS
  root=$work/busybox
  base_etc "$root" "app:x:1000:1000:app:/home/app:/bin/sh"
  mkdir -p "$root/home/app" "$root/sbin" "$root/usr/sbin" "$root/var"
  chown 1000:1000 "$root/home/app"
  cp "$busybox_bin" "$root/bin/busybox"
  # --list-full prints each applet's usual path (bin/sh, usr/bin/awk, ...).
  "$busybox_bin" --list-full | while read -r applet; do
    [ "$applet" = bin/busybox ] && continue
    mkdir -p "$root/$(dirname "$applet")"
    ln -sf /bin/busybox "$root/$applet"
  done
  import "$root" busybox:latest "$bb_key" 'CMD ["sh"]'
  docker run --rm --network none busybox:latest sh -c 'id app >/dev/null && echo ok' >/dev/null ||
    die "busybox:latest was imported but /bin/sh does not run in it"
  log "built busybox:latest in $((SECONDS - t0))s"
fi

# --- cachefront/node-runtime:local --------------------------------------------
node_bin=$(readlink -f "$(command -v node)")
# ldd lines are "name => /path (addr)" or "/path/to/loader (addr)"; vdso has no file.
mapfile -t libs < <(ldd "$node_bin" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }')
node_key="r$recipe-$("$node_bin" --version)-$(
  for f in "$node_bin" "${libs[@]}"; do printf '%s %s\n' "$f" "$(stat -Lc '%s %Y' "$f")"; done | sha256sum | cut -c1-16
)"
if up_to_date cachefront/node-runtime:local "$node_key"; then
  log "cachefront/node-runtime:local is up to date"
else
  t0=$SECONDS
  root=$work/node
  base_etc "$root" "node:x:1000:1000:node:/home/node:/bin/false"
  mkdir -p "$root/home/node"
  chown 1000:1000 "$root/home/node"
  cp "$node_bin" "$root/usr/local/bin/node"
  # Copy each library's content (-L) to the path ldd resolved, so the loader
  # finds it where the host's does; the loader itself must sit at the binary's
  # PT_INTERP path (/lib64/ld-linux-x86-64.so.2 on amd64), which ldd prints.
  for lib in "${libs[@]}"; do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done
  import "$root" cachefront/node-runtime:local "$node_key" 'CMD ["node"]' 'WORKDIR /'
  out=$(docker run --rm --network none cachefront/node-runtime:local node -e 'console.log(1)') || true
  [ "$out" = 1 ] || die "cachefront/node-runtime:local was imported but node does not run in it"
  log "built cachefront/node-runtime:local in $((SECONDS - t0))s"
fi
