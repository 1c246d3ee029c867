#!/usr/bin/env bash
# Java's SnappyChannel against golang/snappy 0.0.2 on the same payloads, in the same sitting: ROUNDS rounds
# (default 5), each running kcp.bench's SnappyCpuRace and interop/go/bin/snappyvec bench back to back (the
# order alternates between rounds). Both time each case by the CPU time of the measuring thread, so the load
# of other processes matters less than with wall-clock timing. Prints, per case, the median of the per-round
# Java/Go ratios of MB/s with their range, and both medians in MB/s.
# Usage: bench/snappy-vs-go.sh [ROUNDS] [SECS per case, default 1]. KCP_NO_BUILD=1 skips the Maven build.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
rounds="${1:-5}"
secs="${2:-1}"
[ -x interop/go/bin/snappyvec ] || interop/go/build.sh >/dev/null
if [ "${KCP_NO_BUILD:-0}" != 1 ] || [ ! -f kcp.bench/target/jmh.classpath ]; then
  mvn -B -q -DskipTests -pl kcp.bench -am package dependency:build-classpath \
      -Dmdep.outputFile="$root/kcp.bench/target/jmh.classpath" -DincludeScope=runtime
fi
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
cp="kcp.bench/target/classes:$(cat kcp.bench/target/jmh.classpath)"
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
for r in $(seq "$rounds"); do
  if [ $((r % 2)) = 1 ]; then order="java go"; else order="go java"; fi
  for who in $order; do
    if [ "$who" = java ]; then
      "$java" -cp "$cp" kcp.bench.smux.SnappyCpuRace "$secs" | sed "s/^/$r /" >>"$out"
    else
      interop/go/bin/snappyvec bench "$secs" | sed "s/^/$r /" >>"$out"
    fi
  done
  echo "round $r of $rounds done" >&2
done
python3 - "$out" <<'PY'
import sys, statistics, collections
m = collections.defaultdict(dict)   # (op, kind, size) -> {(round, who): MB/s}
for line in open(sys.argv[1]):
    r, who, op, kind, size, mbs, _ = line.split()
    m[(op, kind, int(size))][(int(r), who)] = float(mbs)
print("| op | payload | bytes | Java MB/s | Go MB/s | Java/Go (median, range) |")
print("|---|---|---:|---:|---:|---|")
for key in sorted(m, key=lambda k: (k[0], k[1], k[2])):
    v = m[key]
    rounds = sorted({r for r, _ in v})
    ratios = [v[(r, 'java')] / v[(r, 'go')] for r in rounds]
    j = statistics.median(v[(r, 'java')] for r in rounds)
    g = statistics.median(v[(r, 'go')] for r in rounds)
    print(f"| {key[0]} | {key[1]} | {key[2]} | {j:.0f} | {g:.0f} | {statistics.median(ratios):.2f} "
          f"({min(ratios):.2f}-{max(ratios):.2f}) |")
PY
