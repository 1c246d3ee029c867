#!/usr/bin/env bash
# Issue 15's bar: N finished clients (default 2000) against ./kcp echo-server leave no session and no thread once the
# server's idle timeout passes (KCP has no FIN: a server learns that a client is gone from its silence).
#
# Usage: bench/finished-clients.sh [N]     Environment: IDLE (server --idle-timeout, seconds, default 10),
# KCP_NO_BUILD=1. Loopback only. Prints one line per sample: heap after GC, platform threads, all threads (virtual
# included), live kcp.net.KcpSession objects, the server's serving threads.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
N="${1:-2000}"
IDLE="${IDLE:-10}"
KEY="finished clients"
OUT="/tmp/kcp-finished-$(date -u +%Y%m%dT%H%M%S)"
mkdir -p "$OUT"

java_home() {
  for j in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [ -n "$j" ] && [ -x "$j/bin/java" ] && [ -x "$j/bin/jcmd" ] || continue
    v=$("$j/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/{print $2}')
    if [ "${v%%.*}" -ge 21 ] 2>/dev/null; then echo "$j"; return; fi
  done
  echo "finished-clients.sh: no JDK >= 21 with jcmd found (set JAVA_HOME)" >&2; exit 1
}
JH="$(java_home)"

SRV=""
cleanup() { [ -n "$SRV" ] && kill -TERM "$SRV" 2>/dev/null && wait "$SRV" 2>/dev/null || true; }
trap cleanup EXIT INT TERM

KCP_NO_BUILD="${KCP_NO_BUILD:-0}" ./kcp echo-server --listen 127.0.0.1:0 --crypt aes --key "$KEY" \
  --idle-timeout "$IDLE" --timeout 900 > "$OUT/server.out" 2> "$OUT/server.err" &
SRV=$!
ADDR=""
for _ in $(seq 1 1200); do
  ADDR="$(awk '/^LISTEN /{print $2; exit}' "$OUT/server.out")"
  [ -n "$ADDR" ] && break
  sleep 0.05
done
[ -n "$ADDR" ] || { echo "finished-clients.sh: echo-server did not start: $(cat "$OUT/server.err")" >&2; exit 1; }

sample() { # label
  local jst heap plat all sess serve
  "$JH/bin/jcmd" "$SRV" GC.run > /dev/null
  jst="$("$JH/bin/jstat" -gc "$SRV")"
  heap="$(awk 'NR==1{for(i=1;i<=NF;i++)h[$i]=i} NR==2{printf "%.1f", ($h["S0U"]+$h["S1U"]+$h["EU"]+$h["OU"])/1024}' \
    <<< "$jst")"
  plat="$("$JH/bin/jcmd" "$SRV" Thread.print | grep -c '^"' || true)"
  rm -f "$OUT/threads.json"
  "$JH/bin/jcmd" "$SRV" Thread.dump_to_file -format=json "$OUT/threads.json" > /dev/null
  all="$(grep -c '"tid"' "$OUT/threads.json" || true)"
  serve="$(grep -c '"name": "kcp-serve' "$OUT/threads.json" || true)"
  sess="$("$JH/bin/jcmd" "$SRV" GC.class_histogram | awk '$4=="kcp.net.KcpSession"{print $2; f=1} END{if(!f)print 0}')"
  echo "$1: heap_after_gc_mb=$heap platform_threads=$plat all_threads=$all serving_threads=$serve kcp_sessions=$sess"
}

sample "server started"
start=$SECONDS
KCP_NO_BUILD=1 ./kcp echo-client --remote "$ADDR" --crypt aes --key "$KEY" --sessions "$N" --bytes 4K --quiet \
  --timeout 300 > "$OUT/client.out" 2> "$OUT/client.err" || { echo "client failed: $(tail -3 "$OUT/client.err")" >&2; }
echo "clients: $(grep '^RESULT' "$OUT/client.out") in $((SECONDS - start)) s"
sample "$N clients finished"
sleep $((IDLE + 5))
sample "idle timeout ($IDLE s) passed"
