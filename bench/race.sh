#!/usr/bin/env bash
# The race: kcp-java against kcp-go 5.6.1 (Debian) on this machine, in one sitting.
#   1. kcp-go's own benchmarks (BenchmarkEchoSpeed*/SinkSpeed*, built from a private copy of Debian's source)
#      against our JMH mirrors (EchoSpeedBench/SinkSpeedBench).
#   2. CLI peers: ./kcp (Java) and interop/go/bin/kcpgo (Go, same flags) in every pairing
#      (client-server: Go-Go, Java-Java, Java-Go, Go-Java) for:
#        echo 16 MiB and 256 MiB, aes + FEC 10/3, fast mode; the same with --crypt null and no FEC;
#        one-way sink 256 MiB (null, no FEC); echo 16 and 256 MiB aes + FEC 10/3 through a seeded 5% lossy
#        relay;
#        64-byte ping-pong latency (aes + FEC 10/3, fast); 1,000 idle sessions on one listener.
#   Each pairing has its own fresh server; the pairings' client runs are interleaved round by round. Medians of
#   RUNS runs (RUNS_BIG for 256 MiB) and Java/Go ratios go into a markdown table.
# Usage: bench/race.sh            (13-18 minutes on 2 cores)
# Env:   RUNS (default 5), RUNS_BIG (default 5), BIG (MiB of the big transfers, default 256), OUT (default kcp.bench/target/race.md),
#        SKIP_CLI=1 / SKIP_GOBENCH=1 / SKIP_JMH=1 / SKIP_IDLE=1 to leave parts out, WORK (default /tmp/kcp-race).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
RUNS="${RUNS:-5}"
RUNS_BIG="${RUNS_BIG:-5}"
BIG="${BIG:-256}"   # MiB of the big transfers
OUT="${OUT:-$root/kcp.bench/target/race.md}"
WORK="${WORK:-/tmp/kcp-race}"
mkdir -p "$WORK" "$(dirname "$OUT")"
TSV="$WORK/results.tsv"
: > "$TSV"
log() { echo "[race $(date +%H:%M:%S)] $*" >&2; }

# ---------------------------------------------------------------- build
command -v go >/dev/null || { echo "race.sh: needs go (apt-get install golang-go golang-github-xtaci-kcp-dev)" >&2; exit 1; }
interop/go/build.sh >/dev/null
GO="$root/interop/go/bin/kcpgo"
RELAY="$root/interop/go/bin/lossyrelay"
./kcp --help >/dev/null 2>&1 || { echo "race.sh: ./kcp does not run" >&2; exit 1; }
. "$root/bench/lib/env.sh"   # kcp_java_home, kcp_version
read -r _ JH <<< "$(kcp_java_home)"
# A private copy of the module jars, so that a rebuild in the checkout cannot pull them away mid-race.
rm -rf "$WORK/lib"; mkdir -p "$WORK/lib"
cp "$root/kcp.bench/target/kcp.bench-$(kcp_version).jar" "$WORK/lib/"
tr ':' '\n' < "$root/kcp.bench/target/kcp.modulepath" | while read -r jar; do [ -f "$jar" ] && cp "$jar" "$WORK/lib/"; done
JAVA_KCP="$WORK/kcp-java"   # ./kcp itself (its JVM flags) on the private copy
cat > "$JAVA_KCP" <<WRAP
#!/bin/sh
KCP_NO_BUILD=1 KCP_MODULE_PATH="$WORK/lib" exec "$root/kcp" "\$@"
WRAP
chmod +x "$JAVA_KCP"
"$JAVA_KCP" --help >/dev/null || { echo "race.sh: $JAVA_KCP does not run" >&2; exit 1; }
CLK_TCK="$(getconf CLK_TCK)"

