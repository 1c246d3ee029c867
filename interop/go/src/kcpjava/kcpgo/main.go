// Command kcpgo is kcp-go 5.6.1's twin of kcp-java's ./kcp command line: the same subcommands
// (echo-server, echo-client, sink-server, sink-client), the same kcptun-style flags and the same output
// lines, so that bench/race.sh and the interop tests can swap a Java peer for a Go one.
//
//	kcpgo echo-server --listen 127.0.0.1:0 --crypt aes --datashard 10 --parityshard 3 --mode fast
//	kcpgo echo-client --remote 127.0.0.1:29900 --bytes 16M --sessions 1
//
// Servers print "LISTEN ip:port" once bound and, when --timeout expires or on SIGTERM/SIGINT,
// "RESULT sessions=N echoed=B" (sink: received=B) and kcp-go's SNMP counters. Clients print
// "RESULT ok|FAIL sessions=K bytes=N elapsed_ms=T MBps=R srtt_ms=S rto_ms=O" and the counters, and exit 0
// only if every byte came back intact (echo) or the sink server confirmed the count (sink).
// The echo payload is the seeded splitmix64 stream of kcp-java's Payload class; the sink protocol is an
// 8-byte big-endian length, the payload, and the server's 8-byte big-endian count as the reply.
// --crypt null means no crypto layer at all; --key goes through kcptun's PBKDF2 derivation and slicing.
package main

import (
	"crypto/sha1"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/bits"
	"os"
	"os/signal"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	kcp "github.com/xtaci/kcp-go"
	"golang.org/x/crypto/pbkdf2"
)

// serveBufferBytes is the servers' per-session read buffer, as in kcp-java's Server: a Read returns at most
// one KCP segment, so more only costs memory per idle session.
const serveBufferBytes = 4096

type config struct {
	crypt, key, mode, stream, address, bytes string
	ds, ps, nodelay, interval, resend, nc    int
	mtu, sndwnd, rcvwnd, sockbuf, timeout    int
	chunk, sessions, hold                    int
	seed                                     int64
	ackNoDelay, quiet, pingpong              bool
	total                                    int64
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: kcpgo echo-server|echo-client|sink-server|sink-client [flags]")
		os.Exit(2)
	}
	cmd := os.Args[1]
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	c := &config{}
	fs.StringVar(&c.crypt, "crypt", "aes", "cipher name or null")
	fs.StringVar(&c.key, "key", "it's a secrect", "passphrase")
	fs.IntVar(&c.ds, "datashard", 10, "FEC data shards")
	fs.IntVar(&c.ps, "parityshard", 3, "FEC parity shards")
	fs.StringVar(&c.mode, "mode", "fast", "normal|fast|fast2|fast3|manual")
	fs.IntVar(&c.nodelay, "nodelay", 0, "manual: nodelay")
	fs.IntVar(&c.interval, "interval", 50, "manual: interval ms")
	fs.IntVar(&c.resend, "resend", 0, "manual: fast resend")
	fs.IntVar(&c.nc, "nc", 0, "manual: no congestion control")
	fs.IntVar(&c.mtu, "mtu", 1350, "MTU")
	fs.IntVar(&c.sndwnd, "sndwnd", 1024, "send window")
	fs.IntVar(&c.rcvwnd, "rcvwnd", 1024, "receive window")
	fs.StringVar(&c.stream, "stream", "true", "stream mode true|false")
	fs.BoolVar(&c.ackNoDelay, "acknodelay", false, "ack no delay")
	fs.Bool("compat561", true, "accepted for symmetry with ./kcp: kcp-go 5.6.1 always behaves so")
	fs.IntVar(&c.sockbuf, "sockbuf", 4194304, "socket buffers")
	server := strings.HasSuffix(cmd, "-server")
	switch cmd {
	case "echo-server", "sink-server":
		fs.StringVar(&c.address, "listen", "0.0.0.0:29900", "listen address")
		fs.IntVar(&c.timeout, "timeout", 0, "exit after SECONDS, 0 = never")
	case "echo-client", "sink-client":
		fs.StringVar(&c.address, "remote", "127.0.0.1:29900", "server address")
		fs.IntVar(&c.timeout, "timeout", 60, "fail after SECONDS, 0 = never")
		fs.StringVar(&c.bytes, "bytes", "16M", "bytes per session")
		fs.IntVar(&c.chunk, "chunk", 4096, "bytes per write")
		fs.IntVar(&c.sessions, "sessions", 1, "concurrent sessions")
		fs.Int64Var(&c.seed, "seed", 1, "payload seed")
		fs.IntVar(&c.hold, "hold", 0, "keep sessions open SECONDS after the transfer")
		fs.BoolVar(&c.quiet, "quiet", false, "no progress line")
		fs.BoolVar(&c.pingpong, "pingpong", false, "latency mode")
	default:
		fmt.Fprintf(os.Stderr, "kcpgo: unknown command %q\n", cmd)
		os.Exit(2)
	}
	if err := fs.Parse(os.Args[2:]); err != nil {
		os.Exit(2)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "kcpgo %s: unexpected argument %q\n", cmd, fs.Arg(0))
		os.Exit(2)
	}
	if !server {
		n, err := parseSize(c.bytes)
		if err != nil {
			fmt.Fprintf(os.Stderr, "kcpgo %s: --bytes: %v\n", cmd, err)
			os.Exit(2)
		}
		c.total = n
	}
	switch cmd {
	case "echo-server":
		serve(c, false)
	case "sink-server":
		serve(c, true)
	case "echo-client":
		os.Exit(runClient(c, false))
	case "sink-client":
		os.Exit(runClient(c, true))
	}
}

