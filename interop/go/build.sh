#!/usr/bin/env bash
# Builds our Go peer and vector programs (interop/go/src/kcpjava/*) against Debian's kcp-go 5.6.1
# in GOPATH mode; binaries land in interop/go/bin/. Needs: apt-get install golang-go
# golang-github-xtaci-kcp-dev golang-github-klauspost-reedsolomon-dev (the module proxy is not used).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
command -v go >/dev/null || { echo "build.sh: no 'go' on PATH (apt-get install golang-go)" >&2; exit 1; }
export GO111MODULE=off GOFLAGS= GOPROXY=off
export GOPATH="$here:/usr/share/gocode"
export GOCACHE="${GOCACHE:-$here/.cache}"
shopt -s nullglob
mkdir -p "$here/bin"
for dir in "$here"/src/kcpjava/*/; do
  name="$(basename "$dir")"
  go build -o "$here/bin/$name" "kcpjava/$name"
  echo "built interop/go/bin/$name"
done