# ---------------------------------------------------------------- helpers
# start_server LANG KIND ARGS... -> sets SRV_PID, SRV_ADDR (KIND = echo|sink); TAG names its output files
start_server() {
  local lang="$1" kind="$2"; shift 2
  local outf="$WORK/server${TAG:-}.out" errf="$WORK/server${TAG:-}.err"
  # Truncate here, not only through the background job's redirection: the job's shell may open the file
  # after we first look at it, and a previous server's LISTEN line would send the clients to a dead port.
  : > "$outf"
  if [ "$lang" = go ]; then
    "$GO" "$kind-server" --listen 127.0.0.1:0 "$@" > "$outf" 2> "$errf" &
  else
    "$JAVA_KCP" "$kind-server" --listen 127.0.0.1:0 "$@" > "$outf" 2> "$errf" &
  fi
  SRV_PID=$!
  for _ in $(seq 1 200); do
    SRV_ADDR="$(awk '/^LISTEN /{print $2; exit}' "$outf")"
    [ -n "$SRV_ADDR" ] && return 0
    sleep 0.05
  done
  echo "race.sh: $lang $kind-server did not start: $(cat "$errf")" >&2; exit 1
}
stop_pid() { kill -TERM "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

start_relay() {
  local outf="$WORK/relay${TAG:-}.out"
  : > "$outf"
  "$RELAY" --listen 127.0.0.1:0 --target "$1" --loss 0.05 --seed "${2:-1}" --timeout 3600 > "$outf" &
  RELAY_PID=$!
  for _ in $(seq 1 100); do
    RELAY_ADDR="$(awk '/^LISTEN /{print $2; exit}' "$outf")"
    [ -n "$RELAY_ADDR" ] && return 0
    sleep 0.05
  done
  echo "race.sh: relay did not start" >&2; exit 1
}

# client LANG KIND ARGS... -> prints the RESULT line (empty on crash)
client() {
  local lang="$1" kind="$2"; shift 2
  local bin=("$JAVA_KCP"); [ "$lang" = go ] && bin=("$GO")
  "${bin[@]}" "$kind-client" --quiet "$@" 2> "$WORK/client.err" | awk '/^RESULT /{print; exit}' || true
}

field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<< "$2"; }

# run_pairs SCENARIO KIND RUNS RELAY(0|1) ARGS... : every pairing against its own fresh server (and relay), RUNS
# rounds of one client run per pairing. Rounds interleave the pairings, each round starting one pairing later, so
# that a machine whose speed drifts over minutes (seen on shared VMs: Go-Go 45 MB/s in one block of runs, 28-33
# twenty minutes later) slows every pairing alike instead of whichever ran during the slow minutes.
PAIRS=(go-go java-java java-go go-java)
run_pairs() {
  local scenario="$1" kind="$2" runs="$3" lossy="$4"; shift 4
  local pair cl sv i k line
  local -A srv_pid relay_pid target
  for pair in "${PAIRS[@]}"; do
    sv="${pair#*-}"
    TAG="-$pair" start_server "$sv" "$kind" "$@"
    srv_pid[$pair]="$SRV_PID"; target[$pair]="$SRV_ADDR"
    if [ "$lossy" = 1 ]; then
      TAG="-$pair" start_relay "$SRV_ADDR" 1
      relay_pid[$pair]="$RELAY_PID"; target[$pair]="$RELAY_ADDR"
    fi
  done
  for i in $(seq 1 "$runs"); do
    for k in "${!PAIRS[@]}"; do
      pair="${PAIRS[$(( (k + i - 1) % ${#PAIRS[@]} ))]}"
      cl="${pair%-*}"
      line="$(client "$cl" "$kind" --remote "${target[$pair]}" --timeout 300 "${CLIENT_ARGS[@]}" "$@")"
      if [[ "$line" == "RESULT ok "* ]]; then
        printf '%s\t%s\t%s\t%s\t%s\n' "$scenario" "$pair" "$i" "$(field MBps "$line")" \
            "$(field rtt_us_p50 "$line")" >> "$TSV"
        log "$scenario $pair #$i: $(cut -d' ' -f2- <<< "$line")"
      else
        printf '%s\t%s\t%s\tFAIL\t\n' "$scenario" "$pair" "$i" >> "$TSV"
        log "$scenario $pair #$i: FAIL $line $(tail -2 "$WORK/client.err" | tr '\n' ' ')"
      fi
    done
  done
  for pair in "${PAIRS[@]}"; do
    [ "$lossy" = 1 ] && stop_pid "${relay_pid[$pair]}"
    stop_pid "${srv_pid[$pair]}"
  done
}

AESFEC=(--crypt aes --datashard 10 --parityshard 3 --mode fast)
PLAIN=(--crypt null --datashard 0 --parityshard 0 --mode fast)

log "machine: $(nproc) cores, $(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo), $(uname -r)"
log "java: $("$JH/bin/java" -version 2>&1 | head -1); go: $(go version)"

