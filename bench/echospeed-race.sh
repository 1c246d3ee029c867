#!/usr/bin/env bash
# Interleaved race of kcp-go 5.6.1's BenchmarkEchoSpeed{4K,64K,512K,1M} (go test -bench, built from a private copy
# of Debian's source) against our JMH mirror EchoSpeedBench: in every round and for every size, Go first, then Java,
# each in a fresh process. Prints each round's MB/s and the Java/Go ratio, then per size the median of the per-round
# ratios with their spread (min..max). This machine drifts by a third within minutes, so only the interleaved
# per-round ratios mean anything.
# Java runs in both of EchoSpeedBench's thread set-ups (platform: JMH's thread and platform receive loops, kcp.net's
# default; virtual: client and receive loops on virtual threads), each against the same Go run.
# Usage: [ROUNDS=5] [SIZES="4096 65536 524288 1048576"] [THREADS="platform virtual"] [GOTIME=2s] \
#        bench/echospeed-race.sh
# Needs: golang-go and golang-github-xtaci-kcp-dev (Debian); builds kcp.bench via bench/jmh.sh unless KCP_NO_BUILD=1.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
rounds="${ROUNDS:-5}"
sizes="${SIZES:-4096 65536 524288 1048576}"
gotime="${GOTIME:-2s}"
variants="${THREADS:-platform virtual}"
work="$(mktemp -d "${TMPDIR:-/tmp}/echospeed-race.XXXXXX")"
trap 'rm -rf "$work"' EXIT

. "$root/bench/lib/env.sh"   # kcp_go_test, kcp_ratio_summary
kcp_go_test "$work"
if [ "${KCP_NO_BUILD:-0}" != 1 ]; then
  bench/jmh.sh -l >/dev/null
fi

label() { case "$1" in 4096) echo 4K;; 65536) echo 64K;; 524288) echo 512K;; 1048576) echo 1M;; *) echo "$1";; esac; }

for ((r = 1; r <= rounds; r++)); do
  for size in $sizes; do
    name="EchoSpeed$(label "$size")"
    go_mb=$(cd "$work" && ./kcp-go.test -test.run '^$' -test.bench "^Benchmark${name}\$" -test.benchtime "$gotime" \
        2>/dev/null | awk '/^Benchmark/ {for (i = 1; i <= NF; i++) if ($(i + 1) == "MB/s") print $i}')
    for threads in $variants; do
      KCP_NO_BUILD=1 bench/jmh.sh 'EchoSpeedBench' -p size="$size" -p threads="$threads" -f 1 -wi 3 -w 2 -i 3 -r 2 \
          -rf csv -rff "$work/jmh.csv" >/dev/null 2>&1
      java_mb=$(awk -F, '$1 ~ /echo:bytes/ {gsub(/"/, "", $5); printf "%.2f", $5 / 1e6}' "$work/jmh.csv")
      ratio=$(awk -v g="$go_mb" -v j="$java_mb" 'BEGIN {printf "%.3f", j / g}')
      echo "round $r $name go ${go_mb} MB/s java ($threads) ${java_mb} MB/s java/go ${ratio}"
      echo "$name $threads $ratio" >> "$work/ratios"
    done
  done
done
for size in $sizes; do
  for threads in $variants; do
    name="EchoSpeed$(label "$size")"
    awk -v n="$name" -v t="$threads" '$1 == n && $2 == t {print $3}' "$work/ratios" \
      | kcp_ratio_summary "$name ($threads)"
  done
done
