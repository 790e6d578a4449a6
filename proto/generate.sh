#!/usr/bin/env bash
# Regenerate the TypeScript protobuf code in frontend/gen/ from proto/.
#
#   proto/generate.sh          regenerate frontend/gen/ in place
#   proto/generate.sh --check  regenerate into a temp dir and fail if the
#                              checked-in frontend/gen/ is stale
#
# Uses buf (npm @bufbuild/buf) with the local protoc-gen-es plugin from
# node_modules; see buf.yaml / buf.gen.yaml at the repo root.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

buf="$root/node_modules/.bin/buf"
plugin="$root/node_modules/.bin/protoc-gen-es"
for bin in "$buf" "$plugin"; do
  if [[ ! -x "$bin" ]]; then
    echo "proto/generate.sh: missing $bin (run npm ci)" >&2
    exit 2
  fi
done

case "${1:-}" in
  "")
    "$buf" generate
    echo "proto/generate.sh: regenerated frontend/gen/"
    ;;
  --check)
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' EXIT
    "$buf" generate --output "$tmp"
    if [[ ! -d frontend/gen ]]; then
      echo "proto/generate.sh --check: frontend/gen/ is missing; run 'npm run proto'" >&2
      exit 1
    fi
    # frontend/gen/ is wholly generated (buf.gen.yaml has clean: true), so
    # extra, missing or edited files all count as stale.
    if ! diff -r -u "$tmp/frontend/gen" frontend/gen >"$tmp/diff.txt"; then
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