# ---------------------------------------------------------------- CLI races
if [ "${SKIP_CLI:-0}" != 1 ]; then
CLIENT_ARGS=(--bytes 16M);  run_pairs "echo 16 MiB aes+fec" echo "$RUNS" 0 "${AESFEC[@]}"
CLIENT_ARGS=(--bytes "${BIG}M"); run_pairs "echo $BIG MiB aes+fec" echo "$RUNS_BIG" 0 "${AESFEC[@]}"
CLIENT_ARGS=(--bytes 16M);  run_pairs "echo 16 MiB null" echo "$RUNS" 0 "${PLAIN[@]}"
CLIENT_ARGS=(--bytes "${BIG}M"); run_pairs "echo $BIG MiB null" echo "$RUNS_BIG" 0 "${PLAIN[@]}"
CLIENT_ARGS=(--bytes "${BIG}M"); run_pairs "sink $BIG MiB null" sink "$RUNS_BIG" 0 "${PLAIN[@]}"
CLIENT_ARGS=(--bytes 16M);  run_pairs "echo 16 MiB aes+fec, 5% loss" echo "$RUNS" 1 "${AESFEC[@]}"
CLIENT_ARGS=(--bytes "${BIG}M"); run_pairs "echo $BIG MiB aes+fec, 5% loss" echo "$RUNS_BIG" 1 "${AESFEC[@]}"
CLIENT_ARGS=(--bytes 1280000 --chunk 64 --pingpong); run_pairs "ping-pong 64 B aes+fec (20,000 rounds)" echo "$RUNS" 0 "${AESFEC[@]}"
fi

# ---------------------------------------------------------------- 1,000 idle sessions
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_kb() { awk '/^VmRSS/{print $2}' "/proc/$1/status"; }
heap_kb() {  # used heap after a full GC, Java only
  "$JH/bin/jcmd" "$1" GC.run >/dev/null 2>&1 || true
  # Sum "total ..., used N K" over the heap's spaces: G1 prints one line, SerialGC (the launcher's) one per generation.
  "$JH/bin/jcmd" "$1" GC.heap_info 2>/dev/null | awk '/total .* used/{for(i=1;i<=NF;i++) if($i=="used"){v=$(i+1); sub(/K,?/,"",v); sum+=v}} END{print sum}'
}
IDLE_N=1000
if [ "${SKIP_IDLE:-0}" != 1 ]; then
  for lang in go java; do
    start_server "$lang" echo "${AESFEC[@]}"
    sleep 2
    base_rss="$(rss_kb "$SRV_PID")"; base_heap=""
    [ "$lang" = java ] && base_heap="$(heap_kb "$SRV_PID")" && base_rss="$(rss_kb "$SRV_PID")"
    bin=("$JAVA_KCP"); [ "$lang" = go ] && bin=("$GO")
    : > "$WORK/idle-client.out"; : > "$WORK/idle-client.err"
    "${bin[@]}" echo-client --quiet --remote "$SRV_ADDR" --sessions "$IDLE_N" --bytes 64 --chunk 64 --hold 40 \
        --timeout 120 "${AESFEC[@]}" > "$WORK/idle-client.out" 2> "$WORK/idle-client.err" &
    CL_PID=$!
    for _ in $(seq 1 1200); do grep -q '^HOLD ' "$WORK/idle-client.err" && break; sleep 0.1; done
    if ! grep -q '^HOLD ' "$WORK/idle-client.err"; then
      log "idle $lang: client never reached HOLD: $(tail -3 "$WORK/idle-client.err" "$WORK/idle-client.out" | tr '\n' ' ')"
      stop_pid "$CL_PID"; stop_pid "$SRV_PID"; continue
    fi
    sleep 5   # let ACKs and timers settle
    s0="$(ticks "$SRV_PID")"; c0="$(ticks "$CL_PID")"; t0="$(date +%s.%N)"
    sleep 20
    s1="$(ticks "$SRV_PID")"; c1="$(ticks "$CL_PID")"; t1="$(date +%s.%N)"
    rss="$(rss_kb "$SRV_PID")"; crss="$(rss_kb "$CL_PID")"; heap=""
    [ "$lang" = java ] && heap="$(heap_kb "$SRV_PID")"
    python3 - "$lang" "$s0" "$s1" "$c0" "$c1" "$t0" "$t1" "$CLK_TCK" "$base_rss" "$rss" "$crss" "$IDLE_N" \
        "$base_heap" "$heap" >> "$TSV" <<'PY'
