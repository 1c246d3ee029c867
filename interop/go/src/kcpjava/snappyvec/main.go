// Command snappyvec is golang/snappy 0.0.2's side of kcp.smux's SnappyChannel tests and benchmarks: the
// framing kcptun uses (snappy.NewBufferedWriter flushed after every Write, snappy.NewReader to read).
//
//	snappyvec gen DIR       writes golden vectors: DIR/NAME.raw (payload), DIR/NAME.sz (framed by
//	                        golang/snappy, one Write+Flush per entry of the write list) and DIR/manifest.txt
//	                        ("NAME WRITES SHA256", WRITES a comma-separated list of write sizes or "-")
//	snappyvec decode FILE...  reads each FILE with snappy.NewReader; prints one line per file, in order,
//	                        "RESULT ok bytes=N sha256=HEX" or "RESULT FAIL err=..." (always exit status 0)
//	snappyvec bench [SECS]  MB/s of kcptun-style compress+frame and of read+verify+decompress for the
//	                        payloads of kcp.bench's SnappyBench (same generator), SECS seconds of this
//	                        thread's CPU time each (default 1), so that other load on the machine
//	                        matters less; kcp.bench's SnappyCpuRace measures Java the same way
package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unsafe"

	"github.com/golang/snappy"
)

// threadCPU is this OS thread's CPU time (clock_gettime CLOCK_THREAD_CPUTIME_ID); the caller locks its thread.
func threadCPU() time.Duration {
	var ts syscall.Timespec
	const clockThreadCPUTimeID = 3
	if _, _, e := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTimeID, uintptr(unsafe.Pointer(&ts)), 0); e != 0 {
		panic(e)
	}
	return time.Duration(ts.Nano())
}

// xorshift64 is the generator SnappyBench and the Java tests share with this program.
type xorshift uint64

func (x *xorshift) next() uint64 {
	v := uint64(*x)
	v ^= v << 13
	v ^= v >> 7
	v ^= v << 17
	*x = xorshift(v)
	return v
}

var words = strings.Fields("the quick brown fox jumps over a lazy dog while kcp sends segments with " +
	"acknowledgements windows and retransmission timers over udp in a tunnel of streams")

// randomBytes returns n bytes of xorshift output (seed, low byte of each step).
func randomBytes(seed uint64, n int) []byte {
	x := xorshift(seed)
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(x.next())
	}
	return b
}

// text returns n bytes of words chosen by xorshift, each followed by a space (cut at n).
func text(seed uint64, n int) []byte {
	x := xorshift(seed)
	var buf bytes.Buffer
	for buf.Len() < n {
		buf.WriteString(words[x.next()%uint64(len(words))])
		buf.WriteByte(' ')
	}
	return buf.Bytes()[:n]
}

// mixed alternates random, text and runs in parts of 1 to 5000 bytes.
func mixed(seed uint64, n int) []byte {
	x := xorshift(seed)
	b := make([]byte, 0, n)
	for len(b) < n {
		part := int(1 + x.next()%5000)
		if part > n-len(b) {
			part = n - len(b)
		}
		switch x.next() % 3 {
		case 0:
			b = append(b, randomBytes(x.next()|1, part)...)
		case 1:
			b = append(b, text(x.next()|1, part)...)
		default:
			v := byte(x.next())
			for i := 0; i < part; i++ {
				b = append(b, v)
			}
		}
	}
	return b
}

// sizes cuts n into write sizes from 1 to max drawn by xorshift.
func sizes(seed uint64, n, max int) []int {
	x := xorshift(seed)
	var out []int
	for n > 0 {
		s := int(1 + x.next()%uint64(max))
		if s > n {
			s = n
		}
		out = append(out, s)
		n -= s
	}
	return out
}

type vector struct {
	name    string
	payload []byte
	writes  []int
}

func vectors() []vector {
	return []vector{
		{"empty", nil, nil},
		{"empty-writes", nil, []int{0, 0}},
		{"small", []byte("hello, kcptun"), []int{13}},
		{"one-byte-writes", text(1, 40), sizes(2, 40, 1)},
		{"text", text(3, 100000), sizes(4, 100000, 9000)},
		{"random", randomBytes(5, 50000), sizes(6, 50000, 1400)},
		{"threshold", append(text(7, 900), randomBytes(8, 2000)...), []int{2900}},
		{"64k", text(9, 65536), []int{65536}},
		{"64k+1", text(10, 65537), []int{65537}},
		{"64k+1-random", randomBytes(11, 65537), []int{65537}},
		{"mixed-1m", mixed(12, 1<<20), sizes(13, 1<<20, 150000)},
		{"runs", bytes.Repeat([]byte{0}, 200000), []int{100000, 100000}},
	}
}

