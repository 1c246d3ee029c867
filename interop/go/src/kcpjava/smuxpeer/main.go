// Command smuxpeer drives a kcp-java SmuxSession from xtaci/smux 1.5.16 over a kcp-go 5.6.1 session
// (stream mode, fast3: nodelay 1 10 2 1, windows 1024/1024, MTU 1400, no crypto, no FEC), as the live peer of
// kcp.smux's SmuxPeerIT.
//
//	smuxpeer --role server --listen 127.0.0.1:0 --smuxver 2 --open 20 --bytes 100000
//	smuxpeer --role client --remote 127.0.0.1:29900 --smuxver 1
//
// A server prints "LISTEN ip:port" once bound. Streams the Java side opens start with a tag byte:
//
//	'E' echo: a 4-byte big-endian length L and L bytes; smuxpeer writes the L bytes back, then closes (FIN).
//	'S' sink: smuxpeer reads until end of stream (the Java FIN) and prints "SINK sid=N n=BYTES crc=CRC32".
//	'W' slow sink: as 'S' but reads 16 KiB every 2 ms, and prints "SLOW ...".
//
// With --open N, once the session is up smuxpeer opens N streams at once; stream k (0-based) carries
// --bytes bytes, byte i being (i*31 + k*7 + i>>8) & 0xff, then closes. With --silent it disables smux
// keepalive and never writes: the Java side must time the session out. It prints "DONE" when every
// stream it opened is written and closed, and exits on SIGTERM or after --timeout seconds.
package main

import (
	"encoding/binary"
	"flag"
	"fmt"
	"hash/crc32"
	"io"
	"net"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	kcp "github.com/xtaci/kcp-go"
	"github.com/xtaci/smux"
)

var out sync.Mutex

func say(format string, args ...interface{}) {
	out.Lock()
	defer out.Unlock()
	fmt.Printf(format+"\n", args...)
}

func main() {
	role := flag.String("role", "server", "server (listen) or client (dial)")
	listen := flag.String("listen", "127.0.0.1:0", "server: KCP address to listen on")
	remote := flag.String("remote", "", "client: KCP address to dial")
	ver := flag.Int("smuxver", 1, "smux protocol version, 1 or 2")
	streamBuf := flag.Int("streambuf", 65536, "smux MaxStreamBuffer")
	open := flag.Int("open", 0, "streams to open towards the Java side")
	nbytes := flag.Int("bytes", 0, "bytes per opened stream")
	silent := flag.Bool("silent", false, "disable keepalive and never write")
	timeout := flag.Int("timeout", 120, "seconds before exiting")
	flag.Parse()

	cfg := smux.DefaultConfig()
	cfg.Version = *ver
	cfg.MaxStreamBuffer = *streamBuf
	if *silent {
		cfg.KeepAliveDisabled = true
	}
	if err := smux.VerifyConfig(cfg); err != nil {
		fmt.Fprintln(os.Stderr, "smuxpeer:", err)
		os.Exit(2)
	}

	var conn *kcp.UDPSession
	var err error
	if *role == "server" {
		l, err := kcp.ListenWithOptions(*listen, nil, 0, 0)
		if err != nil {
			fmt.Fprintln(os.Stderr, "smuxpeer:", err)
			os.Exit(1)
		}
		say("LISTEN %s", l.Addr().(*net.UDPAddr).String())
		conn, err = l.AcceptKCP()
		if err != nil {
			fmt.Fprintln(os.Stderr, "smuxpeer:", err)
			os.Exit(1)
		}
	} else {
		conn, err = kcp.DialWithOptions(*remote, nil, 0, 0)
		if err != nil {
			fmt.Fprintln(os.Stderr, "smuxpeer:", err)
			os.Exit(1)
		}
	}
	conn.SetStreamMode(true)
	conn.SetNoDelay(1, 10, 2, 1)
	conn.SetWindowSize(1024, 1024)
	conn.SetMtu(1400)

	var sess *smux.Session
	if *role == "server" {
		sess, err = smux.Server(conn, cfg)
	} else {
		sess, err = smux.Client(conn, cfg)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "smuxpeer:", err)
		os.Exit(1)
	}

	go func() {
		for {
			st, err := sess.AcceptStream()
			if err != nil {
				say("ACCEPT-END %v", err)
				return
			}
			if *silent {
				continue
			}
			go handle(st)
		}
	}()

	if *open > 0 && !*silent {
		go func() {
			var wg sync.WaitGroup
			for k := 0; k < *open; k++ {
				st, err := sess.OpenStream()
				if err != nil {
					say("OPEN-FAIL %v", err)
					return
				}
				wg.Add(1)
				go func(k int, st *smux.Stream) {
					defer wg.Done()
					data := pattern(k, *nbytes)
					if _, err := st.Write(data); err != nil {
						say("WRITE-FAIL sid=%d %v", st.ID(), err)
					}
					st.Close()
				}(k, st)
			}
			wg.Wait()
			say("DONE")
		}()
	}

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	select {
	case <-sig:
	case <-time.After(time.Duration(*timeout) * time.Second):
	}
	sess.Close()
}

func pattern(k, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*31 + k*7 + i>>8)
	}
	return b
}

func handle(st *smux.Stream) {
	defer st.Close()
	tag := make([]byte, 1)
	if _, err := io.ReadFull(st, tag); err != nil {
		say("TAG-FAIL sid=%d %v", st.ID(), err)
		return
	}
	switch tag[0] {
	case 'E':
		var l [4]byte
		if _, err := io.ReadFull(st, l[:]); err != nil {
			say("ECHO-FAIL sid=%d %v", st.ID(), err)
			return
		}
		buf := make([]byte, binary.BigEndian.Uint32(l[:]))
		if _, err := io.ReadFull(st, buf); err != nil {
			say("ECHO-FAIL sid=%d %v", st.ID(), err)
			return
		}
		if _, err := st.Write(buf); err != nil {
			say("ECHO-FAIL sid=%d %v", st.ID(), err)
		}
	case 'S', 'W':
		h := crc32.NewIEEE()
		buf := make([]byte, 16384)
		n := 0
		for {
			m, err := st.Read(buf)
			h.Write(buf[:m])
			n += m
			if err == io.EOF {
				break
			}
			if err != nil {
				say("SINK-FAIL sid=%d %v", st.ID(), err)
				return
			}
			if tag[0] == 'W' {
				time.Sleep(2 * time.Millisecond)
			}
		}
		name := "SINK"
		if tag[0] == 'W' {
			name = "SLOW"
		}
		say("%s sid=%d n=%d crc=%08x", name, st.ID(), n, h.Sum32())
	default:
		say("TAG-FAIL sid=%d unknown tag %q", st.ID(), tag[0])
	}
}