func parseSize(s string) (int64, error) {
	u := strings.ToUpper(s)
	mult := int64(1)
	for _, suf := range []struct {
		s string
		m int64
	}{{"KIB", 1 << 10}, {"MIB", 1 << 20}, {"GIB", 1 << 30}, {"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}} {
		if strings.HasSuffix(u, suf.s) {
			mult = suf.m
			u = strings.TrimSuffix(u, suf.s)
			break
		}
	}
	n, err := strconv.ParseInt(u, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("not a positive size: %q", s)
	}
	return n * mult, nil
}

// noDelay returns the kcptun preset of --mode, or the manual flags.
func noDelay(c *config) (int, int, int, int) {
	switch c.mode {
	case "normal":
		return 0, 40, 2, 1
	case "fast":
		return 0, 30, 2, 1
	case "fast2":
		return 1, 20, 2, 1
	case "fast3":
		return 1, 10, 2, 1
	case "manual":
		return c.nodelay, c.interval, c.resend, c.nc
	}
	fmt.Fprintf(os.Stderr, "kcpgo: --mode must be normal, fast, fast2, fast3 or manual: %q\n", c.mode)
	os.Exit(2)
	return 0, 0, 0, 0
}

func tune(c *config, s *kcp.UDPSession) {
	nd, iv, rs, nc := noDelay(c)
	s.SetNoDelay(nd, iv, rs, nc)
	s.SetWindowSize(c.sndwnd, c.rcvwnd)
	s.SetMtu(c.mtu)
	s.SetStreamMode(c.stream == "true")
	s.SetACKNoDelay(c.ackNoDelay)
}

func serve(c *config, sink bool) {
	l, err := kcp.ListenWithOptions(c.address, blockCrypt(c.crypt, c.key), c.ds, c.ps)
	if err != nil {
		fmt.Fprintf(os.Stderr, "kcpgo: listen: %v\n", err)
		os.Exit(1)
	}
	if c.sockbuf > 0 {
		l.SetReadBuffer(c.sockbuf)
		l.SetWriteBuffer(c.sockbuf)
	}
	fmt.Printf("LISTEN %s\n", l.Addr().String())
	var sessions, bytes int64
	go func() {
		for {
			s, err := l.AcceptKCP()
			if err != nil {
				return
			}
			atomic.AddInt64(&sessions, 1)
			tune(c, s)
			go func(s *kcp.UDPSession) {
				defer s.Close()
				if sink {
					sinkLoop(s, &bytes)
				} else {
					buf := make([]byte, serveBufferBytes)
					for {
						n, err := s.Read(buf)
						if err != nil {
							return
						}
						// counted before the write: a client that saw its echo sees it counted
						atomic.AddInt64(&bytes, int64(n))
						if _, err := s.Write(buf[:n]); err != nil {
							return
						}
					}
				}
			}(s)
		}
	}()
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	var expire <-chan time.Time
	if c.timeout > 0 {
		expire = time.After(time.Duration(c.timeout) * time.Second)
	}
	select {
	case <-sig:
	case <-expire:
	}
	word := "echoed"
	if sink {
		word = "received"
	}
	fmt.Printf("RESULT sessions=%d %s=%d\n", atomic.LoadInt64(&sessions), word, atomic.LoadInt64(&bytes))
	printCounters()
	l.Close()
}

func sinkLoop(s *kcp.UDPSession, bytes *int64) {
	header := make([]byte, 8)
	buf := make([]byte, serveBufferBytes)
	for {
		if _, err := io.ReadFull(s, header); err != nil {
			return
		}
		expect := int64(binary.BigEndian.Uint64(header))
		start := time.Now()
		var got int64
		for got < expect {
			want := int64(len(buf))
			if expect-got < want {
				want = expect - got
			}
			n, err := s.Read(buf[:want])
			if err != nil {
				return
			}
			got += int64(n)
			atomic.AddInt64(bytes, int64(n))
		}
		el := time.Since(start)
		binary.BigEndian.PutUint64(header, uint64(got))
		if _, err := s.Write(header); err != nil {
			return
		}
		fmt.Printf("SINK conv=%d bytes=%d elapsed_ms=%d MBps=%.2f\n", s.GetConv(), got, el.Milliseconds(),
			float64(got)/1e6/el.Seconds())
	}
}

func printCounters() {
	snmp := kcp.DefaultSnmp.Copy()
	header, values := snmp.Header(), snmp.ToSlice()
	for i := range header {
		fmt.Printf("%-20s %s\n", header[i], values[i])
	}
}

func runClient(c *config, sink bool) int {
	block := blockCrypt(c.crypt, c.key)
	var progress int64
	var failure atomic.Value
	var wg sync.WaitGroup
	rtts := make([][]time.Duration, c.sessions)
	sessions := make([]*kcp.UDPSession, 0, c.sessions)
	start := time.Now()
	for i := 0; i < c.sessions; i++ {
		s, err := kcp.DialWithOptions(c.address, block, c.ds, c.ps)
		if err != nil {
			failure.Store(fmt.Sprintf("dial: %v", err))
			break
		}
		tune(c, s)
		if c.sockbuf > 0 {
			s.SetReadBuffer(c.sockbuf)
			s.SetWriteBuffer(c.sockbuf)
		}
		if c.timeout > 0 {
			s.SetDeadline(start.Add(time.Duration(c.timeout) * time.Second))
		}
		sessions = append(sessions, s)
		wg.Add(1)
		go func(i int, s *kcp.UDPSession) {
			defer wg.Done()
			var err error
			seed := uint64(c.seed + int64(i))
			switch {
			case sink:
				err = sinkJob(s, c, seed, &progress)
			case c.pingpong:
				rtts[i], err = pingPongJob(s, c, seed, &progress)
			default:
				err = echoJob(s, c, seed, &progress)
			}
			if err != nil {
				failure.CompareAndSwap(nil, fmt.Sprintf("session %d: %v", i, err))
			}
		}(i, s)
	}
	stop := make(chan struct{})
	if !c.quiet {
		go func() {
			total := c.total * int64(c.sessions)
			for {
				select {
				case <-stop:
					return
				case <-time.After(time.Second):
					fmt.Fprintf(os.Stderr, "%.1f / %.1f MiB\n", float64(atomic.LoadInt64(&progress))/1048576,
						float64(total)/1048576)
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(stop)
	f, _ := failure.Load().(string)
	if f == "" && c.hold > 0 {
		fmt.Fprintf(os.Stderr, "HOLD sessions=%d seconds=%d\n", c.sessions, c.hold)
		time.Sleep(time.Duration(c.hold) * time.Second)
	}
	var srtt, rto int64
	if len(sessions) > 0 {
		srtt, rto = int64(sessions[0].GetSRTT()), int64(sessions[0].GetRTO())
	}
	for _, s := range sessions {
		s.Close()
	}
	status := "ok"
	bytes := c.total * int64(c.sessions)
	if f != "" {
		status = "FAIL"
		bytes = atomic.LoadInt64(&progress)
	}
	extra := ""
	if c.pingpong && f == "" {
		extra = latency(rtts)
	}
	fmt.Printf("RESULT %s sessions=%d bytes=%d elapsed_ms=%d MBps=%.2f srtt_ms=%d rto_ms=%d%s\n", status, c.sessions,
		bytes, elapsed.Milliseconds(), float64(bytes)/1e6/elapsed.Seconds(), srtt, rto, extra)
	printCounters()
	if f != "" {
		fmt.Fprintf(os.Stderr, "kcpgo: %s\n", f)
		return 1
	}
	return 0
}

func latency(rtts [][]time.Duration) string {
	var all []time.Duration
	var sum time.Duration
	for _, r := range rtts {
		for _, v := range r {
			all = append(all, v)
			sum += v
		}
	}
	if len(all) == 0 {
		return ""
	}
	sort.Slice(all, func(a, b int) bool { return all[a] < all[b] })
	p99 := int(float64(len(all)) * 0.99)
	if p99 >= len(all) {
		p99 = len(all) - 1
	}
	us := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e3 }
	return fmt.Sprintf(" rtt_us_p50=%.2f rtt_us_p99=%.2f rtt_us_mean=%.2f", us(all[len(all)/2]), us(all[p99]),
		us(sum)/float64(len(all)))
}

// fill writes stream bytes [pos, pos+len(dst)) of kcp-java's Payload: byte p is byte p&7 (little-endian)
// of splitmix64(seed + (p>>3) * golden). Whole words are written 8 bytes at a time, as Payload.fill does, so
// that the Go and Java clients spend the same work per byte on their payload.
func fill(seed uint64, pos int64, dst []byte) {
	i := 0
	for ; i < len(dst) && (pos+int64(i))&7 != 0; i++ {
		dst[i] = streamByte(seed, pos+int64(i))
	}
	for ; i+8 <= len(dst); i += 8 {
		binary.LittleEndian.PutUint64(dst[i:], mix(seed+uint64((pos+int64(i))>>3)*golden))
	}
	for ; i < len(dst); i++ {
		dst[i] = streamByte(seed, pos+int64(i))
	}
}

// firstMismatch returns the index of the first byte of buf that differs from stream bytes
// [pos, pos+len(buf)), or -1 (Payload.firstMismatch: compares whole words, no second buffer).
func firstMismatch(seed uint64, pos int64, buf []byte) int {
	i := 0
	for ; i < len(buf) && (pos+int64(i))&7 != 0; i++ {
		if buf[i] != streamByte(seed, pos+int64(i)) {
			return i
		}
	}
	for ; i+8 <= len(buf); i += 8 {
		if diff := binary.LittleEndian.Uint64(buf[i:]) ^ mix(seed+uint64((pos+int64(i))>>3)*golden); diff != 0 {
			return i + bits.TrailingZeros64(diff)/8
		}
	}
	for ; i < len(buf); i++ {
		if buf[i] != streamByte(seed, pos+int64(i)) {
			return i
		}
	}
	return -1
}

const golden = 0x9E3779B97F4A7C15

func streamByte(seed uint64, p int64) byte {
	return byte(mix(seed+uint64(p>>3)*golden) >> (uint(p&7) * 8))
}

func mix(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

func echoJob(s *kcp.UDPSession, c *config, seed uint64, progress *int64) error {
	werr := make(chan error, 1)
	go func() {
		buf := make([]byte, c.chunk)
		for pos := int64(0); pos < c.total; {
			n := int64(c.chunk)
			if c.total-pos < n {
				n = c.total - pos
			}
			fill(seed, pos, buf[:n])
			if _, err := s.Write(buf[:n]); err != nil {
				werr <- err
				return
			}
			pos += n
		}
		werr <- nil
	}()
	size := c.chunk
	if size < 65536 {
		size = 65536
	}
	in := make([]byte, size)
	for got := int64(0); got < c.total; {
		m := int64(len(in))
		if c.total-got < m {
			m = c.total - got
		}
		n, err := s.Read(in[:m])
		if err != nil {
			return fmt.Errorf("read failed after %d of %d bytes: %v", got, c.total, err)
		}
		if i := firstMismatch(seed, got, in[:n]); i >= 0 {
			return fmt.Errorf("echoed byte %d is 0x%02x, expected 0x%02x", got+int64(i), in[i],
				streamByte(seed, got+int64(i)))
		}
		got += int64(n)
		atomic.AddInt64(progress, int64(n))
	}
	return <-werr
}

func pingPongJob(s *kcp.UDPSession, c *config, seed uint64, progress *int64) ([]time.Duration, error) {
	out := make([]byte, c.chunk)
	in := make([]byte, c.chunk)
	var rtts []time.Duration
	for pos := int64(0); pos < c.total; {
		n := int64(c.chunk)
		if c.total-pos < n {
			n = c.total - pos
		}
		fill(seed, pos, out[:n])
		t0 := time.Now()
		if _, err := s.Write(out[:n]); err != nil {
			return nil, err
		}
		if _, err := io.ReadFull(s, in[:n]); err != nil {
			return nil, err
		}
		rtts = append(rtts, time.Since(t0))
		for i := int64(0); i < n; i++ {
			if in[i] != out[i] {
				return nil, fmt.Errorf("echoed byte %d differs", pos+i)
			}
		}
		pos += n
		atomic.AddInt64(progress, n)
	}
	return rtts, nil
}

func sinkJob(s *kcp.UDPSession, c *config, seed uint64, progress *int64) error {
	header := make([]byte, 8)
	binary.BigEndian.PutUint64(header, uint64(c.total))
	if _, err := s.Write(header); err != nil {
		return err
	}
	buf := make([]byte, c.chunk)
	fill(seed, 0, buf)
	for pos := int64(0); pos < c.total; {
		n := int64(c.chunk)
		if c.total-pos < n {
			n = c.total - pos
		}
		if _, err := s.Write(buf[:n]); err != nil {
			return err
		}
		pos += n
		atomic.AddInt64(progress, n)
	}
	if _, err := io.ReadFull(s, header); err != nil {
		return fmt.Errorf("waiting for the sink count: %v", err)
	}
	if got := int64(binary.BigEndian.Uint64(header)); got != c.total {
		return errors.New("sink server counted " + strconv.FormatInt(got, 10) + " bytes, sent " +
			strconv.FormatInt(c.total, 10))
	}
	return nil
}

// blockCrypt mirrors kcptun's cipher selection (PBKDF2 key, per-cipher slices); null = no crypto layer.
func blockCrypt(name, key string) kcp.BlockCrypt {
	if name == "null" {
		return nil
	}
	pass := pbkdf2.Key([]byte(key), []byte("kcp-go"), 4096, 32, sha1.New)
	var block kcp.BlockCrypt
	var err error
	switch name {
	case "sm4":
		block, err = kcp.NewSM4BlockCrypt(pass[:16])
	case "tea":
		block, err = kcp.NewTEABlockCrypt(pass[:16])
	case "xor":
		block, err = kcp.NewSimpleXORBlockCrypt(pass)
	case "none":
		block, err = kcp.NewNoneBlockCrypt(pass)
	case "aes-128":
		block, err = kcp.NewAESBlockCrypt(pass[:16])
	case "aes-192":
		block, err = kcp.NewAESBlockCrypt(pass[:24])
	case "blowfish":
		block, err = kcp.NewBlowfishBlockCrypt(pass)
	case "twofish":
		block, err = kcp.NewTwofishBlockCrypt(pass)
	case "cast5":
		block, err = kcp.NewCast5BlockCrypt(pass[:16])
	case "3des":
		block, err = kcp.NewTripleDESBlockCrypt(pass[:24])
	case "xtea":
		block, err = kcp.NewXTEABlockCrypt(pass[:16])
	case "salsa20":
		block, err = kcp.NewSalsa20BlockCrypt(pass)
	case "aes", "aes-256":
		block, err = kcp.NewAESBlockCrypt(pass)
	default:
		fmt.Fprintf(os.Stderr, "kcpgo: --crypt %q is not supported by kcp-go 5.6.1\n", name)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "kcpgo: cipher %s: %v\n", name, err)
		os.Exit(1)
	}
	return block
}
