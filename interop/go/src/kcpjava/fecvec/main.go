// Command fecvec prints Reed-Solomon parity vectors from klauspost/reedsolomon (the codec kcp-go uses) and the
// exact packets kcp-go 5.6.1's own FEC encoder produces for fixed inputs. The output is committed as
// kcp.fec/src/test/resources/golden/fec-vectors.txt; Java tests compare against it and regenerate it with this
// program when Go is available.
//
// kcp-go's fecEncoder is unexported, so it is reached with go:linkname (a bodyless declaration, hence the empty
// .s file next to this one). That calls kcp-go's real code, not a copy of it.
//
// Regenerate: interop/go/build.sh && interop/go/bin/fecvec > kcp.fec/src/test/resources/golden/fec-vectors.txt
package main

import (
	"encoding/hex"
	"fmt"
	"math/rand"
	"os"
	"unsafe"

	"github.com/klauspost/reedsolomon"
	_ "github.com/xtaci/kcp-go"
)

//go:linkname newFECEncoder github.com/xtaci/kcp-go.newFECEncoder
func newFECEncoder(dataShards, parityShards, offset int) unsafe.Pointer

//go:linkname fecEncode github.com/xtaci/kcp-go.(*fecEncoder).encode
func fecEncode(enc unsafe.Pointer, b []byte) [][]byte

// rsShard is spec 13.3's data shard k: byte i = (31k + 7i + 1) mod 256.
func rsShard(k, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(31*k + 7*i + 1)
	}
	return b
}

// pattern is spec 13's plaintext: byte i = (7i + 3) mod 256.
func pattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(7*i + 3)
	}
	return b
}

func rsVector(d, p, n int) {
	enc, err := reedsolomon.New(d, p)
	if err != nil {
		fmt.Fprintln(os.Stderr, "reedsolomon.New:", err)
		os.Exit(1)
	}
	shards := make([][]byte, d+p)
	for k := range shards {
		if k < d {
			shards[k] = rsShard(k, n)
		} else {
			shards[k] = make([]byte, n)
		}
	}
	if err := enc.Encode(shards); err != nil {
		fmt.Fprintln(os.Stderr, "Encode:", err)
		os.Exit(1)
	}
	fmt.Printf("rs %d %d %d ", d, p, n)
	for _, s := range shards[d:] {
		fmt.Print(hex.EncodeToString(s))
	}
	fmt.Println()
}

// encoderScenario feeds KCP payloads of the given lengths (pattern bytes, first byte = packet index) through
// kcp-go's encoder and prints each input and every packet it yields.
func encoderScenario(d, p, offset int, lengths []int) {
	enc := newFECEncoder(d, p, offset)
	fmt.Printf("encoder %d %d %d\n", d, p, offset)
	for idx, n := range lengths {
		kcpBytes := pattern(n)
		if n > 0 && len(lengths) > 3 {
			kcpBytes[0] = byte(idx)
		}
		buf := make([]byte, offset+8+n)
		copy(buf[offset+8:], kcpBytes)
		fmt.Printf("in %s\n", hex.EncodeToString(kcpBytes))
		ps := fecEncode(enc, buf)
		fmt.Printf("data %s\n", hex.EncodeToString(buf))
		for _, par := range ps {
			fmt.Printf("parity %s\n", hex.EncodeToString(par))
		}
	}
}

func main() {
	fmt.Println("# Reed-Solomon parity from klauspost/reedsolomon New(d, p) and kcp-go 5.6.1 FEC encoder output")
	fmt.Println("# (Debian golang-github-klauspost-reedsolomon-dev and golang-github-xtaci-kcp-dev, GOPATH mode).")
	fmt.Println("# Regenerate: interop/go/build.sh && interop/go/bin/fecvec > kcp.fec/src/test/resources/golden/fec-vectors.txt")
	fmt.Println("# rs d p n PARITY: data shard k byte i = (31k + 7i + 1) mod 256, n bytes each; parity shards concatenated.")
	fmt.Println("# encoder d p offset: newFECEncoder(d, p, offset); per packet: in = KCP bytes (byte i = (7i + 3) mod 256,")
	fmt.Println("#   byte 0 = packet index when more than 3 packets), data = the sealed buffer, parity = packets returned.")
	for _, c := range [][3]int{{10, 3, 37}, {3, 2, 37}, {1, 1, 37}, {20, 10, 37}, {128, 128, 37},
		{10, 3, 1400}, {20, 10, 77}, {4, 2, 1}, {255, 1, 33}, {1, 255, 3}} {
		rsVector(c[0], c[1], c[2])
	}
	encoderScenario(3, 2, 0, []int{29, 35, 24})
	rng := rand.New(rand.NewSource(1))
	lengths := make([]int, 20)
	for i := range lengths {
		lengths[i] = 1 + rng.Intn(1392)
	}
	encoderScenario(10, 3, 0, lengths)
	encoderScenario(10, 3, 28, lengths[:10])
	encoderScenario(1, 1, 0, []int{5, 100, 1})
}
