#!/usr/bin/env bash
# The tunnel race: ./kcp tunnel-client + ./kcp tunnel-server (Java) against kcptun-client + kcptun-server
# (kcptun 20210922, Debian) on this machine, in one sitting. Path of every run:
#   tcpload echo-client -> tunnel client (TCP) -> KCP over 127.0.0.1 (aes, FEC 10/3, mode fast: kcptun's defaults)
#   -> tunnel server -> tcpload echo-server (TCP), and the echo all the way back; every byte is checked.
# Cases: 1 and 8 TCP connections, with and without compression (--nocomp), BIG MiB per run over all connections.
# Each case starts one Java pair and one kcptun pair, then runs ROUNDS rounds; each round runs the two pairs one after
# the other (the order alternates by round), so machine drift hits both alike. Java/kcptun = ratio of the two MB/s of
# one round; the table gives each side's median MB/s and the median of the per-round ratios with their min..max.
# It also reads the CPU time (user + system, /proc/PID/stat) both tunnel processes of each side spent on each run:
# "CPU ratio" = kcptun's CPU seconds / Java's for the same bytes (above 1: Java needs less CPU), the figure to
# use when other load on the machine makes the wall-clock ratio unusable.
# tcpload (interop/go/src/kcpjava/tcpload) is the same Go program for both sides.
# Usage: bench/tunnel-race.sh          (about 8-12 minutes on 2 cores with the defaults)
# Env:   ROUNDS (default 5), BIG (MiB per run, default 256), OUT (default kcp.bench/target/tunnel-race.md),
#        CASES (default "1:comp 1:nocomp 8:comp 8:nocomp"), WORK (default /tmp/kcp-tunnel-race).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
ROUNDS="${ROUNDS:-5}"
BIG="${BIG:-256}"
OUT="${OUT:-$root/kcp.bench/target/tunnel-race.md}"
WORK="${WORK:-/tmp/kcp-tunnel-race}"
CASES="${CASES:-1:comp 1:nocomp 8:comp 8:nocomp}"
mkdir -p "$WORK" "$(dirname "$OUT")"
log() { echo "[tunnel-race $(date +%H:%M:%S)] $*" >&2; }

