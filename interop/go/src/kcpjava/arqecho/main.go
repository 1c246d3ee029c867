// arqecho: a kcp-go 5.6.1 KCP state machine (no session, no UDP) that echoes every message it receives.
// Used by kcp.core's KcpGoInteropTest to prove the Java ARQ against the real one.
//
// Datagrams travel over stdin/stdout as frames: u16 little-endian length, then the bytes. Every datagram
// read from stdin goes to kcp.Input(data, true, false); every datagram kcp-go outputs is written to stdout.
// Every 5 ms: Update, then Recv every complete message and Send it back. Exits on stdin EOF.
//
// Usage: arqecho <conv>
package main

import (
	"bufio"
	"encoding/binary"
	"io"
	"os"
	"strconv"
	"time"

	kcp "github.com/xtaci/kcp-go"
)

func main() {
	conv, err := strconv.ParseUint(os.Args[1], 10, 32)
	if err != nil {
		panic(err)
	}
	out := bufio.NewWriterSize(os.Stdout, 1<<16)
	k := kcp.NewKCP(uint32(conv), func(buf []byte, size int) {
		var hdr [2]byte
		binary.LittleEndian.PutUint16(hdr[:], uint16(size))
		out.Write(hdr[:])
		out.Write(buf[:size])
	})
	k.NoDelay(1, 10, 2, 1)
	k.WndSize(128, 128)

	packets := make(chan []byte, 1024)
	go func() {
		in := bufio.NewReaderSize(os.Stdin, 1<<16)
		var hdr [2]byte
		for {
			if _, err := io.ReadFull(in, hdr[:]); err != nil {
				close(packets)
				return
			}
			pkt := make([]byte, binary.LittleEndian.Uint16(hdr[:]))
			if _, err := io.ReadFull(in, pkt); err != nil {
				close(packets)
				return
			}
			packets <- pkt
		}
	}()

	buf := make([]byte, 1<<20)
	ticker := time.NewTicker(5 * time.Millisecond)
	defer ticker.Stop()
	for {
		select {
		case pkt, ok := <-packets:
			if !ok {
				out.Flush()
				return
			}
			if r := k.Input(pkt, true, false); r != 0 {
				os.Stderr.WriteString("arqecho: input returned " + strconv.Itoa(r) + "\n")
			}
		case <-ticker.C:
			k.Update()
		}
		for {
			n := k.Recv(buf)
			if n < 0 {
				break
			}
			k.Send(buf[:n])
		}
		out.Flush()
	}
}
