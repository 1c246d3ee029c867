// Command aeadvec prints known-answer vectors for kcp-go v5.6.72's AEAD framing (NewAEADCrypt) over
// AES-GCM, ChaCha20-Poly1305 and XChaCha20-Poly1305 (golang.org/x/crypto 0.4.0 from Debian's
// golang-golang-x-crypto-dev), plus HChaCha20 and Poly1305 vectors for the building blocks. With
// "verify" it reads datagrams sealed by Java from stdin and opens them with Go's AEADs.
//
// kcp-go v5.6.72 needs Go 1.24, so the framing is built here by hand exactly as its source does:
//   - crypt.go lines 82-88 and 102-108: aeadCrypt.Seal/Open delegate to the cipher.AEAD unchanged,
//     NonceSize and Overhead come from the cipher.AEAD.
//   - sess.go lines 210-216: the session header is aead.NonceSize() bytes (no CRC).
//   - sess.go lines 710-718 (postProcess): nonce := buf[:nonceSize]; fillRand(nonce);
//     buf = block.Seal(buf[:nonceSize], nonce, buf[nonceSize:], nil): nonce in clear, then the
//     ciphertext, then the tag, no additional data.
//   - sess.go lines 970-990 (packetInput): len < nonceSize+Overhead is dropped silently; an Open
//     error is counted in InCsumErrors and dropped; the plaintext replaces the datagram.
// The fixed nonce 00 01 02 ... stands in for fillRand so the output is reproducible.
//
// Regenerate: interop/go/build.sh && interop/go/bin/aeadvec > kcp.crypto/src/test/resources/golden/aead-vectors.txt
// Verify:     interop/go/bin/aeadvec verify < lines of "name keyhex -plaintexthex datagramhex"
package main

import (
	"bufio"
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"os"
	"strings"

	"golang.org/x/crypto/chacha20"
	"golang.org/x/crypto/chacha20poly1305"
	"golang.org/x/crypto/pbkdf2"
	"golang.org/x/crypto/poly1305"
)

// kcpHello is spec 13.5's KCP PUSH (conv 0x01020304, sn 0, "hello").
var kcpHello, _ = hex.DecodeString("0403020151002000e803000000000000000000000500000068656c6c6f")

func pattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(7*i + 3)
	}
	return b
}

func fixedNonce(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i)
	}
	return b
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "aeadvec:", err)
		os.Exit(1)
	}
}

// newAEAD returns the cipher.AEAD that NewAEADCrypt would wrap for a kcp-java name.
func newAEAD(name string, key []byte) (cipher.AEAD, error) {
	switch name {
	case "aes-128-gcm", "aes-192-gcm", "aes-256-gcm":
		block, err := aes.NewCipher(key)
		if err != nil {
			return nil, err
		}
		return cipher.NewGCM(block) // as NewAESGCMCrypt, crypt.go lines 113-125
	case "chacha20-poly1305":
		return chacha20poly1305.New(key)
	case "xchacha20-poly1305":
		return chacha20poly1305.NewX(key)
	}
	return nil, fmt.Errorf("unknown AEAD name %q", name)
}

// seal builds one datagram as sess.go lines 710-718 do, in a buffer of mtuLimit capacity so that
// Seal never reallocates (crypt.go line 83 panics if it would).
func seal(aead cipher.AEAD, nonce, payload []byte) []byte {
	ns := aead.NonceSize()
	buf := make([]byte, ns+len(payload), 1500+aead.Overhead())
	copy(buf[ns:], payload)
	dst := buf[:ns]
	n := buf[:ns]
	copy(n, nonce)
	return aead.Seal(dst, n, buf[ns:], nil)
}

