#!/usr/bin/env python3
# Builds the kcp.crypto README benchmark table from bench/go-crypt-bench.sh raw output and JMH JSON.
# usage: bench/crypto-table.py go1.txt [go2.txt ...] -- java1.json [java2.json ...]
# Go files: raw `go test -bench` output (lines "BenchmarkX-2  N  ns/op  MB/s"); Java: JMH -rf json.
# Reports, per benchmark, the best 1-second sample on each side (shared, noisy machine) and the median.
import json, re, sys, statistics
args = sys.argv[1:]
sep = args.index('--')
gofiles, jfiles = args[:sep], args[sep+1:]
go = {}
for f in gofiles:
    for line in open(f):
        m = re.match(r'^Benchmark(\S+?)(-\d+)?\s+\d+\s+([\d.]+) ns/op\s+([\d.]+) MB/s', line)
        if m:
            go.setdefault(m.group(1), []).append(float(m.group(4)))
java = {}
bytes_per_op = {'CipherBench.encryptDecrypt': 3000, 'NonceBench.nonce16': 16, 'Crc32Bench.crc32': 1024}
for f in jfiles:
    for r in json.load(open(f)):
        name = r['benchmark'].rsplit('.', 2)[-2] + '.' + r['benchmark'].rsplit('.', 1)[-1]
        if name not in bytes_per_op:
            continue
        p = r.get('params', {}).get('cipher', '')
        samples = [x for fork in r['primaryMetric']['rawData'] for x in fork]
        java.setdefault((name, p), []).extend(s * bytes_per_op[name] / 1e6 for s in samples)
rows = [('aes-128', 'AES128'), ('aes-192', 'AES192'), ('aes-256', 'AES256'), ('salsa20', 'Salsa20'),
        ('tea', 'TEA'), ('xtea', 'XTEA'), ('blowfish', 'Blowfish'), ('cast5', 'Cast5'), ('twofish', 'Twofish'),
        ('sm4', 'SM4'), ('3des', '3DES'), ('xor', 'XOR'), ('none', 'None')]
print('| benchmark (kcp-go name) | Java best MB/s | kcp-go best MB/s | Java/Go (best) | Java median | Go median | Java/Go (median) |')
print('|---|---:|---:|---:|---:|---:|---:|')
def line(label, j, g):
    if not j or not g:
        print(f'| {label} | {"n/a" if not j else "%.0f" % max(j)} | {"n/a" if not g else "%.0f" % max(g)} | | | | |'); return
    jb, gb, jm, gm = max(j), max(g), statistics.median(j), statistics.median(g)
    print(f'| {label} | {jb:.0f} | {gb:.0f} | {jb/gb:.2f}x | {jm:.0f} | {gm:.0f} | {jm/gm:.2f}x |')
for jn, gn in rows:
    line(f'{gn} (`{jn}`, encrypt+decrypt 1500 B)', java.get(('CipherBench.encryptDecrypt', jn)), go.get(gn))
line('CsprngNonceAES128 (16-byte nonce)', java.get(('NonceBench.nonce16', '')), go.get('CsprngNonceAES128'))
line('CRC32 (1024 B)', java.get(('Crc32Bench.crc32', '')), go.get('CRC32'))
