#!/usr/bin/env bash
# soak.sh: issue 15's soak (not CI). For SOAK_MINUTES (default 30) runs, against one `./kcp echo-server`
# (aes, FEC 10/3, loopback):
#   - real sessions: `./kcp echo-client` in a loop (SOAK_SESSIONS sessions x SOAK_BYTES each per run, byte-checked);
#   - attack traffic: kcp.net's test utility HostileTraffic (kcp.net/src/test/java/kcp/net/HostileTraffic.java),
#     one round every 10 s at most SOAK_RATE datagrams/s from fresh loopback ports: 32 forged data-less (ACK or
#     WASK) datagrams, a window fill (PUSH sn 1..1023 x 1000 bytes, no sn 0) from one port, and the captured
#     client datagrams of a real 8 KiB echo session replayed from 32 ports;
# and every SOAK_INTERVAL seconds (default 60) samples the server JVM after a full GC: heap used (jstat -gc after
# jcmd GC.run), platform threads (jcmd Thread.print), all threads incl. virtual (jcmd Thread.dump_to_file
# -format=json), live KcpSession objects (jcmd GC.class_histogram) into a CSV. Stops everything it started.
#
# Usage: bench/soak.sh [MINUTES]        Output: $SOAK_OUT (default /tmp/kcp-soak-<time>)/soak.csv and logs.
# Environment: SOAK_MINUTES, SOAK_INTERVAL, SOAK_RATE (2000), SOAK_SESSIONS (4), SOAK_BYTES (1M), SOAK_OUT,
# SOAK_SERVER_OPTS (JVM options of the server, e.g. -Xmx512m), KCP_NO_BUILD=1 (skip the builds).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
MINUTES="${1:-${SOAK_MINUTES:-30}}"
INTERVAL="${SOAK_INTERVAL:-60}"
RATE="${SOAK_RATE:-2000}"
SESSIONS="${SOAK_SESSIONS:-4}"
BYTES="${SOAK_BYTES:-1M}"
OUT="${SOAK_OUT:-/tmp/kcp-soak-$(date -u +%Y%m%dT%H%M%S)}"
KEY="soak key"
mkdir -p "$OUT"
SECONDS_TOTAL=$((MINUTES * 60))

