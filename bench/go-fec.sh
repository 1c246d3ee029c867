#!/usr/bin/env bash
# Runs the Go side of the FEC benchmark comparison on this machine:
#  1. klauspost/reedsolomon Encode/ReconstructData for 10+3 and 20+10 shards x 1400 B (interop/go/bin/rsbench,
#     default path and forced AVX2/SSSE3);
#  2. kcp-go 5.6.1's own BenchmarkFECEncode/BenchmarkFECDecode, from a private copy of Debian's kcp-go
#     source in a temporary GOPATH (only fec_test.go among its tests: the others need testify and sockets).
# Usage: bench/go-fec.sh [count]   (count = repetitions of each, default 3)
# Compare with: bench/jmh.sh 'FecCodecBench|FecLayerBench' -prof gc
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
count="${1:-3}"
src=/usr/share/gocode/src/github.com/xtaci/kcp-go
[ -d "$src" ] || { echo "go-fec.sh: $src missing (apt-get install golang-github-xtaci-kcp-dev)" >&2; exit 1; }
[ -x "$root/interop/go/bin/rsbench" ] || "$root/interop/go/build.sh" >/dev/null
for _ in $(seq "$count"); do "$root/interop/go/bin/rsbench"; done
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/src/github.com/xtaci/kcp-go"
for f in "$src"/*.go; do
  case "$f" in *_test.go) ;; *) cp "$f" "$tmp/src/github.com/xtaci/kcp-go/" ;; esac
done
cp "$src/fec_test.go" "$tmp/src/github.com/xtaci/kcp-go/"
cd "$tmp/src/github.com/xtaci/kcp-go"
GO111MODULE=off GOFLAGS= GOPROXY=off GOPATH="$tmp:/usr/share/gocode" GOCACHE="${GOCACHE:-$tmp/.cache}" \
  go test -run XXX -bench FEC -benchmem -count "$count"
