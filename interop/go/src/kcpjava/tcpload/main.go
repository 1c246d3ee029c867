// tcpload: the TCP ends of bench/tunnel-race.sh, neutral to both tunnels (Java and kcptun).
//
//	tcpload echo-server --listen 127.0.0.1:0
//	    echoes every connection; prints "LISTEN host:port" once bound; runs until killed.
//	tcpload echo-client --remote HOST:PORT --bytes N --conns K [--seed S] [--compressible]
//	    K connections at once, each writes N/K bytes (seeded pseudo-random, or text-like with --compressible)
//	    while reading the echo back, and checks every byte; prints
//	    "RESULT ok|FAIL conns=K bytes=N elapsed_ms=T MBps=R" (MB = 10^6 bytes, one direction); exit 1 on FAIL.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"math/rand"
	"net"
	"os"
	"sync"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: tcpload echo-server|echo-client [flags]")
		os.Exit(2)
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	listen := fs.String("listen", "127.0.0.1:0", "echo-server: TCP address")
	remote := fs.String("remote", "127.0.0.1:12948", "echo-client: TCP address")
	total := fs.Int64("bytes", 16<<20, "echo-client: bytes over all connections")
	conns := fs.Int("conns", 1, "echo-client: parallel connections")
	seed := fs.Int64("seed", 1, "echo-client: payload seed")
	comp := fs.Bool("compressible", false, "echo-client: text-like payload")
	timeout := fs.Duration("timeout", 10*time.Minute, "echo-client: give up after")
	fs.Parse(os.Args[2:])
	switch os.Args[1] {
	case "echo-server":
		echoServer(*listen)
	case "echo-client":
		os.Exit(echoClient(*remote, *total, *conns, *seed, *comp, *timeout))
	default:
		fmt.Fprintln(os.Stderr, "tcpload: unknown command", os.Args[1])
		os.Exit(2)
	}
}

func echoServer(addr string) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println("LISTEN", l.Addr().String())
	for {
		c, err := l.Accept()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		go func(c net.Conn) {
			defer c.Close()
			buf := make([]byte, 64<<10)
			io.CopyBuffer(c, c, buf)
		}(c)
	}
}

func payload(n int64, seed int64, comp bool) []byte {
	p := make([]byte, n)
	r := rand.New(rand.NewSource(seed))
	if !comp {
		r.Read(p)
		return p
	}
	words := []string{"tunnel ", "kcp ", "smux ", "stream ", "snappy ", "frame ", "window ", "\n", "0123456789 "}
	for i := int64(0); i < n; {
		w := words[r.Intn(len(words))]
		i += int64(copy(p[i:], w))
	}
	return p
}

func echoClient(addr string, total int64, conns int, seed int64, comp bool, timeout time.Duration) int {
	per := total / int64(conns)
	payloads := make([][]byte, conns)
	for i := range payloads {
		payloads[i] = payload(per, seed+int64(i), comp)
	}
	errs := make([]error, conns)
	var wg sync.WaitGroup
	start := time.Now()
	for i := 0; i < conns; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c, err := net.Dial("tcp", addr)
			if err != nil {
				errs[i] = err
				return
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(timeout))
			werr := make(chan error, 1)
			go func() {
				_, err := c.Write(payloads[i])
				werr <- err
			}()
			got := make([]byte, per)
			if _, err := io.ReadFull(c, got); err != nil {
				errs[i] = err
				return
			}
			if err := <-werr; err != nil {
				errs[i] = err
				return
			}
			if !bytes.Equal(got, payloads[i]) {
				errs[i] = fmt.Errorf("connection %d: echo differs", i)
			}
		}(i)
	}
	wg.Wait()
	elapsed := time.Since(start)
	status := "ok"
	for _, e := range errs {
		if e != nil {
			status = "FAIL"
			fmt.Fprintln(os.Stderr, e)
		}
	}
	sent := per * int64(conns)
	fmt.Printf("RESULT %s conns=%d bytes=%d elapsed_ms=%d MBps=%.2f\n", status, conns, sent,
		elapsed.Milliseconds(), float64(sent)/elapsed.Seconds()/1e6)
	if status != "ok" {
		return 1
	}
	return 0
}
