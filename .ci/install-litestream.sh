#!/usr/bin/env bash
# Litestream for the continuous-replication recipe (test/reliability/litestream.test.ts, docs/SCALING.md):
# built with Go from the Go module proxy (pure Go, CGO off) into the project's cache, .cache/tools/.
# Offline once Go's module cache holds the modules. Uses the engine's pinned Go toolchain (package.json).
set -euo pipefail
cd "$(dirname "$0")/.."

LITESTREAM_VERSION="0.5.18"
OUT=".cache/tools/litestream"
if [ -x "$OUT" ] && "$OUT" version 2>/dev/null | grep -q "$LITESTREAM_VERSION"; then
  echo "litestream: already built ($OUT, $("$OUT" version))"
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  echo "litestream: Go is not installed; install Go >= 1.21 (it fetches the pinned toolchain itself)" >&2
  exit 1
fi
TOOLCHAIN="$(node -p 'require("./package.json").pocketbase.goToolchain')"
echo "litestream: building v$LITESTREAM_VERSION with $TOOLCHAIN (go install from the Go module proxy) ..."
GOBIN_DIR="$(pwd)/.cache/tools/.gobin-$$"
mkdir -p "$GOBIN_DIR"
trap 'rm -rf "$GOBIN_DIR"' EXIT
CGO_ENABLED=0 GOTOOLCHAIN="$TOOLCHAIN" GOBIN="$GOBIN_DIR" GOFLAGS=-buildvcs=false \
  go install -trimpath -ldflags "-s -w -X main.Version=v$LITESTREAM_VERSION" \
  "github.com/benbjohnson/litestream/cmd/litestream@v$LITESTREAM_VERSION"
mv "$GOBIN_DIR/litestream" "$OUT"
echo "litestream: built $OUT ($("$OUT" version))"
