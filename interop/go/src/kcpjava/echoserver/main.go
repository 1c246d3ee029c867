// Command echoserver is the kcp-go 5.6.1 side of kcp-java's live interop tests: a KCP listener that
// echoes every byte of every accepted session back to its sender.
//
// It prints "LISTEN <ip:port>" once the socket is bound (use -listen 127.0.0.1:0 for an ephemeral
// port), echoes until its stdin is closed or -timeout expires, then prints one line
//
//	RESULT sessions=<n> echoed=<bytes> <SnmpField>=<value> ...
//
// with kcp-go's global SNMP counters, and exits 0. Crypto uses kcptun's key derivation:
// PBKDF2-HMAC-SHA1(key, "kcp-go", 4096, 32), sliced per cipher. -crypt plain means no crypto at all.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"crypto/sha1"

	kcp "github.com/xtaci/kcp-go"
	"golang.org/x/crypto/pbkdf2"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "UDP address to listen on")
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
	timeout := flag.Duration("timeout", 120*time.Second, "exit after this long even if stdin stays open")
	flag.Parse()

	block := blockCrypt(*crypt, *key)
	l, err := kcp.ListenWithOptions(*listen, block, *ds, *ps)
	if err != nil {
		log.Fatalf("listen: %v", err)
	}
	fmt.Printf("LISTEN %s\n", l.Addr().String())
	var sessions, echoed int64
	go func() {
		for {
			s, err := l.AcceptKCP()
			if err != nil {
				return
			}
			atomic.AddInt64(&sessions, 1)
			s.SetNoDelay(*nodelay, *interval, *resend, *nc)
			s.SetWindowSize(*sndwnd, *rcvwnd)
			s.SetMtu(*mtu)
			s.SetStreamMode(*stream)
			go func(s *kcp.UDPSession) {
				defer s.Close()
				buf := make([]byte, 65536)
				for {
					n, err := s.Read(buf)
					if err != nil {
						return
					}
					if _, err := s.Write(buf[:n]); err != nil {
						return
					}
					atomic.AddInt64(&echoed, int64(n))
				}
			}(s)
		}
	}()
	done := make(chan struct{})
	go func() {
		_, _ = io.Copy(io.Discard, bufio.NewReader(os.Stdin))
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(*timeout):
	}
	fmt.Printf("RESULT sessions=%d echoed=%d %s\n", atomic.LoadInt64(&sessions), atomic.LoadInt64(&echoed), snmpLine())
	l.Close()
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
