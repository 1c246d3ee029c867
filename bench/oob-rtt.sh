#!/usr/bin/env bash
# OOB round trip against a plain UDP round trip on loopback, interleaved in one JVM (kcp.bench.net.OobRoundTrip):
# ROUNDS rounds (default 7) of N round trips (default 20000) per way, for each cipher given (default: none aes
# aes-128-gcm). Prints each round's p50 and the median per-round ratio with its range; figures in docs/oob.md.
# Usage: bench/oob-rtt.sh [ROUNDS] [N] [CIPHER...]. KCP_NO_BUILD=1 skips the Maven build.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. "$root/bench/lib/env.sh"   # kcp_java_home
read -r _ JH <<< "$(kcp_java_home)"
rounds="${1:-7}"
n="${2:-20000}"
shift $(( $# > 2 ? 2 : $# ))
ciphers=("$@")
[ ${#ciphers[@]} -gt 0 ] || ciphers=(none aes aes-128-gcm)
cpfile="$root/kcp.bench/target/jmh.classpath"
if [ "${KCP_NO_BUILD:-0}" != 1 ] || [ ! -f "$cpfile" ]; then
  mvn -B -q -DskipTests -Dmaven.javadoc.skip -Dmaven.source.skip -Dcheckstyle.skip \
      -pl kcp.bench -am package dependency:build-classpath -Dmdep.outputFile="$cpfile" -DincludeScope=runtime
fi
cp="kcp.bench/target/classes:$(cat "$cpfile")"
for c in "${ciphers[@]}"; do
  echo "== cipher $c"
  "$JH/bin/java" -cp "$cp" kcp.bench.net.OobRoundTrip "$rounds" "$n" "$c"
done