import sys
lang, s0, s1, c0, c1, t0, t1, hz, base, rss, crss, n, bheap, heap = sys.argv[1:]
dt = float(t1) - float(t0); hz = float(hz); n = int(n)
srv_cpu = (int(s1) - int(s0)) / hz / dt * 100
cli_cpu = (int(c1) - int(c0)) / hz / dt * 100
per_rss = (int(rss) - int(base)) / n
per_heap = (int(heap) - int(bheap)) / n if heap and bheap else ''
print('idle\t%s\t1\t%.2f\t%.2f\t%.1f\t%s\t%.1f' % (lang, srv_cpu, cli_cpu, per_rss,
      '' if per_heap == '' else '%.1f' % per_heap, int(crss) / n))
PY
    log "idle $lang: $(tail -1 "$TSV")"
    stop_pid "$CL_PID"; stop_pid "$SRV_PID"
  done
fi

# ---------------------------------------------------------------- kcp-go's own benchmarks vs our JMH mirrors
if [ "${SKIP_GOBENCH:-0}" != 1 ]; then
  : > "$WORK/gobench.txt"
  if kcp_go_test "$WORK"; then
    log "kcp-go benchmarks (go test -bench 'EchoSpeed|SinkSpeed' -benchtime 2s -count 3)"
    (cd "$WORK" && ./kcp-go.test -test.run '^$' -test.bench 'EchoSpeed|SinkSpeed' -test.benchtime 2s \
        -test.count 3 -test.benchmem 2>/dev/null | tee "$WORK/gobench.txt" >&2) || true
  else
    log "kcp-go's tests did not build; no Go benchmark figures"
  fi
  awk '/^Benchmark/{name=$1; sub(/-[0-9]+$/,"",name); for(i=1;i<=NF;i++){if($(i+1)=="MB/s") mb=$i; if($(i+1)=="B/op") bo=$i}
       printf "gobench\t%s\t1\t%s\t%s\n", name, mb, bo}' "$WORK/gobench.txt" >> "$TSV"
fi
if [ "${SKIP_JMH:-0}" != 1 ]; then
  log "JMH mirrors (EchoSpeedBench, SinkSpeedBench, -prof gc)"
  bench/jmh.sh 'EchoSpeedBench|SinkSpeedBench' -f 1 -wi 2 -w 2 -i 3 -r 2 -prof gc -rf json \
      -rff "$WORK/jmh.json" >/dev/null 2>&1 || log "JMH failed"
  [ -f "$WORK/jmh.json" ] && python3 - "$WORK/jmh.json" >> "$TSV" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1])):
    cls = r['benchmark'].split('.')[-2]
    size = int(r['params']['size'])
    label = {4096: '4K', 65536: '64K', 524288: '512K' if cls.startswith('Echo') else '256K', 1048576: '1M'}[size]
    name = 'Benchmark' + cls.replace('Bench', '') + label
    if r['params'].get('threads', 'platform') != 'platform':
        name += ' (%s threads)' % r['params']['threads']
    mb = r['secondaryMetrics']['bytes']['score'] / 1e6
    norm = r['secondaryMetrics'].get('gc.alloc.rate.norm', {}).get('score', '')
    print('jmh\t%s\t1\t%.2f\t%s' % (name, mb, norm if norm == '' else '%.0f' % norm))
PY
fi

# ---------------------------------------------------------------- table
python3 - "$TSV" "$OUT" "$RUNS" "$RUNS_BIG" "$JH" <<'PY'
import sys, statistics, subprocess, datetime, os, collections
tsv, out, runs, runs_big, jh = sys.argv[1:]
rows = [l.rstrip('\n').split('\t') for l in open(tsv) if l.strip()]
def med(xs):
    xs = [float(x) for x in xs if x not in ('', 'FAIL')]
    return statistics.median(xs) if xs else None
def f(x, d=1):
    return '-' if x is None else ('%.' + str(d) + 'f') % x