command -v go >/dev/null || { echo "tunnel-race.sh: needs go (apt-get install golang-go)" >&2; exit 1; }
command -v kcptun-server >/dev/null || { echo "tunnel-race.sh: needs kcptun (apt-get install kcptun)" >&2; exit 1; }
interop/go/build.sh >/dev/null
LOAD="$root/interop/go/bin/tcpload"
./kcp --help >/dev/null 2>&1 || { echo "tunnel-race.sh: ./kcp does not run" >&2; exit 1; }
# A private copy of the module jars, so that a rebuild in the checkout cannot pull them away mid-race.
rm -rf "$WORK/lib"; mkdir -p "$WORK/lib"
cp "$root/kcp.bench/target/kcp.bench-0.1.0-SNAPSHOT.jar" "$WORK/lib/"
tr ':' '\n' < "$root/kcp.bench/target/kcp.modulepath" | while read -r jar; do [ -f "$jar" ] && cp "$jar" "$WORK/lib/"; done
JAVA_KCP="$WORK/kcp-java"
printf '#!/bin/sh\nKCP_NO_BUILD=1 KCP_MODULE_PATH="%s" exec "%s" "$@"\n' "$WORK/lib" "$root/kcp" > "$JAVA_KCP"
chmod +x "$JAVA_KCP"
# The copied jars are newer than any AOT cache, so the first run trains one (JDK 25+); do it here, once, rather
# than in both tunnel ends at once under the 10-second start-up wait below (a loaded machine overran it).
"$JAVA_KCP" --help >/dev/null 2>&1 || true

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
free_udp_port() {
  python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
# wait_for FILE PATTERN: until PATTERN appears in FILE (10 s)
wait_for() {
  for _ in $(seq 1 200); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.05; done
  echo "tunnel-race.sh: no '$2' in $1: $(tail -5 "$1")" >&2; exit 1
}

: > "$WORK/echo.out"
"$LOAD" echo-server --listen 127.0.0.1:0 > "$WORK/echo.out" 2>&1 &
PIDS+=($!)
wait_for "$WORK/echo.out" '^LISTEN '
TARGET="$(awk '/^LISTEN /{print $2; exit}' "$WORK/echo.out")"

# start_pair IMPL COMP -> sets ENTRY (the client's TCP address); the pair's processes join PIDS
start_pair() {
  local impl="$1" comp="$2" udp tcp extra=() tag="$1-$2"
  udp="$(free_udp_port)"; tcp="$(free_port)"
  [ "$comp" = nocomp ] && extra=(--nocomp)
  local common=(--crypt aes --key tunnel-race --mode fast --quiet "${extra[@]}")
  : > "$WORK/server-$tag.err"; : > "$WORK/client-$tag.err"
  if [ "$impl" = java ]; then
    "$JAVA_KCP" tunnel-server --listen "127.0.0.1:$udp" --target "$TARGET" "${common[@]}" \
      > "$WORK/server-$tag.out" 2> "$WORK/server-$tag.err" &
    PIDS+=($!)
    "$JAVA_KCP" tunnel-client --localaddr "127.0.0.1:$tcp" --remoteaddr "127.0.0.1:$udp" "${common[@]}" \
      > "$WORK/client-$tag.out" 2> "$WORK/client-$tag.err" &
    PIDS+=($!)
    wait_for "$WORK/server-$tag.out" '^LISTEN '
    wait_for "$WORK/client-$tag.out" '^LISTEN '
  else
    kcptun-server --listen "127.0.0.1:$udp" --target "$TARGET" "${common[@]}" 2> "$WORK/server-$tag.err" &
    PIDS+=($!)
    kcptun-client --localaddr "127.0.0.1:$tcp" --remoteaddr "127.0.0.1:$udp" "${common[@]}" \
      2> "$WORK/client-$tag.err" &
    PIDS+=($!)
    wait_for "$WORK/server-$tag.err" 'listening on:'
    wait_for "$WORK/client-$tag.err" 'listening on:'
  fi
  ENTRY="127.0.0.1:$tcp"
  PAIR="${PIDS[-2]} ${PIDS[-1]}"   # the server and client processes
}

# cpu_ticks PID... -> user + system clock ticks of those processes so far
cpu_ticks() {
  local p t=0
  for p in "$@"; do
    t=$((t + $(sed 's/^.*) //' "/proc/$p/stat" | awk '{print $12 + $13}')))
  done
  echo "$t"
}

# run_load ENTRY CONNS COMP SEED -> MB/s (exits on a failed run)
run_load() {
  local line flags=()
  [ "$3" = comp ] && flags=(--compressible)
  line="$("$LOAD" echo-client --remote "$1" --bytes $((BIG << 20)) --conns "$2" --seed "$4" "${flags[@]}")" || {
    echo "tunnel-race.sh: run failed: $line" >&2; exit 1; }
  sed -n 's/.* MBps=\([^ ]*\).*/\1/p' <<< "$line"
}

median() { sort -g | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }

{
  echo "| connections | compression | Java MB/s (median) | kcptun MB/s (median) | Java/kcptun (median of $ROUNDS rounds) | ratio min..max | CPU ratio kcptun/Java (median, min..max) |"
  echo "|---|---|---|---|---|---|---|"
} > "$OUT.rows"
for c in $CASES; do
  conns="${c%%:*}"; comp="${c#*:}"
  log "case conns=$conns $comp: starting both pairs"
  start_pair java "$comp"; java_entry="$ENTRY"; java_pids="$PAIR"
  start_pair go "$comp"; go_entry="$ENTRY"; go_pids="$PAIR"
  : > "$WORK/java.mbps"; : > "$WORK/go.mbps"; : > "$WORK/ratio"; : > "$WORK/cpuratio"
  for r in $(seq 1 "$ROUNDS"); do
    if (( r % 2 )); then order=(java go); else order=(go java); fi
    for impl in "${order[@]}"; do
      entry="$java_entry"; pids="$java_pids"
      [ "$impl" = go ] && { entry="$go_entry"; pids="$go_pids"; }
      # shellcheck disable=SC2086
      t0="$(cpu_ticks $pids)"
      mbps="$(run_load "$entry" "$conns" "$comp" "$r")"
      # shellcheck disable=SC2086
      t1="$(cpu_ticks $pids)"
      echo "$mbps" >> "$WORK/$impl.mbps"
      eval "last_$impl=$mbps"
      eval "cpu_$impl=$((t1 - t0))"
    done
    ratio="$(awk -v j="$last_java" -v g="$last_go" 'BEGIN {printf "%.3f", j / g}')"
    echo "$ratio" >> "$WORK/ratio"
    cpuratio="$(awk -v j="$cpu_java" -v g="$cpu_go" 'BEGIN {printf "%.3f", (j > 0 ? g / j : 0)}')"
    echo "$cpuratio" >> "$WORK/cpuratio"
    tck="$(getconf CLK_TCK)"
    log "  round $r: java $last_java MB/s, kcptun $last_go MB/s, ratio $ratio;" \
        "CPU s java $(awk -v t="$cpu_java" -v k="$tck" 'BEGIN {printf "%.1f", t / k}')," \
        "kcptun $(awk -v t="$cpu_go" -v k="$tck" 'BEGIN {printf "%.1f", t / k}'), kcptun/java $cpuratio"
  done
  jm="$(median < "$WORK/java.mbps")"; gm="$(median < "$WORK/go.mbps")"; rm_="$(median < "$WORK/ratio")"
  spread="$(sort -g "$WORK/ratio" | awk 'NR==1{lo=$1} {hi=$1} END{print lo ".." hi}')"
  cm="$(median < "$WORK/cpuratio")"
  cspread="$(sort -g "$WORK/cpuratio" | awk 'NR==1{lo=$1} {hi=$1} END{print lo ".." hi}')"
  echo "| $conns | $comp | $jm | $gm | $rm_ | $spread | $cm ($cspread) |" >> "$OUT.rows"
  cleanup; PIDS=()
  "$LOAD" echo-server --listen 127.0.0.1:0 > "$WORK/echo.out" 2>&1 &
  PIDS+=($!)
  wait_for "$WORK/echo.out" '^LISTEN '
  TARGET="$(awk '/^LISTEN /{print $2; exit}' "$WORK/echo.out")"
done

{
  echo "Tunnel race $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores ($(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo)),"
  echo "$BIG MiB echoed per run (aes, FEC 10/3, fast, kcptun's windows), $ROUNDS interleaved rounds, load average at the end:"
  echo "$(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  cat "$OUT.rows"
} > "$OUT"
rm -f "$OUT.rows"
cat "$OUT"
