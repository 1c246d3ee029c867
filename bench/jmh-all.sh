#!/usr/bin/env bash
# Runs every JMH benchmark of kcp.bench (core, crypto, fec, net, CRC32) once, in bounded time on a small
# machine, with -prof gc, and writes a markdown table: score, MB/s (kcp-go's SetBytes convention) and
# gc.alloc.rate.norm (B/op). About 6 minutes on 2 cores.
# Usage: bench/jmh-all.sh [regex]   (default: all benchmarks)
# Env: OUT=file (default kcp.bench/target/jmh-all.md), JMH_OPTS to override the iteration settings
#      (default "-f 1 -wi 2 -w 1 -i 3 -r 1"), KCP_NO_BUILD=1 to skip the build.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
filter="${1:-.*}"
out="${OUT:-$root/kcp.bench/target/jmh-all.md}"
json="$root/kcp.bench/target/jmh-all.json"
mkdir -p "$(dirname "$out")" "$root/kcp.bench/target"
# shellcheck disable=SC2086
bench/jmh.sh "$filter" ${JMH_OPTS:--f 1 -wi 2 -w 1 -i 3 -r 1} -t 1 -prof gc -rf json -rff "$json" >&2
python3 - "$json" "$out" <<'PY'
import json, re, sys, datetime, platform, os
rows = json.load(open(sys.argv[1]))

def bytes_per_op(name, params):
    """kcp-go's b.SetBytes(...) for the benchmark this one mirrors; None if kcp-go sets none."""
    cls, method = name.split('.')[-2:]
    if cls == 'Crc32Bench': return 1024
    if cls == 'CipherBench': return 3000            # encrypt + decrypt of 1500 bytes
    if cls == 'NonceBench': return 16
    if cls == 'SealerBench': return 1400
    if cls == 'FecLayerBench': return 1500
    if cls == 'FecCodecBench':
        d = int(params.get('shape', '10x3').split('x')[0])
        return d * int(params.get('shardBytes', '1400'))
    if cls == 'KcpRoundTripBench': return 1000
    if cls in ('EchoSpeedBench', 'SinkSpeedBench'): return int(params['size'])
    if cls == 'SnappyBench': return int(params['size'])   # golang/snappy benchmarks SetBytes(len(src))
    return None

lines = []
cpu = ''
try:
    cpu = next(l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name'))
except Exception:
    pass
lines.append('JMH %s, %s, %d cores (%s), %s UTC, `bench/jmh-all.sh`' % (
    rows[0]['jmhVersion'] if rows else '?', rows[0]['vmVersion'] if rows else '?', os.cpu_count(), cpu,
    datetime.datetime.utcnow().strftime('%Y-%m-%d %H:%M')))
lines.append('')
lines.append('| benchmark | params | score | MB/s | gc.alloc.rate.norm (B/op) |')
lines.append('|---|---|---:|---:|---:|')
for r in rows:
    name = r['benchmark']
    short = '.'.join(name.split('.')[-2:])
    params = r.get('params', {}) or {}
    p = ' '.join('%s=%s' % kv for kv in sorted(params.items()))
    m = r['primaryMetric']
    score, unit = m['score'], m['scoreUnit']
    bpo = bytes_per_op(name, params)
    mbps = ''
    if bpo:
        if unit == 'ops/s': mbps = '%.1f' % (score * bpo / 1e6)
        elif unit == 'ns/op' and score > 0: mbps = '%.1f' % (bpo / score * 1e3)
        elif unit == 'us/op' and score > 0: mbps = '%.1f' % (bpo / score)
    sec = r.get('secondaryMetrics', {})
    norm = sec.get('gc.alloc.rate.norm', {}).get('score')
    lines.append('| %s | %s | %.4g %s | %s | %s |' % (short, p, score, unit, mbps,
                                                   '' if norm is None else '%.1f' % norm))
open(sys.argv[2], 'w').write('\n'.join(lines) + '\n')
print('\n'.join(lines))
PY
echo "wrote $out" >&2
