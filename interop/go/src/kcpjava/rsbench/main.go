// Command rsbench times klauspost/reedsolomon (kcp-go's codec) on the shapes kcp.fec's JMH FecCodecBench uses:
// Encode and ReconstructData (the first p data shards lost) for 10+3 and 20+10 shards of 1400 bytes, on its
// default code path and forced to AVX2 and SSSE3 (klauspost's option setters for that are unexported, hence
// go:linkname and the empty .s file). One line per case: name, ns/op, MB/s of data shards, allocs/op, and
// process CPU time (user + system, getrusage) per op of the final timed run: comparable with kcp.bench's
// CpuTimeProfiler (cpu.ns/op) on a shared machine, where wall-clock ns/op grows with other processes' load.
//
// Run: interop/go/build.sh && interop/go/bin/rsbench
package main

import (
	"fmt"
	"math/rand"
	"os"
	"syscall"
	"testing"
	_ "unsafe"

	"github.com/klauspost/reedsolomon"
)

//go:linkname withAVX512 github.com/klauspost/reedsolomon.withAVX512
func withAVX512(enabled bool) reedsolomon.Option

//go:linkname withAVX2 github.com/klauspost/reedsolomon.withAVX2
func withAVX2(enabled bool) reedsolomon.Option

type path struct {
	name string
	opts []reedsolomon.Option
}

func shards(d, p, n int) [][]byte {
	rng := rand.New(rand.NewSource(1))
	s := make([][]byte, d+p)
	for i := range s {
		s[i] = make([]byte, n)
		if i < d {
			rng.Read(s[i])
		}
	}
	return s
}

func cpuNanos() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

func run(name string, d, p, n int, f func(b *testing.B)) {
	var cpuPerOp float64
	r := testing.Benchmark(func(b *testing.B) {
		c0 := cpuNanos()
		f(b)
		cpuPerOp = float64(cpuNanos()-c0) / float64(b.N) // the last call is the timed run testing.Benchmark reports
	})
	ns := float64(r.T.Nanoseconds()) / float64(r.N)
	fmt.Printf("%-40s %10.0f ns/op %8.0f MB/s %d allocs/op %10.0f cpu.ns/op\n", name, ns, float64(d*n)/ns*1e3,
		r.AllocsPerOp(), cpuPerOp)
}

func main() {
	paths := []path{
		{"default", nil},
		{"avx2", []reedsolomon.Option{withAVX512(false)}},
		{"ssse3", []reedsolomon.Option{withAVX512(false), withAVX2(false)}},
	}
	for _, shape := range [][3]int{{10, 3, 1400}, {20, 10, 1400}} {
		d, p, n := shape[0], shape[1], shape[2]
		for _, pt := range paths {
			opts := append([]reedsolomon.Option{reedsolomon.WithMaxGoroutines(1)}, pt.opts...)
			enc, err := reedsolomon.New(d, p, opts...)
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			s := shards(d, p, n)
			run(fmt.Sprintf("Encode %dx%dx%d %s", d, p, n, pt.name), d, p, n, func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					if err := enc.Encode(s); err != nil {
						b.Fatal(err)
					}
				}
			})
			run(fmt.Sprintf("ReconstructData %dx%dx%d %s", d, p, n, pt.name), d, p, n, func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					for k := 0; k < p; k++ {
						s[k] = s[k][:0]
					}
					if err := enc.ReconstructData(s); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
