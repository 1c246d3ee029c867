// Command echoclient is the kcp-go 5.6.1 client of kcp-java's live interop tests: it dials a KCP echo
// server, writes -bytes of seeded pseudo-random payload, reads the echo back and compares it byte
// by byte. It prints one line
//
//	RESULT ok=<true|false> bytes=<echoed> millis=<elapsed> <SnmpField>=<value> ...
//
// and exits 0 only if the whole payload came back intact before -timeout. Crypto uses kcptun's key
// derivation: PBKDF2-HMAC-SHA1(key, "kcp-go", 4096, 32), sliced per cipher; -crypt plain means no crypto.
package main

import (
	"bytes"
	"crypto/sha1"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand"
	"os"
	"sort"
	"strings"
	"time"

	kcp "github.com/xtaci/kcp-go"
	"golang.org/x/crypto/pbkdf2"
)

func main() {
	remote := flag.String("remote", "127.0.0.1:29900", "server UDP address")
	crypt := flag.String("crypt", "plain", "cipher name (kcptun names) or plain for no crypto")
	key := flag.String("key", "it's a secret", "passphrase for the kcptun key derivation")
	ds := flag.Int("datashard", 0, "FEC data shards (0 = off)")
	ps := flag.Int("parityshard", 0, "FEC parity shards (0 = off)")
	nodelay := flag.Int("nodelay", 1, "KCP nodelay")
	interval := flag.Int("interval", 10, "KCP interval ms")
	resend := flag.Int("resend", 2, "KCP fast resend")
	nc := flag.Int("nc", 1, "KCP no congestion control")
	sndwnd := flag.Int("sndwnd", 1024, "send window (packets)")
	rcvwnd := flag.Int("rcvwnd", 1024, "receive window (packets)")
	mtu := flag.Int("mtu", 1400, "session MTU")
	stream := flag.Bool("stream", false, "stream mode")
	total := flag.Int("bytes", 1<<20, "payload bytes to echo")
	chunk := flag.Int("chunk", 4096, "bytes per Write")
	seed := flag.Int64("seed", 1, "payload PRNG seed")
	timeout := flag.Duration("timeout", 120*time.Second, "overall deadline")
	pingpong := flag.Int("pingpong", 0, "instead of the bulk echo: this many request/response round trips of -size bytes")
	size := flag.Int("size", 64, "message size for -pingpong")
	flag.Parse()

	block := blockCrypt(*crypt, *key)
	s, err := kcp.DialWithOptions(*remote, block, *ds, *ps)
	if err != nil {
		log.Fatalf("dial: %v", err)
	}
	s.SetNoDelay(*nodelay, *interval, *resend, *nc)
	s.SetWindowSize(*sndwnd, *rcvwnd)
	s.SetMtu(*mtu)
	s.SetStreamMode(*stream)
	start := time.Now()
	s.SetDeadline(start.Add(*timeout))

	if *pingpong > 0 {
		pingPong(s, *pingpong, *size, start)
		return
	}
	payload := make([]byte, *total)
	rand.New(rand.NewSource(*seed)).Read(payload)
	go func() {
		for off := 0; off < len(payload); off += *chunk {
			end := off + *chunk
			if end > len(payload) {
				end = len(payload)
			}
			if _, err := s.Write(payload[off:end]); err != nil {
				return
			}
		}
	}()
	got := make([]byte, *total)
	n, err := io.ReadFull(s, got)
	ok := err == nil && bytes.Equal(payload, got)
	if err != nil {
		fmt.Fprintf(os.Stderr, "read after %d bytes: %v\n", n, err)
	}
	fmt.Printf("RESULT ok=%t bytes=%d millis=%d %s\n", ok, n, time.Since(start).Milliseconds(), snmpLine())
	s.Close()
	if !ok {
		os.Exit(1)
	}
}

// pingPong measures echo round trips one at a time and prints their median and 99th percentile.
func pingPong(s *kcp.UDPSession, n, size int, start time.Time) {
	msg := make([]byte, size)
	got := make([]byte, size)
	rtts := make([]time.Duration, 0, n)
	for i := 0; i < n; i++ {
		msg[0] = byte(i)
		t0 := time.Now()
		if _, err := s.Write(msg); err != nil {
			log.Fatalf("write: %v", err)
		}
		if _, err := io.ReadFull(s, got); err != nil || !bytes.Equal(msg, got) {
			log.Fatalf("echo %d: %v", i, err)
		}
		rtts = append(rtts, time.Since(t0))
	}
	sort.Slice(rtts, func(a, b int) bool { return rtts[a] < rtts[b] })
	elapsed := time.Since(start)
	fmt.Printf("RESULT ok=true roundtrips=%d p50us=%d p99us=%d perSec=%.0f\n", n, rtts[n/2].Microseconds(),
		rtts[n*99/100].Microseconds(), float64(n)/elapsed.Seconds())
	s.Close()
}

func snmpLine() string {
	snmp := kcp.DefaultSnmp.Copy()
	header, values := snmp.Header(), snmp.ToSlice()
	parts := make([]string, len(header))
	for i := range header {
		parts[i] = header[i] + "=" + values[i]
	}
	return strings.Join(parts, " ")
}

// blockCrypt mirrors kcptun's client/server main.go cipher selection.
func blockCrypt(name, key string) kcp.BlockCrypt {
	if name == "plain" {
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
		log.Fatalf("unknown cipher %q", name)
	}
	if err != nil {
		log.Fatalf("cipher %s: %v", name, err)
	}
	return block
}
