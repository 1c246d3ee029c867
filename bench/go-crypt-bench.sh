#!/usr/bin/env bash
# Runs kcp-go 5.6.1's own crypt benchmarks (crypt_test.go, from Debian's golang-github-xtaci-kcp-dev)
# in a private GOPATH outside the repository, and prints each as MB/s (kcp-go's SetBytes: 3000 per
# cipher op = encrypt + decrypt of 1500 bytes; 1024 for CRC32; 16 for the nonce generators).
# Usage: [COUNT=n] bench/go-crypt-bench.sh [benchtime, default 1s] [bench regex]   (raw go test output on stderr)
set -euo pipefail
benchtime="${1:-1s}"
regex="${2:-AES|TEA|XTEA|Salsa|Blowfish|Cast5|Twofish|SM4|3DES|XOR|None|CRC32|Csprng}"
src=/usr/share/gocode/src/github.com/xtaci/kcp-go
[ -d "$src" ] || { echo "go-crypt-bench.sh: $src missing (apt-get install golang-github-xtaci-kcp-dev)" >&2; exit 1; }
command -v go >/dev/null || { echo "go-crypt-bench.sh: no 'go' on PATH (apt-get install golang-go)" >&2; exit 1; }
work="${TMPDIR:-/tmp}/kcp-go-bench.$$"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src/github.com/xtaci"
cp -r "$src" "$work/src/github.com/xtaci/kcp-go"
cd "$work/src/github.com/xtaci/kcp-go"
# Keep only crypt_test.go: the other tests need testify (not packaged) and sess_test.go's init starts
# echo servers. crypt_test.go uses sess_test.go's test key, re-declared here identically.
find . -name '*_test.go' ! -name crypt_test.go -delete
cat > pass_test.go <<'GO'
package kcp

import (
	"crypto/sha1"

	"golang.org/x/crypto/pbkdf2"
)

var pass = pbkdf2.Key([]byte("testkey"), []byte("testsalt"), 4096, 32, sha1.New)
GO
GO111MODULE=off GOFLAGS= GOPROXY=off GOPATH="$work:/usr/share/gocode" GOCACHE="$work/.cache" \
  go test -run XXX -bench "$regex" -benchtime "$benchtime" -count "${COUNT:-1}" . | tee "$work/out.txt" >&2
echo
echo "benchmark MB/s ns/op"
awk '/^Benchmark/ { for (i = 1; i <= NF; i++) if ($(i+1) == "MB/s") mbs = $i; else if ($(i+1) == "ns/op") ns = $i;
       name = $1; sub(/^Benchmark/, "", name); sub(/-[0-9]+$/, "", name); print name, mbs, ns }' "$work/out.txt"
