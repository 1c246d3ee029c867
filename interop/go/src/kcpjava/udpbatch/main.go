// Command udpbatch measures what batching system calls saves a UDP sender and receiver on this machine: N
// datagrams of 1400 bytes over loopback, one sendto/recvfrom per datagram against golang.org/x/net/ipv4's
// WriteBatch/ReadBatch (sendmmsg/recvmmsg), the calls kcp-go uses on Linux (tx_linux.go, readloop_linux.go).
// Sender and receiver are separate processes (this program re-executes itself), so each one's CPU time is its own
// (getrusage: user + system, per datagram).
//
// Run: interop/go/build.sh && interop/go/bin/udpbatch [-n 500000] [-batch 16]
package main

import (
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"time"

	"golang.org/x/net/ipv4"
)

const size = 1400

func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

func messages(batch int) []ipv4.Message {
	ms := make([]ipv4.Message, batch)
	for i := range ms {
		ms[i].Buffers = [][]byte{make([]byte, size)}
	}
	return ms
}

// receive counts datagrams until none arrives for 500 ms, then prints "got cpu_ns_per_datagram".
func receive(conn *net.UDPConn, batch int) {
	_ = conn.SetReadBuffer(8 << 20)
	pc := ipv4.NewPacketConn(conn)
	ms := messages(batch)
	buf := make([]byte, 2048)
	got := 0
	var c0 float64
	for {
		_ = conn.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
		var n int
		var err error
		if batch > 1 {
			n, err = pc.ReadBatch(ms, 0)
		} else {
			_, _, err = conn.ReadFromUDP(buf)
			n = 1
		}
		if err != nil {
			break // timeout: the sender is done
		}
		if got == 0 {
			c0 = cpuSeconds()
		}
		got += n
	}
	// The CPU time includes the final 500 ms wait, which a blocked receive spends asleep.
	fmt.Printf("%d %.0f\n", got, (cpuSeconds()-c0)*1e9/float64(atLeast1(got)))
}

func send(conn *net.UDPConn, to *net.UDPAddr, n, batch int) float64 {
	_ = conn.SetWriteBuffer(8 << 20)
	pc := ipv4.NewPacketConn(conn)
	ms := messages(batch)
	for i := range ms {
		ms[i].Addr = to
	}
	buf := make([]byte, size)
	c0 := cpuSeconds()
	for sent := 0; sent < n; {
		if batch > 1 {
			k, err := pc.WriteBatch(ms[:smaller(batch, n-sent)], 0)
			if err != nil {
				panic(err)
			}
			sent += k
		} else {
			if _, err := conn.WriteToUDP(buf, to); err != nil {
				panic(err)
			}
			sent++
		}
		if sent%2048 < batch { // let the receiver keep up on 2 cores instead of overflowing its buffer
			time.Sleep(0)
		}
	}
	return (cpuSeconds() - c0) * 1e9 / float64(n)
}

func atLeast1(x int) int {
	if x < 1 {
		return 1
	}
	return x
}

func smaller(a, b int) int {
	if a < b {
		return a
	}
	return b
}

func run(n, sendBatch, recvBatch int) {
	rx, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		panic(err)
	}
	f, err := rx.File()
	if err != nil {
		panic(err)
	}
	child := exec.Command(os.Args[0], "-receive-fd", "3", "-batch", strconv.Itoa(recvBatch))
	child.ExtraFiles = []*os.File{f}
	child.Stderr = os.Stderr
	out, err := child.StdoutPipe()
	if err != nil {
		panic(err)
	}
	if err := child.Start(); err != nil {
		panic(err)
	}
	f.Close()
	tx, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		panic(err)
	}
	time.Sleep(200 * time.Millisecond)
	perSend := send(tx, rx.LocalAddr().(*net.UDPAddr), n, sendBatch)
	var got int
	var perRecv float64
	if _, err := fmt.Fscan(out, &got, &perRecv); err != nil {
		panic(err)
	}
	_ = child.Wait()
	fmt.Printf("send batch %2d: %5.0f ns CPU per datagram | receive batch %2d: %5.0f ns CPU per datagram (%d of %d arrived)\n",
		sendBatch, perSend, recvBatch, perRecv, got, n)
}

func main() {
	n := flag.Int("n", 500000, "datagrams per run")
	batch := flag.Int("batch", 16, "datagrams per sendmmsg/recvmmsg")
	fd := flag.Int("receive-fd", -1, "internal: act as the receiver on this inherited socket")
	flag.Parse()
	if *fd >= 0 {
		conn, err := net.FileConn(os.NewFile(uintptr(*fd), "rx"))
		if err != nil {
			panic(err)
		}
		receive(conn.(*net.UDPConn), *batch)
		return
	}
	for _, b := range [][2]int{{1, 1}, {*batch, *batch}, {1, 1}, {*batch, *batch}} {
		run(*n, b[0], b[1])
	}
}
