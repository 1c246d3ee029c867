// Command lossyrelay forwards UDP datagrams between clients and one target over loopback, dropping each
// datagram with probability --loss from a seeded PRNG (one per direction and client, so a run is
// repeatable for a given packet order). bench/race.sh puts it between KCP echo clients and servers.
//
//	lossyrelay --listen 127.0.0.1:0 --target 127.0.0.1:29900 --loss 0.05 --seed 1 --timeout 600
//
// Prints "LISTEN ip:port" once bound; exits after --timeout seconds or on SIGTERM, printing
// "RESULT forwarded=N dropped=M".
package main

import (
	"flag"
	"fmt"
	"math/rand"
	"net"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "UDP address clients send to (loopback only)")
	target := flag.String("target", "", "UDP address of the server (loopback only)")
	loss := flag.Float64("loss", 0.05, "drop probability per datagram, each direction")
	seed := flag.Int64("seed", 1, "PRNG seed")
	timeout := flag.Int("timeout", 600, "exit after SECONDS")
	flag.Parse()
	laddr, err := net.ResolveUDPAddr("udp", *listen)
	check(err)
	taddr, err := net.ResolveUDPAddr("udp", *target)
	check(err)
	if !laddr.IP.IsLoopback() || !taddr.IP.IsLoopback() {
		fmt.Fprintln(os.Stderr, "lossyrelay: --listen and --target must be loopback addresses")
		os.Exit(2)
	}
	if *loss < 0 || *loss >= 1 {
		fmt.Fprintln(os.Stderr, "lossyrelay: --loss must be in [0, 1)")
		os.Exit(2)
	}
	front, err := net.ListenUDP("udp", laddr)
	check(err)
	front.SetReadBuffer(4 << 20)
	front.SetWriteBuffer(4 << 20)
	fmt.Printf("LISTEN %s\n", front.LocalAddr().String())
	var forwarded, dropped int64
	go func() {
		var mu sync.Mutex
		upstreams := map[string]*net.UDPConn{}
		up := rand.New(rand.NewSource(*seed))
		buf := make([]byte, 65536)
		for {
			n, from, err := front.ReadFromUDP(buf)
			if err != nil {
				return
			}
			mu.Lock()
			conn, ok := upstreams[from.String()]
			if !ok {
				conn, err = net.DialUDP("udp", nil, taddr)
				check(err)
				conn.SetReadBuffer(4 << 20)
				conn.SetWriteBuffer(4 << 20)
				upstreams[from.String()] = conn
				go back(conn, front, from, rand.New(rand.NewSource(*seed+int64(len(upstreams)))), *loss,
					&forwarded, &dropped)
			}
			mu.Unlock()
			if up.Float64() < *loss {
				atomic.AddInt64(&dropped, 1)
				continue
			}
			conn.Write(buf[:n])
			atomic.AddInt64(&forwarded, 1)
		}
	}()
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	select {
	case <-sig:
	case <-time.After(time.Duration(*timeout) * time.Second):
	}
	fmt.Printf("RESULT forwarded=%d dropped=%d\n", atomic.LoadInt64(&forwarded), atomic.LoadInt64(&dropped))
}

// back forwards the server's replies for one client.
func back(conn, front *net.UDPConn, client *net.UDPAddr, rng *rand.Rand, loss float64, fwd, drop *int64) {
	buf := make([]byte, 65536)
	for {
		n, err := conn.Read(buf)
		if err != nil {
			return
		}
		if rng.Float64() < loss {
			atomic.AddInt64(drop, 1)
			continue
		}
		front.WriteToUDP(buf[:n], client)
		atomic.AddInt64(fwd, 1)
	}
}

func check(err error) {
	if err != nil {
		fmt.Fprintf(os.Stderr, "lossyrelay: %v\n", err)
		os.Exit(1)
	}
}
