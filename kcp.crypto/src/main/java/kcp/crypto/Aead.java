package kcp.crypto;

import kcp.crypto.internal.AesGcmAead;
import kcp.crypto.internal.ChaCha20Poly1305Aead;

/**
 * An authenticated cipher in the shape of Go's {@code cipher.AEAD}, as kcp-go v5.6.72's
 * {@code NewAEADCrypt(cipher.AEAD)} takes it: a nonce of {@link #nonceSize()} bytes, a tag of
 * {@link #overhead()} bytes after the ciphertext, no additional data (kcp-go always passes nil).
 * {@link PacketSealer#aead} puts kcp-go's datagram framing around it. Work happens in place, so a
 * session's datagram buffer is the only buffer.
 *
 * <p>Thread-safety: NOT thread-safe; one instance per session per direction. Units: bytes.
 */
public interface Aead {
    /**
     * The nonce length (Go {@code NonceSize()}).
     *
     * @return 12 for AES-GCM and ChaCha20-Poly1305, 24 for XChaCha20-Poly1305
     */
    int nonceSize();

    /**
     * The tag length added by {@link #seal} (Go {@code Overhead()}).
     *
     * @return 16 for the three built-in ciphers
     */
    int overhead();

    /**
     * Encrypts {@code buf[off, off+len)} in place and writes the tag right after it.
     *
     * @param nonce buffer holding the nonce; it must not overlap {@code [off, off+len+overhead())}
     * @param nonceOff first nonce byte
     * @param buf plaintext, with {@link #overhead()} free bytes after it
     * @param off first plaintext byte
     * @param len plaintext length
     * @return {@code len + overhead()}
     * @throws IllegalStateException if the cipher refuses the nonce (AES-GCM and ChaCha20-Poly1305
     *     refuse the nonce of the previous seal under the same key: a broken {@link NonceSource})
     */
    int seal(byte[] nonce, int nonceOff, byte[] buf, int off, int len);

    /**
     * Verifies the tag of {@code buf[off, off+len)} (ciphertext then tag) and decrypts in place.
     *
     * @param nonce buffer holding the nonce (not overlapping the ciphertext)
     * @param nonceOff first nonce byte
     * @param buf ciphertext followed by the tag
     * @param off first ciphertext byte
     * @param len ciphertext plus tag length
     * @return the plaintext length ({@code len - overhead()}), or -1 if {@code len < overhead()} or the
     *     tag does not verify (wrong key, modified nonce, ciphertext or tag); the buffer content is
     *     then unspecified
     */
    int open(byte[] nonce, int nonceOff, byte[] buf, int off, int len);

    /**
     * AES-GCM with a 12-byte nonce and a 16-byte tag (Go {@code cipher.NewGCM}, kcp-go
     * {@code NewAESGCMCrypt}).
     *
     * @param key 16, 24 or 32 bytes selecting AES-128/192/256 (copied)
     * @return a new instance
     * @throws IllegalArgumentException on another key length
     */
    static Aead aesGcm(byte[] key) {
        return new AesGcmAead(key);
    }

    /**
     * ChaCha20-Poly1305 of RFC 8439 with a 12-byte nonce (Go
     * {@code golang.org/x/crypto/chacha20poly1305.New}).
     *
     * @param key 32 bytes (copied)
     * @return a new instance
     * @throws IllegalArgumentException on another key length
     */
    static Aead chacha20Poly1305(byte[] key) {
        return new ChaCha20Poly1305Aead(key, false);
    }

    /**
     * XChaCha20-Poly1305 with a 24-byte nonce (Go {@code chacha20poly1305.NewX}): the subkey is
     * HChaCha20(key, nonce[0:16]) and the inner nonce is four zero bytes then nonce[16:24]. Random
     * 24-byte nonces are safe for any number of packets under one key.
     *
     * @param key 32 bytes (copied)
     * @return a new instance
     * @throws IllegalArgumentException on another key length
     */
    static Aead xchacha20Poly1305(byte[] key) {
        return new ChaCha20Poly1305Aead(key, true);
    }
}