// frame writes payload the way kcptun's CompStream does: Write then Flush, once per write size.
func frame(payload []byte, writes []int) []byte {
	var out bytes.Buffer
	w := snappy.NewBufferedWriter(&out)
	at := 0
	for _, n := range writes {
		if _, err := w.Write(payload[at : at+n]); err != nil {
			panic(err)
		}
		if err := w.Flush(); err != nil {
			panic(err)
		}
		at += n
	}
	if at != len(payload) {
		panic("write sizes do not add up")
	}
	return out.Bytes()
}

func gen(dir string) error {
	var manifest strings.Builder
	for _, v := range vectors() {
		framed := frame(v.payload, v.writes)
		if err := os.WriteFile(filepath.Join(dir, v.name+".raw"), v.payload, 0o644); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, v.name+".sz"), framed, 0o644); err != nil {
			return err
		}
		ws := make([]string, len(v.writes))
		for i, n := range v.writes {
			ws[i] = strconv.Itoa(n)
		}
		list := strings.Join(ws, ",")
		if list == "" {
			list = "-"
		}
		sum := sha256.Sum256(v.payload)
		fmt.Fprintf(&manifest, "%s %s %s\n", v.name, list, hex.EncodeToString(sum[:]))
	}
	return os.WriteFile(filepath.Join(dir, "manifest.txt"), []byte(manifest.String()), 0o644)
}

func decode(file string) {
	f, err := os.Open(file)
	if err != nil {
		fmt.Printf("RESULT FAIL err=%q\n", err.Error())
		return
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, snappy.NewReader(bufio.NewReader(f)))
	if err != nil {
		fmt.Printf("RESULT FAIL err=%q bytes=%d\n", err.Error(), n)
		return
	}
	fmt.Printf("RESULT ok bytes=%d sha256=%s\n", n, hex.EncodeToString(h.Sum(nil)))
}

// loop repeats a byte slice forever.
type loop struct {
	b   []byte
	pos int
}

func (l *loop) Read(p []byte) (int, error) {
	n := copy(p, l.b[l.pos:])
	l.pos = (l.pos + n) % len(l.b)
	return n, nil
}

func bench(secs float64) {
	runtime.LockOSThread()
	d := time.Duration(secs * float64(time.Second))
	for _, kind := range []string{"text", "random"} {
		for _, size := range []int{1400, 16384, 65536} {
			var p []byte
			if kind == "text" {
				p = text(42, size)
			} else {
				p = randomBytes(42, size)
			}
			w := snappy.NewBufferedWriter(io.Discard)
			ops := 0
			start := threadCPU()
			for threadCPU()-start < d {
				for i := 0; i < 64; i++ {
					w.Write(p)
					w.Flush()
				}
				ops += 64
			}
			el := threadCPU() - start
			fmt.Printf("go compress %s %d %.1f MB/s\n", kind, size, float64(ops)*float64(size)/el.Seconds()/1e6)

			// One chunk repeated: the identifier is read once, then the same chunk over and over.
			framed := frame(p, []int{size})
			primed := snappy.NewReader(io.MultiReader(bytes.NewReader(framed[:10]), &loop{b: framed[10:]}))
			out := make([]byte, size)
			ops = 0
			start = threadCPU()
			for threadCPU()-start < d {
				for i := 0; i < 64; i++ {
					if _, err := io.ReadFull(primed, out); err != nil {
						panic(err)
					}
				}
				ops += 64
			}
			el = threadCPU() - start
			fmt.Printf("go decompress %s %d %.1f MB/s\n", kind, size, float64(ops)*float64(size)/el.Seconds()/1e6)
		}
	}
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: snappyvec gen DIR | decode FILE... | bench [SECS]")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "gen":
		if len(os.Args) != 3 {
			fmt.Fprintln(os.Stderr, "usage: snappyvec gen DIR")
			os.Exit(2)
		}
		if err := gen(os.Args[2]); err != nil {
			fmt.Fprintln(os.Stderr, "snappyvec:", err)
			os.Exit(1)
		}
	case "decode":
		if len(os.Args) < 3 {
			fmt.Fprintln(os.Stderr, "usage: snappyvec decode FILE...")
			os.Exit(2)
		}
		for _, f := range os.Args[2:] {
			decode(f)
		}
	case "bench":
		secs := 1.0
		if len(os.Args) > 2 {
			v, err := strconv.ParseFloat(os.Args[2], 64)
			if err != nil || v <= 0 {
				fmt.Fprintln(os.Stderr, "snappyvec: bench SECS must be a positive number")
				os.Exit(2)
			}
			secs = v
		}
		bench(secs)
	default:
		fmt.Fprintln(os.Stderr, "snappyvec: unknown command", os.Args[1])
		os.Exit(2)
	}
}