func verify() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	ok := 0
	for in.Scan() {
		line := strings.TrimSpace(in.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 4 {
			fmt.Fprintln(os.Stderr, "aeadvec verify: want 'name key plaintext datagram':", line)
			os.Exit(2)
		}
		key, err := hex.DecodeString(f[1])
		check(err)
		plain, err := hex.DecodeString(strings.TrimPrefix(f[2], "-"))
		check(err)
		dgram, err := hex.DecodeString(f[3])
		check(err)
		aead, err := newAEAD(f[0], key)
		check(err)
		ns := aead.NonceSize()
		// as sess.go packetInput lines 970-990
		if len(dgram) < ns+aead.Overhead() {
			fmt.Fprintf(os.Stderr, "aeadvec verify: %s datagram of %d bytes is shorter than nonce+tag\n", f[0], len(dgram))
			os.Exit(1)
		}
		got, err := aead.Open(dgram[ns:ns], dgram[:ns], dgram[ns:], nil)
		if err != nil || hex.EncodeToString(got) != hex.EncodeToString(plain) {
			fmt.Fprintf(os.Stderr, "aeadvec verify: %s datagram %d does not open to the expected payload: %v\n", f[0], ok+1, err)
			os.Exit(1)
		}
		ok++
	}
	check(in.Err())
	fmt.Printf("ok %d\n", ok)
}

func main() {
	if len(os.Args) > 1 && os.Args[1] == "verify" {
		verify()
		return
	}
	pass := pbkdf2.Key([]byte("testkey"), []byte("testsalt"), 4096, 32, sha1.New)
	w := os.Stdout
	fmt.Fprintln(w, "# kcp-go v5.6.72 AEAD framing (NewAEADCrypt) built by hand on golang.org/x/crypto 0.4.0 (Debian), Go 1.19.")
	fmt.Fprintln(w, "# Regenerate: interop/go/build.sh && interop/go/bin/aeadvec > kcp.crypto/src/test/resources/golden/aead-vectors.txt")
	fmt.Fprintln(w, "# Plaintext of length n: byte i = (7*i+3) mod 256; payload 29 is spec 13.5's KCP PUSH \"hello\".")
	fmt.Fprintln(w, "# aead NAME n DATAGRAM: nonce (00 01 02 ..., NonceSize bytes) | ciphertext | tag (Overhead bytes), no AAD.")
	fmt.Fprintln(w, "# hchacha20 KEY NONCE16 OUT32; poly1305 KEY32 n TAG16 over pattern(n).")
	fmt.Fprintf(w, "pass %x\n", pass)

	for _, k := range [][]byte{pass, pattern(32), make([]byte, 32)} {
		for _, n := range [][]byte{fixedNonce(16), pattern(16)} {
			out, err := chacha20.HChaCha20(k, n)
			check(err)
			fmt.Fprintf(w, "hchacha20 %x %x %x\n", k, n, out)
		}
	}
	var pk [32]byte
	copy(pk[:], pass)
	for _, n := range []int{0, 1, 15, 16, 17, 31, 32, 33, 64, 100, 1024, 1500} {
		var tag [16]byte
		poly1305.Sum(&tag, pattern(n), &pk)
		fmt.Fprintf(w, "poly1305 %x %d %x\n", pk, n, tag)
	}
	// r = 2^130-6 style edge keys: all-ones clamps to the largest r; s = all ones forces the final carry
	var ones [32]byte
	for i := range ones {
		ones[i] = 0xff
	}
	for _, n := range []int{16, 64, 1500} {
		var tag [16]byte
		msg := make([]byte, n)
		for i := range msg {
			msg[i] = 0xff
		}
		poly1305.Sum(&tag, msg, &ones)
		fmt.Fprintf(w, "poly1305ff %x %d %x\n", ones, n, tag)
	}

	defs := []struct {
		name string
		key  []byte
	}{
		{"aes-128-gcm", pass[:16]},
		{"aes-256-gcm", pass[:32]},
		{"chacha20-poly1305", pass[:32]},
		{"xchacha20-poly1305", pass[:32]},
	}
	for _, d := range defs {
		aead, err := newAEAD(d.name, d.key)
		check(err)
		fmt.Fprintf(w, "key %s %x\n", d.name, d.key)
		max := 1500 - aead.NonceSize() - aead.Overhead()
		for _, payload := range [][]byte{kcpHello, {}, pattern(1), pattern(15), pattern(16), pattern(17), pattern(63), pattern(64), pattern(65), pattern(1350), pattern(max)} {
			fmt.Fprintf(w, "aead %s %d %x\n", d.name, len(payload), seal(aead, fixedNonce(aead.NonceSize()), payload))
		}
	}
}