cpu = next((l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')), '?')
java = subprocess.run([jh + '/bin/java', '-version'], capture_output=True, text=True).stderr.splitlines()[0]
gov = subprocess.run(['go', 'version'], capture_output=True, text=True).stdout.strip()
L = []
L.append('Measured %s UTC on %d cores (%s), %s; %s; kcp-go 5.6.1 (Debian). '
         'Reproduce: `bench/race.sh` (RUNS=%s, RUNS_BIG=%s).' % (
    datetime.datetime.utcnow().strftime('%Y-%m-%d %H:%M'), os.cpu_count(), cpu, java, gov, runs, runs_big))
L.append('')
L.append('CLI peers (`./kcp` vs `kcpgo`, same flags, one fresh server per pairing, a fresh client process per '
         'run, pairings interleaved round by round), medians in MB/s '
         '(ping-pong: median of per-run p50 RTT in us). Pairs are client-server.')
L.append('')
L.append('| scenario | Go-Go | Java-Java | Java-Go | Go-Java | Java/Go (JJ/GG) | failed runs |')
L.append('|---|---:|---:|---:|---:|---:|---:|')
scen = [r for r in rows if r[0] not in ('idle', 'gobench', 'jmh')]
order = list(dict.fromkeys(r[0] for r in scen))
for s in order:
    cells = {}
    fails = 0
    for pair in ('go-go', 'java-java', 'java-go', 'go-java'):
        rs = [r for r in scen if r[0] == s and r[1] == pair]
        fails += sum(1 for r in rs if r[3] == 'FAIL')
        col = 4 if s.startswith('ping-pong') else 3
        cells[pair] = med([r[col] for r in rs if len(r) > col and r[3] != 'FAIL'])
    gg, jj = cells['go-go'], cells['java-java']
    ratio = None if not gg or not jj else jj / gg
    L.append('| %s | %s | %s | %s | %s | %s | %d |' % (s, f(cells['go-go']), f(cells['java-java']), f(cells['java-go']),
             f(cells['go-java']), f(ratio, 2), fails))
idle = [r for r in rows if r[0] == 'idle']
if idle:
    L.append('')
    L.append('1,000 idle sessions (aes + FEC 10/3, fast; 64 bytes echoed per session, then 20 s measured idle): '
             'CPU in % of one core, memory per session.')
    L.append('')
    L.append('| server | server CPU % | client CPU % | server RSS/session (KB) | server heap/session (KB, after GC) | client RSS/session (KB) |')
    L.append('|---|---:|---:|---:|---:|---:|')
    for r in idle:
        L.append('| %s | %s | %s | %s | %s | %s |' % (r[1], r[3], r[4], r[5], r[6] or '-', r[7]))
    d = {r[1]: r for r in idle}
    if 'go' in d and 'java' in d and float(d['go'][3]) > 0:
        L.append('')
        L.append('Java/Go idle server CPU: %.2f; RSS per session: %.2f.' % (
            float(d['java'][3]) / float(d['go'][3]), float(d['java'][5]) / max(0.001, float(d['go'][5]))))
def grouped(kind):
    out = collections.OrderedDict()
    for r in rows:
        if r[0] == kind:
            out.setdefault(r[1], []).append(r)
    def best(xs):
        xs = [float(x) for x in xs if x not in ('', 'FAIL')]
        return max(xs) if xs else None
    return {k: (med([r[3] for r in v]), med([r[4] for r in v if len(r) > 4]), best([r[3] for r in v]))
            for k, v in out.items()}
gb = grouped('gobench')
jm = grouped('jmh')
if gb or jm:
    L.append('')
    L.append("kcp-go's own benchmarks (`go test -bench`, 5.6.1 fixtures: ping-pong echo, Salsa20 + FEC; sink plain; "
             'median of 3) vs our JMH mirrors (`EchoSpeedBench`, `SinkSpeedBench`, 3 x 2 s), MB/s and bytes '
             'allocated per op (Go B/op, JMH gc.alloc.rate.norm).')
    L.append('')
    L.append('| benchmark | kcp-go MB/s median (best) | kcp-java MB/s | Java/Go (median) | kcp-go B/op | kcp-java B/op |')
    L.append('|---|---:|---:|---:|---:|---:|')
    for name in list(dict.fromkeys(list(gb) + list(jm))):
        g = gb.get(name.split(' ')[0], (None, None, None))
        j = jm.get(name, (None, None, None))
        L.append('| %s | %s (%s) | %s | %s | %s | %s |' % (name, f(g[0]), f(g[2]), f(j[0]),
                 f(None if not g[0] or not j[0] else j[0] / g[0], 2), f(g[1], 0), f(j[1], 0)))
open(out, 'w').write('\n'.join(L) + '\n')
print('\n'.join(L))
PY
log "wrote $OUT"
