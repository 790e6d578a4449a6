#!/usr/bin/env bash
# Regenerate the TypeScript protobuf code in frontend/gen/ from proto/.
#
#   proto/generate.sh          regenerate frontend/gen/ in place
#   proto/generate.sh --check  regenerate into a temp dir and fail if the
#                              checked-in frontend/gen/ is stale
#
# Drives Debian's protoc (package protobuf-compiler; the google/protobuf
# well-known types come with libprotobuf-dev) with the protoc-gen-es plugin from
# node_modules. frontend/gen/ is wholly generated: extra, missing or edited
# files all count as stale.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

plugin="$root/node_modules/.bin/protoc-gen-es"
if [[ ! -x "$plugin" ]]; then
  echo "proto/generate.sh: missing $plugin (run npm ci)" >&2
  exit 2
fi
if ! command -v protoc >/dev/null 2>&1; then
  echo "proto/generate.sh: protoc not found (apt-get install protobuf-compiler)" >&2
  exit 2
fi
# protoc looks for the well-known types in /usr/include; without them every
# proto importing google/protobuf/*.proto fails with "File not found".
if [[ ! -f /usr/include/google/protobuf/any.proto ]]; then
  echo "proto/generate.sh: google/protobuf/*.proto not found (apt-get install libprotobuf-dev)" >&2
  exit 2
fi

generate() {
  local out=$1
  mkdir -p "$out"
  # Sorted file list: the output must not depend on directory order.
  mapfile -t files < <(cd proto && find . -name '*.proto' | sed 's#^\./##' | LC_ALL=C sort)
  protoc -I proto \
    --plugin=protoc-gen-es="$plugin" \
    --es_out="$out" \
    --es_opt=target=ts,import_extension=ts \
    "${files[@]}"
}

case "${1:-}" in
  "")
    rm -rf frontend/gen
    generate frontend/gen
    echo "proto/generate.sh: regenerated frontend/gen/"
    ;;
  --check)
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' EXIT
    generate "$tmp/gen"
    if [[ ! -d frontend/gen ]]; then
      echo "proto/generate.sh --check: frontend/gen/ is missing; run 'npm run proto'" >&2
      exit 1
    fi
    if ! diff -r -u "$tmp/gen" frontend/gen >"$tmp/diff.txt"; then
      echo "proto/generate.sh --check: frontend/gen/ is STALE relative to proto/." >&2
      echo "Run 'npm run proto' and commit the result. Differences:" >&2
      head -n 80 "$tmp/diff.txt" >&2
      exit 1
    fi
    echo "proto/generate.sh --check: frontend/gen/ is up to date"
    ;;
  *)
    echo "usage: proto/generate.sh [--check]" >&2
    exit 2
    ;;
esac
