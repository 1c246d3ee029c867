#!/usr/bin/env bash
# Interleaved AEAD race: Go's golang.org/x/crypto (interop/go/bin/aeadbench, Debian's x/crypto 0.4.0) vs
# kcp.bench's AeadBench (JMH), seal+open of one SIZE-byte payload, ROUNDS rounds, Go then Java in each
# round. Prints per-round ns/op and the Java/Go throughput ratio (= Go ns / Java ns), then the median
# ratio and its spread (min..max) per AEAD.
# Usage: [ROUNDS=5] [SIZE=1500] [WARMUP=20] bench/aead-race.sh [AeadBench cipher names, default chacha20-poly1305]
# (WARMUP: 1 s JMH warm-up iterations; the Vector API kernels of chacha20-poly1305 need C2, which took 5-10 s
# on the loaded 2-core test machine, and the warm-up gate samples them on one call in 16 until then)
# (jdk-chacha20-poly1305, the JDK cipher, is raced against Go's chacha20-poly1305)
# CPU=1 compares CPU time per op instead (Go: process user + system time, best of 5 chunks; Java: JMH
# -prof kcp.bench.CpuTimeProfiler): on a machine loaded by other work, wall time mostly measures the load.
# Needs: interop/go/build.sh run once; builds kcp.bench via bench/jmh.sh unless KCP_NO_BUILD=1.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. "$root/bench/lib/env.sh"   # kcp_ratio_summary
rounds="${ROUNDS:-5}"
size="${SIZE:-1500}"
warmup="${WARMUP:-20}"
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(chacha20-poly1305)
[ -x interop/go/bin/aeadbench ] || { echo "aead-race.sh: run interop/go/build.sh first" >&2; exit 1; }
if [ "${KCP_NO_BUILD:-0}" != 1 ]; then
  bench/jmh.sh -l >/dev/null   # builds once; the rounds below reuse the class path
fi
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
for ((r = 1; r <= rounds; r++)); do
  for name in "${names[@]}"; do
    if [ "${CPU:-0}" = 1 ]; then
      go_ns=$(interop/go/bin/aeadbench -size "$size" -time 3s "${name#jdk-}" | awk '{print $5}')
      KCP_NO_BUILD=1 bench/jmh.sh 'AeadBench' -p cipher="$name" -p size="$size" -wi "$warmup" -i 3 -w 1s -r 1s \
          -f 1 -prof kcp.bench.CpuTimeProfiler -rf csv -rff "$out.csv" >/dev/null
      java_ns=$(awk -F, '$1 ~ /cpu.ns\/op/ {gsub(/"/, "", $5); print $5}' "$out.csv")
    else
      go_ns=$(interop/go/bin/aeadbench -size "$size" -time 3s "${name#jdk-}" | awk '{print $2}')
      KCP_NO_BUILD=1 bench/jmh.sh 'AeadBench' -p cipher="$name" -p size="$size" -wi "$warmup" -i 3 -w 1s -r 1s \
          -f 1 -rf csv -rff "$out.csv" >/dev/null
      java_ns=$(awk -F, 'NR == 2 {gsub(/"/, "", $5); print $5}' "$out.csv")
    fi
    ratio=$(awk -v g="$go_ns" -v j="$java_ns" 'BEGIN {printf "%.3f", g / j}')
    echo "round $r $name go ${go_ns} ns java ${java_ns} ns java/go throughput ${ratio}"
    echo "$name $ratio" >> "$out"
  done
done
for name in "${names[@]}"; do
  awk -v n="$name" '$1 == n {print $2}' "$out" | kcp_ratio_summary "$name (throughput)"
done