java_home() {
  for j in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [ -n "$j" ] && [ -x "$j/bin/java" ] && [ -x "$j/bin/jcmd" ] || continue
    v=$("$j/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/{print $2}')
    if [ "${v%%.*}" -ge 21 ] 2>/dev/null; then echo "$j"; return; fi
  done
  echo "soak.sh: no JDK >= 21 with jcmd found (set JAVA_HOME)" >&2; exit 1
}
JH="$(java_home)"

if [ "${KCP_NO_BUILD:-0}" != 1 ]; then
  # the CLI jars (./kcp builds them when stale) and kcp.net's test classes (the attacker)
  mvn -B -q -DskipTests -pl kcp.net -am test-compile
  ./kcp --help > /dev/null 2>&1 || true
fi
ATTACK_CP="kcp.net/target/test-classes:kcp.net/target/classes:kcp.core/target/classes:kcp.crypto/target/classes"
ATTACK_CP="$ATTACK_CP:kcp.fec/target/classes"

PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM

# the server (its own timeout is a backstop: it exits even if this script is killed with -9)
# shellcheck disable=SC2086
KCP_NO_BUILD=1 KCP_JAVA_OPTS="${SOAK_SERVER_OPTS:-}" ./kcp echo-server --listen 127.0.0.1:0 --crypt aes \
  --key "$KEY" --timeout $((SECONDS_TOTAL + 120)) > "$OUT/server.out" 2> "$OUT/server.err" &
SRV=$!
PIDS+=("$SRV")
ADDR=""
for _ in $(seq 1 400); do
  ADDR="$(awk '/^LISTEN /{print $2; exit}' "$OUT/server.out")"
  [ -n "$ADDR" ] && break
  sleep 0.05
done
[ -n "$ADDR" ] || { echo "soak.sh: echo-server did not start: $(cat "$OUT/server.err")" >&2; exit 1; }
echo "soak.sh: server pid $SRV at $ADDR, $MINUTES min, samples every $INTERVAL s -> $OUT/soak.csv" >&2

# real sessions in a loop until the deadline (TERM stops the running client too)
(
  cpid=""
  trap '[ -n "$cpid" ] && kill -TERM "$cpid" 2>/dev/null; exit 0' TERM
  end=$((SECONDS + SECONDS_TOTAL))
  ok=0; fail=0; seed=1
  while [ "$SECONDS" -lt "$end" ]; do
    KCP_NO_BUILD=1 ./kcp echo-client --remote "$ADDR" --crypt aes --key "$KEY" --sessions "$SESSIONS" \
      --bytes "$BYTES" --seed "$seed" --timeout 60 --quiet > "$OUT/client.out" 2>> "$OUT/clients.err" &
    cpid=$!
    if wait "$cpid" && grep -q '^RESULT ok' "$OUT/client.out"; then
      ok=$((ok + 1))
    else
      fail=$((fail + 1))
      cat "$OUT/client.out" >> "$OUT/clients.failed"
    fi
    cpid=""
    seed=$((seed + SESSIONS))
    echo "$ok $fail" > "$OUT/clients.count"
  done
) &
PIDS+=("$!")

# attack traffic
"$JH/bin/java" --add-modules jdk.incubator.vector -cp "$ATTACK_CP" kcp.net.HostileTraffic --target "$ADDR" \
  --crypt aes --key "$KEY" --seconds "$SECONDS_TOTAL" --rate "$RATE" > "$OUT/attack.out" 2> "$OUT/attack.err" &
PIDS+=("$!")

sample() { # minute -> one CSV line
  local jst heap plat all sess cl atk
  "$JH/bin/jcmd" "$SRV" GC.run > /dev/null
  jst="$("$JH/bin/jstat" -gc "$SRV")"
  heap="$(awk 'NR==1{for(i=1;i<=NF;i++)h[$i]=i} NR==2{printf "%.1f", ($h["S0U"]+$h["S1U"]+$h["EU"]+$h["OU"])/1024}' \
    <<< "$jst")"
  plat="$("$JH/bin/jcmd" "$SRV" Thread.print | grep -c '^"' || true)"
  rm -f "$OUT/threads.json"
  "$JH/bin/jcmd" "$SRV" Thread.dump_to_file -format=json "$OUT/threads.json" > /dev/null
  all="$(grep -c '"tid"' "$OUT/threads.json" || true)"
  sess="$("$JH/bin/jcmd" "$SRV" GC.class_histogram | awk '$4=="kcp.net.KcpSession"{print $2; f=1} END{if(!f)print 0}')"
  cl="$(cat "$OUT/clients.count" 2>/dev/null || echo "0 0")"
  atk="$(awk '/^ATTACK /{t=$4} END{sub("total=","",t); print t+0}' "$OUT/attack.out")"
  echo "$1,$(date -u +%H:%M:%S),$heap,$plat,$all,$sess,${cl% *},${cl#* },$atk"
}

echo "minute,utc,heap_used_mb_after_gc,platform_threads,all_threads,kcp_sessions,client_runs_ok,client_runs_failed,attack_datagrams" \
  > "$OUT/soak.csv"
sample 0 | tee -a "$OUT/soak.csv"
start=$SECONDS
n=0
while [ $((SECONDS - start)) -lt "$SECONDS_TOTAL" ]; do
  n=$((n + 1))
  target=$((start + n * INTERVAL))
  [ "$target" -gt $((start + SECONDS_TOTAL)) ] && target=$((start + SECONDS_TOTAL))
  while [ "$SECONDS" -lt "$target" ]; do sleep 1; done
  kill -0 "$SRV" 2>/dev/null || { echo "soak.sh: the server died: $(tail -5 "$OUT/server.err")" >&2; exit 1; }
  sample "$(awk -v s=$((SECONDS - start)) 'BEGIN{printf "%.1f", s/60}')" | tee -a "$OUT/soak.csv"
done
echo "soak.sh: done; attacker: $(tail -1 "$OUT/attack.out"); clients ok/failed: $(cat "$OUT/clients.count" 2>/dev/null)" >&2
